"""Plugins: backends and passes from entry points, event hooks, --events, failure isolation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import backends
from compiler.cli import schemac

REPO = Path(__file__).resolve().parent.parent

# A per-table backend: one file per table, an index for the whole schema; raises for "boom".
PLUGIN_SRC = '''
"""schemac_testplugin: a tiny per-table backend, a pass and an event hook."""
import attrs
from backends import HASH_PLACEHOLDER, OutputFile, Ownership
from compiler.events import hookimpl

CALLS = []


class Rows:
    name = "rows"
    defaults = {"suffix": ".txt"}

    def emit_tables(self, schema, options, tables):
        CALLS.append(tuple(tables))
        out = []
        for name in tables:
            if name == "boom":
                raise ValueError("cannot render table boom")
            t = schema.table(name)
            rels = sorted(r.name or "" for r in schema.relations
                          if name in (r.table, r.ref_table))
            text = (f"# {HASH_PLACEHOLDER}\\n" + "\\n".join(c.name for c in t.columns)
                    + "\\nrelations: " + ",".join(rels) + "\\n")
            out.append(OutputFile(f"rows/{name}{options['suffix']}", text,
                                  Ownership.REGENERATED, (name,)))
        return out

    def emit_shared(self, schema, options):
        names = "\\n".join(t.name for t in schema.tables)
        return [OutputFile("rows/index.txt", f"# {HASH_PLACEHOLDER}\\n{names}\\n",
                           Ownership.REGENERATED, tuple(t.name for t in schema.tables))]

    def emit(self, schema, options):
        return self.emit_shared(schema, options) + self.emit_tables(
            schema, options, [t.name for t in schema.tables])


backend = Rows()


def shout(schema, options):
    """Plugin pass: upper-case every table comment (runs after detect_conventions)."""
    return schema.replace_tables(attrs.evolve(t, comment="SEEN BY PLUGIN") for t in schema.tables)


shout.after = "detect_conventions"


@hookimpl
def schemac_schema_analyzed(source, schema):
    import os
    with open(os.environ["TESTPLUGIN_LOG"], "a") as fh:
        fh.write(f"analyzed {len(schema.tables)} {schema.tables[0].comment}\\n")
'''


class FakeEP:
    def __init__(self, name: str, obj: object, module: str = "tests.test_plugins") -> None:
        self.name, self._obj, self.module = name, obj, module

    def load(self) -> object:
        return self._obj


def install_rows(monkeypatch) -> types.ModuleType:
    """Register the plugin backend in-process as target ``rows``; returns its module."""
    mod = types.ModuleType("schemac_testplugin_inproc")
    exec(compile(PLUGIN_SRC, "schemac_testplugin", "exec"), mod.__dict__)  # noqa: S102
    real = backends.registry

    def registry():
        return {**real(), "rows": FakeEP("rows", mod.backend)}

    monkeypatch.setattr(backends, "registry", registry)
    return mod


@pytest.fixture
def rows(monkeypatch):
    return install_rows(monkeypatch)


def compile_cli(*args: str):
    return CliRunner().invoke(schemac, ["compile", *args], catch_exceptions=False)


SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT);
CREATE TABLE boom (id INTEGER PRIMARY KEY, note TEXT);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);
"""


def test_one_failing_table_is_isolated(tmp_path, rows):
    src = tmp_path / "s.sql"
    src.write_text(SCHEMA)
    out = tmp_path / "out"
    result = compile_cli(str(src), "-t", "rows", "-o", str(out), "-j", "1")
    assert result.exit_code == 2
    assert ("boom: error[table-failed]: target rows failed for this table: "
            "ValueError: cannot render table boom") in result.output
    assert sorted(p.name for p in (out / "rows").iterdir()) == [
        "index.txt", "posts.txt", "tags.txt", "users.txt"]


