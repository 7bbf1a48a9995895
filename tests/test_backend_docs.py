"""Goldens of the docs target for every fixture, and escaping of untrusted names in Markdown."""

from __future__ import annotations

import re

import attrs
import pytest

from backends import HASH_PLACEHOLDER, Ownership
from backends._plantuml_url import encode
from backends.docs import backend
from backends.docs.markdown import code, md
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, HERE, LARAVEL_FIXTURES, fixture_path


def schema_of(fixture: str):
    return attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)


def emit(schema, **options):
    return {f.path: f.text for f in backend.emit(schema, {**backend.defaults, **options})}


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_emit(fixture, golden, subtests):
    for out in backend.emit(schema_of(fixture), backend.defaults):
        with subtests.test(out.path):
            assert out.text == golden(name=out.path.replace("/", "__"))


def test_pages_and_links():
    out = backend.emit(schema_of("laravel_conventions.sqlite.sql"), backend.defaults)
    assert all(f.ownership is Ownership.REGENERATED and HASH_PLACEHOLDER in f.text.split("\n")[0]
               for f in out)
    files = {f.path: f.text for f in out}
    index = files["docs/models/index.md"]
    assert "| [Post](Post.md) | `posts` | 12 |" in index
    assert "![Class diagram](../diagrams/classes.svg)" in index
    post = files["docs/models/Post.md"]
    assert "![Post and its neighbours](../diagrams/models/Post.svg)" in post
    assert "| `author_id` | `integer` | no |  |  | `required\\|integer\\|exists:users,id` |" in post
    assert ("| `author()` | belongsTo | [User](User.md) | `posts.author_id -> users.id` "
            "| inferred (fk-by-role) |") in post
    assert "$post->category()->associate($category);" in post
    user = files["docs/models/User.md"]
    assert "$user->roles()->attach($roleId);" in user
    assert "$user->posts()->create([...]);" in user
    assert "| `profile()` | hasOne |" in user


def test_links_follow_paths_and_server():
    s = schema_of("chinook.sqlite.sql")
    moved = emit(s, path="site/ref", diagrams_path="site/img", diagram_format="png")
    assert "](../img/models/Album.png)" in moved["site/ref/Album.md"]
    none = emit(s, diagram_links="none")
    assert "![" not in none["docs/models/Album.md"]
    server = emit(s, diagram_links="server", plantuml_server="http://127.0.0.1:9/")
    link = server["docs/models/Album.md"].split("](http://127.0.0.1:9/svg/", 1)[1].split(")")[0]
    assert link and set(link) <= set(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
    with pytest.raises(ValueError):
        emit(s, diagram_links="server")        # no server given


def test_untrusted_names_stay_text():
    s = compile_schema(load_text((HERE / "data" / "nasty_names.sqlite.sql").read_text(),
                                 source="n|a`s*t.sql", dialect="sqlite"))
    for path, text in emit(s).items():
        expected = None
        for line in text.splitlines():
            cells = len(line.replace("\\|", "").split("|"))
            if line.startswith("|---"):
                expected = cells
            elif line.startswith("|") and expected is not None:
                assert cells == expected, (path, line)      # no name splits a cell
            elif not line.startswith("|"):
                expected = None
        outside_code = re.sub(r"(`+).*?\1", "", text.split("\n", 1)[1])
        assert "<b>" not in outside_code and "<!--" not in outside_code, path


def test_markdown_helpers():
    assert md("a|b *c* [x](y) <b>") == "a\\|b \\*c\\* \\[x\\](y) \\<b\\>"
    assert md("1. item") == "1\\. item" and md("- item") == "\\- item"
    assert code("a`b|c") == "``a`b\\|c``" and code("`x") == "`` `x ``"
    assert encode("@startuml\nA -> B\n@enduml") == "SoWkIImgAStDuN9KqBLJSE9oICrB0N81"
