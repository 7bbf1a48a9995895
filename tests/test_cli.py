"""The ``schemac`` CLI: output of ``inspect``, exit codes, and one-line errors on bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import IN_CI, fixture_path

import compiler.cli
from compiler.cli import schemac
from compiler.frontends import load
from ir.serialize import from_json, to_json

ROOT = Path(__file__).parent.parent
BLOG = ROOT / "examples" / "blog.sqlite.sql"
CHINOOK = fixture_path("chinook.sqlite.sql")


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(schemac, [str(a) for a in args], env=env)


def assert_one_line_failure(result, *needles: str, code: int = 2) -> str:
    """Exit ``code``, exactly one line on stderr naming the problem, never a traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stdout + result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("schemac, version ")


def test_text_summary_of_chinook():
    result = run("inspect", CHINOOK)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"schema {CHINOOK} (sqlite): 11 tables\n")
    assert "\ntable Album\n" in out
    album = out.split("\ntable Album\n")[1].split("\n\n")[0].splitlines()
    assert album[0].split() == ["AlbumId", "integer", "not", "null", "PK", "autoincrement"]
    assert "  primary key (AlbumId)  [PK_Album]" in album
    assert "    (ArtistId) -> Artist(ArtistId)" in "\n".join(album)
    assert any(line.strip().startswith("IFK_AlbumArtistId: index (ArtistId)") for line in album)
    # Only the DROP TABLE IF EXISTS statements are reported, on stderr: as info, since
    # no table of that name exists yet at that point (nothing to drop).
    notes = result.stderr.splitlines()
    assert len(notes) == 11
    assert all("info[skipped-statement]: DROP TABLE" in w for w in notes)
    assert out.endswith("diagnostics: 11 infos (on stderr)\n")


def test_text_summary_golden(golden, monkeypatch):
    """The whole summary of the bundled example, pinned (it is what demo.sh shows)."""
    monkeypatch.chdir(ROOT)
    result = run("inspect", "examples/blog.sqlite.sql")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == golden(name="blog.sqlite.sql")


def test_text_summary_shows_actions_uniques_and_defaults():
    out = run("inspect", BLOG).stdout
    assert "(user_id) -> users(id) on delete cascade" in out
    assert "(parent_id) -> categories(id) on delete set null" in out
    assert "users_email_unique: unique (email)" in out
    assert "default 'draft'" in out
    assert "primary key (post_id, tag_id)" in out


def test_text_summary_with_analyze_shows_derived_facts():
    out = run("inspect", "--analyze", BLOG).stdout
    posts = out.split("\ntable posts\n")[1].split("\n\n")[0]
    assert posts.startswith("  conventions: model Post, timestamps created_at/updated_at, "
                            "soft deletes deleted_at")
    assert "cast json" in posts  # meta
    assert "relations (" in out and "posts.tags many_to_many tags.posts via post_tag" in out


def test_json_is_the_stable_ir_form():
    result = run("inspect", "--format", "json", CHINOOK)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == to_json(load(str(CHINOOK)))
    data = json.loads(result.stdout)
    assert list(data) == ["format", "dialect", "source", "tables", "relations", "diagnostics"]
    assert data["source"] == str(CHINOOK)
    assert from_json(result.stdout) == load(str(CHINOOK))


def test_json_stdout_stays_pure_when_there_are_diagnostics(tmp_path):
    src = tmp_path / "v.sql"
    src.write_text("CREATE TABLE t (id integer primary key);\nCREATE VIEW v AS SELECT id FROM t;\n")
    result = run("inspect", "--format", "json", src)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["severity"] for d in data["diagnostics"]] == ["warning"]
    assert result.stderr.splitlines() == [from_json(result.stdout).diagnostics[0].render()]


def test_strict_turns_warnings_into_exit_2(tmp_path):
    src = tmp_path / "v.sql"
    src.write_text("CREATE TABLE t (id integer primary key);\nCREATE VIEW v AS SELECT id FROM t;\n")
    lax = run("inspect", src)
    assert lax.exit_code == 0
    assert "warning[" in lax.stderr and "diagnostics: 1 warning (on stderr)" in lax.stdout
    strict = run("inspect", "--strict", src)
    assert strict.exit_code == 2
    assert strict.stderr.splitlines()[-1] == "schemac: 1 warning(s) treated as errors (--strict)"