def test_failed_table_keeps_its_earlier_files(tmp_path, rows):
    src = tmp_path / "s.sql"
    src.write_text(SCHEMA.replace("boom", "bam"))
    out = tmp_path / "out"
    assert compile_cli(str(src), "-t", "rows", "-o", str(out)).exit_code == 0
    # a later schema makes the backend fail on a table: its old file must survive
    src.write_text(SCHEMA.replace("boom", "bam") + "CREATE TABLE boom (id INTEGER PRIMARY KEY);")
    assert compile_cli(str(src), "-t", "rows", "-o", str(out)).exit_code == 2
    assert (out / "rows/bam.txt").exists()


def test_whole_target_failure_removes_none_of_its_files(tmp_path, rows, monkeypatch):
    src = tmp_path / "s.sql"
    src.write_text(SCHEMA.replace("boom", "bam"))
    out = tmp_path / "out"
    assert compile_cli(str(src), "-t", "rows", "-o", str(out)).exit_code == 0
    monkeypatch.setattr(type(rows.backend), "emit_shared",
                        lambda self, s, o: (_ for _ in ()).throw(RuntimeError("bug")))
    result = compile_cli(str(src), "-t", "rows", "-o", str(out), "--no-cache")
    assert result.exit_code == 2 and "target rows failed: RuntimeError: bug" in result.output
    assert (out / "rows/index.txt").exists()


def test_events_file_and_hooks(tmp_path, rows):
    src = tmp_path / "s.sql"
    src.write_text(SCHEMA)
    log = tmp_path / "events.jsonl"
    compile_cli(str(src), "-t", "rows", "-o", str(tmp_path / "out"), "--events", str(log))
    events = [json.loads(line) for line in log.read_text().splitlines()]
    names = [e["event"] for e in events]
    assert names[:3] == ["schema-loaded", "relations-inferred", "schema-analyzed"]
    assert names[-1] == "run-finished" and events[-1]["exit_code"] == 2
    assert {"event": "generation-failed", "target": "rows", "table": "boom",
            "error": "ValueError: cannot render table boom"} in events
    generated = {e["path"]: e["action"] for e in events if e["event"] == "file-generated"}
    assert generated == {"rows/index.txt": "create", "rows/posts.txt": "create",
                         "rows/tags.txt": "create", "rows/users.txt": "create"}


def test_plugin_from_a_dist_info_entry_point(tmp_path):
    """A real (if tiny) installed distribution: a dist-info directory on sys.path."""
    site = tmp_path / "site"
    (site / "schemac_testplugin").mkdir(parents=True)
    (site / "schemac_testplugin/__init__.py").write_text(PLUGIN_SRC)
    dist = site / "schemac_testplugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: schemac-testplugin\n"
                                   "Version: 0.1\n")
    (dist / "entry_points.txt").write_text(textwrap.dedent("""\
        [schemac.backends]
        rows = schemac_testplugin:backend
        [schemac.passes]
        shout = schemac_testplugin:shout
        [schemac.hooks]
        testplugin = schemac_testplugin
        """))
    src = tmp_path / "s.sql"
    src.write_text(SCHEMA.replace("boom", "bam"))
    log = tmp_path / "hook.log"
    env = {**os.environ, "PYTHONPATH": str(site), "TESTPLUGIN_LOG": str(log)}
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "compile", str(src), "-t", "rows",
                           "-o", str(tmp_path / "out")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out/rows/bam.txt").read_text().endswith("id\nnote\nrelations: \n")
    assert log.read_text() == "analyzed 4 SEEN BY PLUGIN\n"  # the pass ran before the hook


def test_plugin_pass_after_an_unknown_pass_is_an_error(tmp_path, monkeypatch):
    from compiler import pipeline

    def bad(schema, options):
        return schema
    bad.after = "no_such_pass"
    monkeypatch.setattr(pipeline, "plugin_passes", lambda: (("bad", "no_such_pass", bad),))
    with pytest.raises(pipeline.PluginError, match="plugin pass 'bad': `after` must name"):
        pipeline.build_passes()
