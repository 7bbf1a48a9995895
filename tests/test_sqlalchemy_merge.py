"""Regenerating the sqlalchemy output keeps the user's code (ownership "merged")."""

from __future__ import annotations

import ast
import time

from backends.sqlalchemy import backend, merge
from compiler.frontends import load
from compiler.pipeline import compile_schema

V1 = """
CREATE TABLE "authors" ("id" integer primary key autoincrement, "name" varchar(80) not null);
CREATE TABLE "posts" ("id" integer primary key autoincrement, "author_id" integer not null
  references "authors" ("id"), "title" varchar(200) not null, "legacy" text);
CREATE TABLE "tags" ("id" integer primary key autoincrement, "label" text);
CREATE TABLE "notes" ("id" integer primary key autoincrement, "body" text);
"""
# v2: posts.legacy dropped, posts.subtitle added, tags and notes dropped, comments added.
V2 = """
CREATE TABLE "authors" ("id" integer primary key autoincrement, "name" varchar(80) not null);
CREATE TABLE "posts" ("id" integer primary key autoincrement, "author_id" integer not null
  references "authors" ("id"), "title" varchar(200) not null, "subtitle" text);
CREATE TABLE "comments" ("id" integer primary key autoincrement, "post_id" integer not null
  references "posts" ("id"), "body" text not null);
"""


def generate(tmp_path, ddl: str) -> str:
    path = tmp_path / "app.sqlite.sql"
    path.write_text(ddl)
    return backend.emit(compile_schema(load(path)), {})[0].text


def edit(text: str) -> str:
    """What a user does to the generated module."""
    text = text.replace("from sqlalchemy.orm import", "import functools\nfrom sqlalchemy.orm import", 1)
    text = text.replace("    # schemac:end class Post\n", """    # schemac:end class Post

    MAX_TITLE = 200

    @property
    def short_title(self) -> str:
        return self.title[:20]
""")
    # A method written *inside* the generated block (above the end line).
    text = text.replace("    # schemac:end class Author\n", """    def shout(self) -> str:
        return self.name.upper()

    # schemac:end class Author
""")
    text = text.replace("    # schemac:end class Tag\n", """    # schemac:end class Tag

    def pretty(self) -> str:
        return f"#{self.label}"
""")
    return text + '''

class PostSummary:
    """The user's own class."""

    title: str = ""
'''


def test_regeneration_keeps_user_code(tmp_path):
    v1 = generate(tmp_path, V1)
    user = edit(v1)
    v2 = generate(tmp_path, V2)
    merged = backend.merge("models.py", user, v2)
    ast.parse(merged)
    # The user's code is kept.
    assert "import functools\n" in merged
    assert "    MAX_TITLE = 200\n" in merged and "def short_title(self) -> str:" in merged
    assert "def shout(self) -> str:" in merged          # moved below Author's end line
    assert "class PostSummary:" in merged
    # Generated members are updated.
    assert "subtitle: Mapped[str | None]" in merged and "legacy" not in merged
    assert "class Comment(Base):" in merged and "comments: Mapped[list[Comment]]" in merged
    # A dropped table: its class goes when the user added nothing, stays when they did.
    assert "class Note(Base)" not in merged
    assert "# schemac: class Tag no longer exists in the schema; kept because it holds your " \
           "code\nclass Tag(Base):" in merged and 'return f"#{self.label}"' in merged
    # The user's members stay inside their class.
    tree = ast.parse(merged)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    members = {c: {_name(s) for s in node.body} for c, node in classes.items()}
    assert {"short_title", "MAX_TITLE", "subtitle"} <= members["Post"]
    assert "shout" in members["Author"]
    # Merging again changes nothing; the untouched file merges to the new text exactly.
    assert backend.merge("models.py", merged, v2) == merged
    assert backend.merge("models.py", v1, v2) == v2


def _name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign):
        return getattr(stmt.targets[0], "id", None)
    if isinstance(stmt, ast.AnnAssign):
        return getattr(stmt.target, "id", None)
    return getattr(stmt, "name", None)


def test_user_bases_and_decorators_are_kept(tmp_path):
    v1 = generate(tmp_path, V1)
    user = v1.replace("class Author(Base):", "@functools.total_ordering\nclass Author(Mixin, Base):")
    merged = backend.merge("models.py", user, generate(tmp_path, V2))
    assert "@functools.total_ordering\nclass Author(Mixin, Base):" in merged


def test_untouched_large_module_merges_without_parsing(tmp_path, monkeypatch):
    import backends.sqlalchemy.merge_cst as cst_half

    monkeypatch.setattr(cst_half, "keep_user_code", lambda *a: (_ for _ in ()).throw(
        AssertionError("libcst used on an untouched region")))
    ddl = "".join(f'CREATE TABLE "t{i}" ("id" integer primary key, "v" text);\n'
                  for i in range(2000))
    old = generate(tmp_path, ddl)
    new = generate(tmp_path, ddl + 'CREATE TABLE "extra" ("id" integer primary key);\n')
    start = time.perf_counter()
    merged = merge.merge(old + "\n\ndef mine() -> int:\n    return 1\n", new)
    assert time.perf_counter() - start < 1.0
    assert "class Extra(Base):" in merged and "def mine() -> int:" in merged
