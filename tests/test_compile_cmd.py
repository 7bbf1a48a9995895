"""schemac compile / init: config-driven runs (several sources, per-table overrides), strict
config errors, --check/--diff output, the summary line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import schemac
from compiler.config import ConfigError, load_config
from compiler.sources import plan_runs

CENTRAL = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE tenants (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
"""
TENANT = """
CREATE TABLE projects (id INTEGER PRIMARY KEY, title TEXT);
CREATE TABLE audits (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id));
"""
TWO_SOURCES = r"""
targets = ["eloquent"]
[tables.users]
model = "Member"

[[sources]]
name = "central"
path = "db/central.sql"
out = "central"
[sources.eloquent]
connection = "central"

[[sources]]
name = "tenant"
path = "db/tenant.sql"
out = "tenant"
[sources.eloquent]
namespace = "App\\Models\\Tenant"
connection = "tenant"
[sources.tables.audits]
ignore = true
"""


def invoke(*args: str):
    return CliRunner().invoke(schemac, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("db").mkdir()
    Path("db/central.sql").write_text(CENTRAL)
    Path("db/tenant.sql").write_text(TENANT)
    return tmp_path


def test_several_sources_from_schemac_toml(project):
    Path("schemac.toml").write_text(TWO_SOURCES)
    result = invoke("compile")
    assert result.exit_code == 0, result.output
    assert "central: 4 written" in result.output and "tenant: " in result.output
    member = Path("central/app/Models/Base/Member.php").read_text()
    assert "protected $connection = 'central';" in member
    project_php = Path("tenant/app/Models/Base/Project.php").read_text()
    assert "protected $connection = 'tenant';" in project_php
    assert "namespace App\\Models\\Tenant;" in Path("tenant/app/Models/Project.php").read_text()
    assert not Path("tenant/app/Models/Base/Audit.php").exists()   # ignored in that source
    assert invoke("compile").output.count("up to date") == 2


def test_sources_in_pyproject_with_paths_relative_to_the_config(project, monkeypatch):
    body = TWO_SOURCES.replace("[tables.", "[tool.schemac.tables.").replace(
        "[[sources]]", "[[tool.schemac.sources]]").replace(
        "[sources.", "[tool.schemac.sources.")
    Path("pyproject.toml").write_text("[project]\nname = 'app'\n[tool.schemac]\n" + body)
    Path("sub").mkdir()
    monkeypatch.chdir(project / "sub")
    runs = plan_runs(load_config())
    assert [(r.name, r.source, r.out) for r in runs] == [
        ("central", "../db/central.sql", "../central"), ("tenant", "../db/tenant.sql", "../tenant")]
    assert runs[0].config.analysis.model_names == {"users": "Member"}
    assert runs[1].config.analysis.ignore_tables == {"audits"}
    assert runs[1].config.raw["eloquent"]["namespace"] == "App\\Models\\Tenant"


def test_single_source_keys_and_table_overrides(project):
    Path("schemac.toml").write_text(
        'source = "db/central.sql"\ntargets = ["eloquent"]\nout = "gen"\n'
        '[tables.users]\nextends = "App\\\\Models\\\\BaseUser"\n'
        'casts = { name = "json" }\n[tables.tenants]\nmodel = "Account"\n')
    assert invoke("compile").exit_code == 0
    user = Path("gen/app/Models/Base/User.php").read_text()
    assert "BaseUser" in user and "'name' => 'array'" in user
    assert Path("gen/app/Models/Base/Account.php").exists()


@pytest.mark.parametrize("text, message", [
    ('sources = [{path = "a.sql", colour = "red"}]\n', "unknown key 'sources[0].colour'"),
    ('[[sources]]\nname = "x"\n', "sources[0]: missing key 'path'"),
    ('[[sources]]\npath = "a.sql"\nout = 3\n', "sources[0].out must be a directory path"),
    ('[tables.users]\nmodell = "X"\n', "unknown key 'tables.users.modell'"),
    ('[tables.users]\nignore = "yes"\n', "tables.users.ignore must be true or false"),
    ('jobs = "4"\n', "jobs must be a number of worker processes"),
    ('[[sources]]\npath = "a.sql"\n[[sources]]\npath = "b/a.sql"\n', "two sources named 'a'"),
])
def test_config_errors_name_the_key_and_the_file(project, text, message):
    Path("schemac.toml").write_text(text)
    with pytest.raises(ConfigError, match="schemac.toml: .*" + message.replace("[", r"\[")
                       .replace("]", r"\]").replace("(", r"\(")):
        load_config()
    result = invoke("compile")
    assert result.exit_code == 2 and message in result.output


def test_unknown_target_option_in_a_source(project):
    Path("schemac.toml").write_text('[[sources]]\npath = "db/central.sql"\n'
                                    'targets = ["eloquent"]\n[sources.eloquent]\nnamespac = "X"\n')
    result = invoke("compile")
    assert result.exit_code == 2 and "unknown option 'namespac' for target 'eloquent'" in \
        result.output


def test_no_source_anywhere(project):
    result = invoke("compile", "-t", "eloquent")
    assert result.exit_code == 2 and "no SOURCE given" in result.output


def test_init_writes_a_loadable_starter_and_never_overwrites(project):
    result = invoke("init", "db/central.sql", "-t", "eloquent")
    assert result.exit_code == 0
    text = Path("schemac.toml").read_text()
    assert text.startswith("# schemac configuration") and "# [[sources]]" in text
    cfg = load_config()
    assert cfg.raw["source"] == "db/central.sql" and cfg.raw["targets"] == ["eloquent"]
    assert invoke("compile").exit_code == 0
    again = invoke("init", "db/tenant.sql")
    assert again.exit_code == 2 and "already exists; not overwritten" in again.output
    assert Path("schemac.toml").read_text() == text


def test_check_lists_stale_missing_and_extra_with_diffs(project):
    Path("schemac.toml").write_text('source = "db/central.sql"\ntargets = ["eloquent"]\n'
                                    'out = "gen"\n')
    assert invoke("compile").exit_code == 0
    Path("db/central.sql").write_text(CENTRAL.replace(
        "name TEXT NOT NULL", "name TEXT NOT NULL, email TEXT").replace(
        "CREATE TABLE tenants (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));",
        "CREATE TABLE teams (id INTEGER PRIMARY KEY);"))
    result = invoke("compile", "--check", "--diff")
    assert result.exit_code == 1
    out = result.output
    assert "stale     gen/app/Models/Base/User.php" in out
    assert "missing   gen/app/Models/Base/Team.php" in out
    assert "extra     gen/app/Models/Base/Tenant.php" in out
    assert "+++ b/app/Models/Base/User.php" in out and "+ * @property string|null $email" in out \
        or "+" in out
    assert "out of date" in out and "run `schemac compile`" in out
    assert not Path("gen/app/Models/Base/Team.php").exists()  # --check writes nothing
    assert invoke("compile").exit_code == 0
    assert invoke("compile", "--check").exit_code == 0


def test_summary_counts_written_unchanged_removed_skipped(project):
    Path("schemac.toml").write_text('source = "db/central.sql"\ntargets = ["eloquent"]\n'
                                    'out = "gen"\n')
    invoke("compile")
    base = Path("gen/app/Models/Base/User.php")
    base.write_text(base.read_text() + "// my edit\n")
    Path("db/central.sql").write_text(CENTRAL.replace(
        "name TEXT NOT NULL", "name TEXT NOT NULL, email TEXT").replace(
        "CREATE TABLE tenants (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));", ""))
    result = invoke("compile")
    assert result.exit_code == 2
    assert "gen/app/Models/Base/User.php: edited since schemac wrote it" in result.output
    assert "1 removed" in result.output and "1 skipped (edited by you)" in result.output
    assert "kept (create-once)" in result.output
    quiet = invoke("compile", "-q", "--no-cache")
    assert "removed" not in quiet.output and "edited since" in quiet.output


def test_existing_user_model_is_kept_and_the_output_says_how_to_hook_it_up(project):
    Path("app/Models").mkdir(parents=True)
    mine = "<?php\n\nnamespace App\\Models;\n\nclass User extends Authenticatable\n{\n}\n"
    Path("app/Models/User.php").write_text(mine)
    result = invoke("compile", "db/central.sql", "-t", "eloquent", "-o", ".")
    assert result.exit_code == 0, result.output
    assert Path("app/Models/User.php").read_text() == mine          # never touched
    assert "make it `extends \\App\\Models\\Base\\User`" in result.output
    assert Path("app/Models/Base/User.php").is_file()
    # once it extends the generated base, there is nothing more to say
    Path("app/Models/User.php").write_text(mine.replace(
        "Authenticatable", "\\App\\Models\\Base\\User"))
    result = invoke("compile", "db/central.sql", "-t", "eloquent", "-o", ".", "--no-cache")
    assert "make it `extends" not in result.output



def test_timings_name_every_phase_on_stderr(project):
    result = invoke("compile", "db/central.sql", "-t", "eloquent", "-o", "out", "--timings",
                    "-q")
    assert result.exit_code == 0, result.output
    phases = [line.split()[1] for line in result.stderr.splitlines()]
    assert phases == ["load", "analyze", "fingerprint", "emit", "plan", "write"]
    assert all(line.endswith("s") for line in result.stderr.splitlines())
    assert result.stdout == ""   # -q: the timings are diagnostics, not output