def test_dialect_option_overrides_file_name(tmp_path):
    src = tmp_path / "s.sql"
    src.write_text("CREATE TABLE t (id int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (id));\n")
    data = json.loads(run("inspect", "--format", "json", "--dialect", "mysql", src).stdout)
    assert data["dialect"] == "mysql"
    assert data["tables"][0]["columns"][0]["type"]["unsigned"] is True


# --- bad input: one line on stderr, exit 2, never a traceback ------------------------------

def test_missing_file(tmp_path):
    assert_one_line_failure(run("inspect", tmp_path / "nope.sql"), "nope.sql", "no such file")


def test_directory(tmp_path):
    assert_one_line_failure(run("inspect", tmp_path), str(tmp_path), "directory")


def test_empty_file(tmp_path):
    (tmp_path / "e.sql").write_text("  \n")
    assert_one_line_failure(run("inspect", tmp_path / "e.sql"), "e.sql", "empty")


def test_binary_not_sqlite(tmp_path):
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_line_failure(run("inspect", tmp_path / "x.png"), "x.png", "not a SQLite")


def test_corrupt_sqlite(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + bytes((i * 37 + 11) % 256 for i in range(8192)))
    assert_one_line_failure(run("inspect", bad), "bad.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.db"]  # no -wal/-shm left


def test_locked_sqlite(tmp_path):
    db = tmp_path / "locked.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (id integer primary key)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = assert_one_line_failure(run("inspect", db), "locked.db")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in line


def test_ddl_syntax_error_names_line_and_column(tmp_path):
    src = tmp_path / "broken.sql"
    src.write_text("CREATE TABLE ok (id integer);\n\nCREATE TABLE t (a int, b int));\n")
    result = run("inspect", src)
    assert_one_line_failure(result, "broken.sql:3:30: error[parse-error]")
    assert "ok" in result.stdout  # the sound table is still summarised


def test_unknown_dialect(tmp_path):
    (tmp_path / "s.sql").write_text("CREATE TABLE t (id int);\n")
    assert_one_line_failure(run("inspect", "--dialect", "oracle9", tmp_path / "s.sql"),
                            "unknown dialect 'oracle9'")


def test_usage_error_exits_2():
    assert run("inspect").exit_code == 2
    assert run("inspect", "--format", "xml", CHINOOK).exit_code == 2


# --- bugs: one line and exit 3, or the traceback on request ---------------------------------

def _boom(path, dialect=None):
    raise RuntimeError("boom\nsecond line")


def test_internal_error_is_one_line_exit_3(monkeypatch):
    monkeypatch.setattr(compiler.cli, "load", _boom)
    line = assert_one_line_failure(run("inspect", CHINOOK), code=3)
    assert line.startswith("schemac: internal error: RuntimeError: boom second line")
    assert "--traceback" in line and "SCHEMAC_DEBUG=1" in line


@pytest.mark.parametrize("how", ["flag", "env"])
def test_internal_error_traceback_on_request(monkeypatch, how):
    monkeypatch.setattr(compiler.cli, "load", _boom)
    if how == "flag":
        result = run("inspect", "--traceback", CHINOOK)
    else:
        result = run("inspect", CHINOOK, env={"SCHEMAC_DEBUG": "1"})
    assert isinstance(result.exception, RuntimeError)


# --- the installed console script ------------------------------------------------------------

def _console_script() -> Path:
    script = Path(sys.executable).parent / "schemac"
    if not script.exists():
        if IN_CI:
            pytest.fail("the schemac console script is not installed (pip install -e .)")
        pytest.skip("schemac console script not installed")
    return script


def test_console_script(tmp_path):
    script = _console_script()
    env = {k: v for k, v in os.environ.items() if k != "SCHEMAC_DEBUG"}
    ok = subprocess.run([script, "inspect", "--format", "json", CHINOOK], capture_output=True,
                        check=False, text=True, env=env, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == to_json(load(str(CHINOOK)))
    bad = subprocess.run([script, "inspect", tmp_path / "nope.sql"], capture_output=True,
                         check=False, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert bad.returncode == 2
    assert bad.stderr == f"schemac: {tmp_path / 'nope.sql'}: no such file\n"
    assert bad.stdout == ""
