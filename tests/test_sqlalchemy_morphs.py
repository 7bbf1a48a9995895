"""Polymorphic relations in the sqlalchemy target, run on SQLAlchemy itself.

With the parents of a morph known (config ``morph_targets``; the type value is what
Laravel stores, the model's class name), the target renders read-only relationships
filtered on the type column: morphMany as ``primaryjoin`` on the child, morphToMany /
morphedByMany as ``secondary`` through the pivot.  Rows of another type never leak in.
"""

from __future__ import annotations

import importlib.util
import sys

from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session, configure_mappers

from backends import get_backend
from compiler.frontends.ddl import load_text
from compiler.options import AnalysisOptions
from compiler.pipeline import build_passes, compile_schema

DDL = """
CREATE TABLE posts (id integer not null primary key autoincrement, title varchar not null);
CREATE TABLE videos (id integer not null primary key autoincrement, url varchar not null);
CREATE TABLE tags (id integer not null primary key autoincrement, name varchar not null);
CREATE TABLE taggables (tag_id integer not null references tags(id),
                        taggable_type varchar not null, taggable_id integer not null);
CREATE TABLE comments (id integer not null primary key autoincrement, body text not null,
                       commentable_type varchar not null, commentable_id integer not null);
"""
OPTIONS = AnalysisOptions(morph_targets={"taggables.taggable": ("posts", "videos"),
                                         "comments.commentable": ("posts", "videos")})
POST, VIDEO = "App\\Models\\Post", "App\\Models\\Video"


def _module(tmp_path):
    schema = compile_schema(load_text(DDL, "t.sql", "sqlite"), build_passes(OPTIONS))
    backend = get_backend("sqlalchemy")
    (out,) = backend.emit(schema, backend.defaults)
    path = tmp_path / "morph_models.py"
    path.write_text(out.text)
    spec = importlib.util.spec_from_file_location("morph_models", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["morph_models"] = module
    try:
        spec.loader.exec_module(module)
        configure_mappers()
    finally:
        del sys.modules["morph_models"]
    return module, out.text


def test_morph_relations_filter_on_the_type_column(tmp_path):
    m, text = _module(tmp_path)
    assert "taggables.c.taggable_type ==" in text and "viewonly=True" in text
    engine = create_engine("sqlite://")
    m.Base.metadata.create_all(engine)
    with Session(engine) as s:
        post, video = m.Post(title="p"), m.Video(url="u")
        red, blue = m.Tag(name="red"), m.Tag(name="blue")
        s.add_all([post, video, red, blue])
        s.flush()
        assert post.id == video.id  # same id, different types: the filter must tell them apart
        s.execute(insert(m.taggables), [
            {"tag_id": red.id, "taggable_type": POST, "taggable_id": post.id},
            {"tag_id": blue.id, "taggable_type": VIDEO, "taggable_id": video.id}])
        s.add_all([m.Comment(body="on post", commentable_type=POST, commentable_id=post.id),
                   m.Comment(body="on video", commentable_type=VIDEO, commentable_id=video.id)])
        s.commit()
        s.expire_all()
        assert [t.name for t in s.get(m.Post, post.id).tags] == ["red"]
        assert [t.name for t in s.get(m.Video, video.id).tags] == ["blue"]
        assert [p.title for p in s.get(m.Tag, red.id).posts] == ["p"]
        assert s.get(m.Tag, red.id).videos == []
        assert [c.body for c in s.get(m.Post, post.id).comments] == ["on post"]
        assert [c.body for c in s.get(m.Video, video.id).comments] == ["on video"]
