-- A small blog, as Laravel 8's migrations build it on SQLite (the schema `sqlite3 .schema` prints).
-- Users write posts; readers comment; posts carry tags (pivot post_tag); users and posts have images (morphs).
CREATE TABLE IF NOT EXISTS "migrations" ("id" integer not null primary key autoincrement, "migration" varchar not null, "batch" integer not null);
CREATE TABLE IF NOT EXISTS "users" ("id" integer not null primary key autoincrement, "name" varchar not null, "email" varchar not null, "email_verified_at" datetime, "password" varchar not null, "is_admin" tinyint(1) not null default '0', "remember_token" varchar, "created_at" datetime, "updated_at" datetime);
CREATE UNIQUE INDEX "users_email_unique" on "users" ("email");
CREATE TABLE IF NOT EXISTS "password_resets" ("email" varchar not null, "token" varchar not null, "created_at" datetime);
CREATE INDEX "password_resets_email_index" on "password_resets" ("email");
CREATE TABLE IF NOT EXISTS "categories" ("id" integer not null primary key autoincrement, "parent_id" integer, "name" varchar not null, "slug" varchar not null, "created_at" datetime, "updated_at" datetime, foreign key("parent_id") references "categories"("id") on delete set null);
CREATE UNIQUE INDEX "categories_slug_unique" on "categories" ("slug");
CREATE TABLE IF NOT EXISTS "posts" ("id" integer not null primary key autoincrement, "user_id" integer not null, "category_id" integer, "title" varchar not null, "slug" varchar not null, "excerpt" text, "body" text not null, "status" varchar check ("status" in ('draft', 'published', 'archived')) not null default 'draft', "published_at" datetime, "meta" text, "reading_minutes" integer not null default '0', "rating" numeric not null default '0', "created_at" datetime, "updated_at" datetime, "deleted_at" datetime, foreign key("user_id") references "users"("id") on delete cascade, foreign key("category_id") references "categories"("id") on delete set null);
CREATE UNIQUE INDEX "posts_slug_unique" on "posts" ("slug");
CREATE INDEX "posts_status_published_at_index" on "posts" ("status", "published_at");
CREATE TABLE IF NOT EXISTS "comments" ("id" integer not null primary key autoincrement, "post_id" integer not null, "user_id" integer, "parent_id" integer, "author_name" varchar, "body" text not null, "approved" tinyint(1) not null default '0', "created_at" datetime, "updated_at" datetime, foreign key("post_id") references "posts"("id") on delete cascade, foreign key("user_id") references "users"("id") on delete set null);
CREATE INDEX "comments_parent_id_index" on "comments" ("parent_id");
CREATE TABLE IF NOT EXISTS "tags" ("id" integer not null primary key autoincrement, "name" varchar not null, "slug" varchar not null, "created_at" datetime, "updated_at" datetime);
CREATE UNIQUE INDEX "tags_slug_unique" on "tags" ("slug");
CREATE TABLE IF NOT EXISTS "post_tag" ("post_id" integer not null, "tag_id" integer not null, "created_at" datetime, "updated_at" datetime, foreign key("post_id") references "posts"("id") on delete cascade, foreign key("tag_id") references "tags"("id") on delete cascade, primary key ("post_id", "tag_id"));
CREATE TABLE IF NOT EXISTS "images" ("id" integer not null primary key autoincrement, "imageable_type" varchar not null, "imageable_id" integer not null, "path" varchar not null, "alt" varchar, "width" integer, "height" integer, "created_at" datetime, "updated_at" datetime);
CREATE INDEX "images_imageable_type_imageable_id_index" on "images" ("imageable_type", "imageable_id");
CREATE TABLE IF NOT EXISTS "post_views" ("id" integer not null primary key autoincrement, "post_id" integer not null, "ip_address" varchar, "viewed_on" date not null, "count" integer not null default '1', foreign key("post_id") references "posts"("id") on delete cascade);
CREATE UNIQUE INDEX "post_views_post_id_viewed_on_unique" on "post_views" ("post_id", "viewed_on");
