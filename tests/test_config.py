"""compiler.config: finding and strictly validating [tool.schemac] / schemac.toml, and the
options reaching the passes."""

from __future__ import annotations

import pytest

from compiler.config import KNOWN_RULES, ConfigError, find_config, load_config
from compiler.options import AnalysisOptions, ThroughSpec
from tests.support.tiny import ID, conv, rel_on, run

FULL = """
rules_off = ["fk-by-role", "pivot"]
ignore_tables = ["audits"]
framework_models = true
model_namespace = "Domain\\\\Models"
[models]
tbl_usr = "User"
[relation_names]
"posts.user_id" = "writer"
[morph_map]
post = "posts"
[morph_targets]
"comments.commentable" = ["posts", "videos"]
[casts]
"posts.meta" = "json"
[[through]]
table = "countries"
name = "posts"
through = "users"
related = "posts"
[[through]]
table = "countries"
name = "profile"
through = "users"
related = "profiles"
second_key = "owner"
one = true
"""


def write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def pyproject(tmp_path, body: str):
    return write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n\n[tool.schemac]\n" + body)


def test_pyproject_every_key(tmp_path):
    body = FULL.replace("[models]", "[tool.schemac.models]").replace(
        "[relation_names]", "[tool.schemac.relation_names]").replace(
        "[morph_map]", "[tool.schemac.morph_map]").replace(
        "[morph_targets]", "[tool.schemac.morph_targets]").replace(
        "[casts]", "[tool.schemac.casts]").replace("[[through]]", "[[tool.schemac.through]]")
    cfg = load_config(pyproject(tmp_path, body))
    a = cfg.analysis
    assert cfg.path == str(tmp_path / "pyproject.toml")
    assert a.rules_off == {"fk-by-role", "pivot"} and a.ignore_tables == {"audits"}
    assert a.framework_models and a.model_namespace == "Domain\\Models"
    assert a.model_names == {"tbl_usr": "User"}
    assert a.relation_names == {"posts.user_id": "writer"}
    assert a.morph_map == {"post": "posts"}
    assert a.morph_targets == {"comments.commentable": ("posts", "videos")}
    assert a.casts == {"posts.meta": "json"}
    assert a.through == (ThroughSpec("countries", "posts", "users", "posts"),
                         ThroughSpec("countries", "profile", "users", "profiles",
                                     second_key="owner", one=True))


def test_schemac_toml_top_level(tmp_path):
    a = load_config(write(tmp_path, "schemac.toml", FULL)).analysis
    assert a.ignore_tables == {"audits"} and len(a.through) == 2


def test_schemac_toml_under_tool_schemac(tmp_path):
    cfg = load_config(write(tmp_path, "schemac.toml", '[tool.schemac]\nignore_tables = ["a"]\n'))
    assert cfg.analysis.ignore_tables == {"a"}


