"""Goldens of the plantuml target for every fixture, and the rules that keep diagrams readable and safe."""

from __future__ import annotations

import re

import attrs
import pytest

from backends import HASH_PLACEHOLDER, Ownership
from backends.plantuml import backend
from backends.plantuml.names import alias, text
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, HERE, LARAVEL_FIXTURES, fixture_path

NASTY = HERE / "data" / "nasty_names.sqlite.sql"


def schema_of(fixture: str):
    return attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)


def emit(schema, **options):
    return {f.path: f for f in backend.emit(schema, {**backend.defaults, **options})}


def nasty_schema():
    return compile_schema(load_text(NASTY.read_text(), source="nasty_names.sqlite.sql",
                                    dialect="sqlite"))


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_emit(fixture, golden, subtests):
    for out in backend.emit(schema_of(fixture), backend.defaults):
        with subtests.test(out.path):
            assert out.text == golden(name=out.path.replace("/", "__"))


def test_layout_and_ownership():
    files = emit(schema_of("chinook.sqlite.sql"))
    assert {"docs/diagrams/classes.puml", "docs/diagrams/tables.puml",
            "docs/diagrams/models/Album.puml"} <= set(files)
    for f in files.values():
        assert f.ownership is Ownership.REGENERATED
        lines = f.text.splitlines()
        assert lines[0] == "@startuml" and lines[-1] == "@enduml"
        assert lines[1].startswith("' ") and HASH_PLACEHOLDER in lines[1]
    assert set(emit(schema_of("chinook.sqlite.sql"), path="uml")) >= {"uml/classes.puml"}


def test_class_view_edges():
    text_ = emit(schema_of("laravel_conventions.sqlite.sql"))["docs/diagrams/classes.puml"].text
    # many-to-one: both ends named, multiplicities; nullable key -> 0..1
    assert 'T_posts "*\\nposts" -- "1\\nauthor" T_users' in text_
    assert 'T_posts "*\\nposts" -- "0..1\\ncategory" T_categories' in text_
    assert 'T_profiles "0..1\\nprofile" -- "1\\nuser" T_users' in text_          # one-to-one
    assert 'T_roles "*\\nroles" -- "*\\nusers" T_users : via role_user' in text_  # pure pivot
    assert "(T_teams, T_users) .. T_team_user" in text_      # pivot with data: association class
    assert re.search(r'T_comments "\*" \.\.> M_comments_commentable_\w+ : commentable', text_)
    assert "{field} price : decimal" in text_                # never drawn as a method
    assert "<<PK>>" in text_ and "<<FK>>" in text_


def test_tables_view_declared_and_inferred():
    text_ = emit(schema_of("laravel_conventions.sqlite.sql"))["docs/diagrams/tables.puml"].text
    assert 'entity "migrations" as T_migrations' in text_     # every table, models or not
    assert "T_posts }o--o| T_categories : category_id" in text_            # declared, nullable
    assert "T_posts }o..|| T_users : author_id (inferred)" in text_        # inferred: dashed
    assert "T_profiles |o--|| T_users : user_id" in text_                  # unique key: one-to-one


def test_focus_depth():
    s = schema_of("sakila.sqlite.sql")
    one = emit(s)["docs/diagrams/models/City.puml"].text
    two = emit(s, focus_depth=2)["docs/diagrams/models/City.puml"].text
    assert "T_country" in one and "T_address" in one and "T_customer" not in one
    assert "T_customer" in two
    # only the focused model shows its members
    assert one.count("{field}") == len(s.table("city").columns)


def test_packages_by_prefix_and_config():
    s = schema_of("filament-demo.sqlite.sql")
    classes = emit(s)["docs/diagrams/classes.puml"].text
    assert 'package "shop" as P_shop {' in classes and 'package "blog" as P_blog {' in classes
    configured = emit(s, packages={"content": ["blog_posts", "blog_authors"]},
                      package_min_tables=50)["docs/diagrams/classes.puml"].text
    assert 'package "content" as P_content {' in configured and "P_shop" not in configured


def test_overview_split_above_limit():
    files = emit(schema_of("filament-demo.sqlite.sql"), overview_max_classes=10)
    overview = files["docs/diagrams/classes.puml"].text
    assert "{field}" not in overview and 'package "shop (' in overview
    assert re.search(r"P_shop \.\.> P_\w+ : \d+|P_\w+ \.\.> P_shop : \d+", overview)
    parts = [p for p in files if p.startswith("docs/diagrams/classes/")]
    assert parts and all(files[p].text.count("{field}") > 0 for p in parts)
    assert {"docs/diagrams/classes/other-1.puml", "docs/diagrams/classes/other-2.puml",
            "docs/diagrams/tables/shop.puml"} <= set(files)   # oversized group cut in pieces


def test_names_cannot_break_out():
    files = emit(nasty_schema())
    for f in files.values():
        body = f.text.splitlines()[2:-1]
        assert not any(line.lstrip().startswith(("@", "'", "/'", "!")) for line in body), f.path
        for line in body:               # quoted parts never hold a raw quote
            assert line.count('"') % 2 == 0, line
    tables = files["docs/diagrams/tables.puml"].text
    assert 'entity "we<U+0027>ird <U+002A><U+002F> <U+0022>name"' in tables
    assert "<U+0040>enduml" in tables


def test_text_escaping():
    assert text("plain_name") == "plain_name"
    assert text("a__b") == "a_<U+005F>b"
    assert text('"x"') == "<U+0022>x<U+0022>&#8203;"
    assert text("}", tail=False) == "<U+007D>"
    assert alias("T", "order items") != alias("T", "order_items")
    assert re.fullmatch(r"T_\w+", alias("T", "café \"x\" @enduml"))


def test_deterministic():
    s = schema_of("pterodactyl.sqlite.sql")
    assert backend.emit(s, backend.defaults) == backend.emit(s, backend.defaults)


def test_bad_options():
    s = schema_of("chinook.sqlite.sql")
    with pytest.raises(ValueError):
        backend.emit(s, {**backend.defaults, "overview_max_classes": 0})
    with pytest.raises(ValueError):
        backend.emit(s, {**backend.defaults, "packages": {"x": "notalist"}})


def morph_schema():
    from compiler.options import AnalysisOptions
    from compiler.pipeline import build_passes
    opts = AnalysisOptions(morph_targets={"comments.commentable": ("posts", "videos"),
                                          "images.imageable": ("users",),
                                          "taggables.taggable": ("posts", "videos")})
    return compile_schema(load(fixture_path("laravel_conventions.sqlite.sql")),
                          build_passes(opts))


def test_polymorphic_edges_dashed_and_named():
    text_ = emit(morph_schema())["docs/diagrams/classes.puml"].text
    assert 'T_comments "*\\ncomments" ..> "1" T_posts : commentable' in text_      # morphMany
    assert 'T_images "0..1\\nimage" ..> "1" T_users : imageable' in text_          # morphOne
    assert 'T_posts "*\\nposts" ..> "*\\ntags" T_tags : taggable via taggables' in text_
    assert "M_comments_commentable" not in text_      # targets known: no placeholder
    assert "M_notifications_notifiable" in text_      # still unknown