def test_search_walks_up_and_prefers_schemac_toml(tmp_path):
    pyproject(tmp_path, 'ignore_tables = ["from_pyproject"]\n')
    write(tmp_path, "schemac.toml", 'ignore_tables = ["from_schemac"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "schemac.toml"
    assert load_config(start=sub).analysis.ignore_tables == {"from_schemac"}


def test_pyproject_without_section_is_skipped(tmp_path):
    pyproject(tmp_path, 'ignore_tables = ["outer"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    write(inner, "pyproject.toml", "[project]\nname = 'inner'\n")
    assert find_config(inner) == tmp_path / "pyproject.toml"


def test_no_config_is_defaults(tmp_path):
    cfg = load_config(start=tmp_path)
    if cfg.path is None:  # a config above tmp_path on this machine would be found instead
        assert cfg.analysis == AnalysisOptions()


def test_empty_section_is_defaults(tmp_path):
    assert load_config(pyproject(tmp_path, "")).analysis == AnalysisOptions()


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_bad_toml_names_file(tmp_path):
    p = write(tmp_path, "schemac.toml", "ignore_tables = [\n")
    with pytest.raises(ConfigError, match="cannot read TOML") as e:
        load_config(p)
    assert str(p) in str(e.value)


def test_unknown_key_names_key_and_file(tmp_path):
    p = pyproject(tmp_path, 'ignore_table = ["x"]\n')
    with pytest.raises(ConfigError) as e:
        load_config(p)
    msg = str(e.value)
    assert msg.startswith(str(p)) and "'ignore_table'" in msg and "ignore_tables" in msg
    assert "\n" not in msg


@pytest.mark.parametrize("line, key", [
    ('rules_off = "fk-by-name"', "rules_off"),
    ('ignore_tables = [1, 2]', "ignore_tables"),
    ('framework_models = "yes"', "framework_models"),
    ('model_namespace = 3', "model_namespace"),
    ('morph_map = ["post"]', "morph_map"),
    ('morph_targets = {"c.x" = "posts"}', "morph_targets"),
    ('models = {users = 1}', "models"),
    ('through = {table = "a"}', "through"),
])
def test_wrong_types(tmp_path, line, key):
    p = write(tmp_path, "schemac.toml", line + "\n")
    with pytest.raises(ConfigError, match=f"^{p}: {key} must be "):
        load_config(p)


def test_unknown_rule_id(tmp_path):
    p = write(tmp_path, "schemac.toml", 'rules_off = ["fk-by-name", "fk-by-magic"]\n')
    with pytest.raises(ConfigError, match="unknown rule 'fk-by-magic'"):
        load_config(p)


def test_every_known_rule_accepted(tmp_path):
    rules = ", ".join(f'"{r}"' for r in sorted(KNOWN_RULES))
    p = write(tmp_path, "schemac.toml", f"rules_off = [{rules}]\n")
    assert load_config(p).analysis.rules_off == KNOWN_RULES


@pytest.mark.parametrize("entry, problem", [
    ('table = "a"\nname = "b"\nthrough = "c"\nrelated = "d"\nvia = "e"', "unknown key 'via'"),
    ('table = "a"\nname = "b"\nrelated = "d"', "missing key 'through'"),
])
def test_through_entries_validated(tmp_path, entry, problem):
    p = write(tmp_path, "schemac.toml", "[[through]]\n" + entry + "\n")
    with pytest.raises(ConfigError, match=rf"through\[0\]: {problem}"):
        load_config(p)


def test_through_value_types_validated(tmp_path):
    p = write(tmp_path, "schemac.toml",
              '[[through]]\ntable = 1\nname = "b"\nthrough = "c"\nrelated = "d"\n')
    with pytest.raises(ConfigError):
        load_config(p)


SCHEMA = (f'CREATE TABLE "users" ({ID}, "name" varchar);'
          f'CREATE TABLE "audits" ({ID}, "user_id" integer, "event" varchar);'
          f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);')


def test_ignore_tables_reaches_the_passes(tmp_path):
    a = load_config(write(tmp_path, "schemac.toml", 'ignore_tables = ["audits"]\n')).analysis
    s = run(SCHEMA, a)
    assert conv(s, "audits").model is None
    assert rel_on(s, "audits", "user_id") is None and rel_on(s, "posts", "user_id") is not None


def test_rules_off_reaches_the_passes(tmp_path):
    a = load_config(write(tmp_path, "schemac.toml", 'rules_off = ["fk-by-name"]\n')).analysis
    assert run(SCHEMA, a).relations == ()
    assert run(SCHEMA).relations != ()


def test_names_reach_the_passes(tmp_path):
    a = load_config(write(tmp_path, "schemac.toml",
                          '[models]\nposts = "Article"\n'
                          '[relation_names]\n"posts.user_id" = "writer"\n')).analysis
    s = run(SCHEMA, a)
    assert conv(s, "posts").model == "Article"
    assert rel_on(s, "posts", "user_id").name == "writer"
