"""Incremental and parallel compiles: no-change runs skip parsing, one changed table re-emits
only itself and its neighbours, and --jobs N writes the same bytes as a serial run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import compiler.driver
from backends import registry
from compiler import parallel
from compiler.cli import schemac
from tests.conftest import fixture_path
from tests.test_plugins import SCHEMA, install_rows

REPO = Path(__file__).resolve().parent.parent
SCHEMA = SCHEMA.replace("boom", "bam")


@pytest.fixture
def rows(monkeypatch):
    return install_rows(monkeypatch)


def compile_cli(*args: str):
    return CliRunner().invoke(schemac, ["compile", *args], catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".schemac" not in p.parts}


def installed_targets() -> list[str]:
    out = []
    for name, ep in registry().items():
        try:
            ep.load()
        except Exception:  # noqa: BLE001, S112 -- a backend still being written elsewhere
            continue
        out.append(name)
    return out


def test_no_change_run_does_not_parse(tmp_path, rows, monkeypatch):
    src, out = tmp_path / "s.sql", tmp_path / "out"
    src.write_text(SCHEMA)
    assert compile_cli(str(src), "-t", "rows", "-o", str(out)).exit_code == 0

    def no_parse(*a, **k):
        raise AssertionError("parsed the source on a no-change run")
    monkeypatch.setattr(compiler.driver, "load", no_parse)
    result = compile_cli(str(src), "-t", "rows", "-o", str(out))
    assert result.exit_code == 0 and "up to date" in result.output
    assert compile_cli(str(src), "-t", "rows", "-o", str(out), "--check").exit_code == 0


@pytest.mark.parametrize("touch", ["edit-output", "delete-output", "config", "option"])
def test_cache_is_busted_by_any_input_or_output_change(tmp_path, rows, monkeypatch, touch):
    monkeypatch.chdir(tmp_path)
    Path("s.sql").write_text(SCHEMA)
    Path("schemac.toml").write_text('source = "s.sql"\ntargets = ["rows"]\nout = "out"\n')
    assert compile_cli().exit_code == 0
    if touch == "edit-output":
        Path("out/rows/users.txt").write_text("mine\n")
    elif touch == "delete-output":
        Path("out/rows/users.txt").unlink()
    elif touch == "config":
        Path("schemac.toml").write_text('source = "s.sql"\ntargets = ["rows"]\nout = "out"\n'
                                        '[rows]\nsuffix = ".md"\n')
    result = compile_cli(*(["--strict"] if touch == "option" else []))
    assert "up to date" not in result.output
    if touch == "edit-output":
        assert result.exit_code == 2 and "edited since schemac wrote it" in result.output
    elif touch == "delete-output":
        assert Path("out/rows/users.txt").exists()
    elif touch == "config":
        assert Path("out/rows/users.md").exists() and not Path("out/rows/users.txt").exists()


def test_one_changed_table_reemits_it_and_its_neighbours(tmp_path, rows):
    src, out = tmp_path / "s.sql", tmp_path / "out"
    src.write_text(SCHEMA)
    assert compile_cli(str(src), "-t", "rows", "-o", str(out), "-j", "1").exit_code == 0
    rows.CALLS.clear()
    src.write_text(SCHEMA.replace("name TEXT", "name TEXT, email TEXT"))  # users changes
    result = compile_cli(str(src), "-t", "rows", "-o", str(out), "-j", "1", "-v")
    assert result.exit_code == 0, result.output
    emitted = {t for call in rows.CALLS for t in call}
    assert emitted == {"users", "posts"}  # posts links to users; bam and tags untouched
    assert "2 table(s) re-emitted" in result.output
    # same bytes as a full run from scratch
    full = tmp_path / "full"
    assert compile_cli(str(src), "-t", "rows", "-o", str(full), "--no-cache").exit_code == 0
    assert snapshot(out) == snapshot(full)


def test_dropped_table_removed_incrementally(tmp_path, rows):
    src, out = tmp_path / "s.sql", tmp_path / "out"
    src.write_text(SCHEMA)
    compile_cli(str(src), "-t", "rows", "-o", str(out))
    src.write_text(SCHEMA.replace("CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);", ""))
    result = compile_cli(str(src), "-t", "rows", "-o", str(out))
    assert result.exit_code == 0 and "1 removed" in result.output
    assert not (out / "rows/tags.txt").exists() and (out / "rows/bam.txt").exists()


def _serial_vs_parallel(tmp_path, src: Path, targets: list[str], monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 0)
    pools = []
    real_pool = parallel._pool
    monkeypatch.setattr(parallel, "_pool", lambda *a: (pools.append(1), real_pool(*a))[1])
    args = [a for t in targets for a in ("-t", t)]
    one, two = tmp_path / "serial", tmp_path / "parallel"
    r1 = compile_cli(str(src), *args, "-o", str(one), "-j", "1", "--no-cache")
    r2 = compile_cli(str(src), *args, "-o", str(two), "-j", "2", "--no-cache")
    assert r1.exit_code == r2.exit_code, (r1.output, r2.output)
    assert pools == [1]  # the second run really forked workers
    diags = [sorted(x for x in r.output.splitlines() if "]: " in x) for r in (r1, r2)]
    assert diags[0] == diags[1]  # backend diagnostics come back from the workers
    a, b = snapshot(one), snapshot(two)
    assert a and a.keys() == b.keys()
    assert [p for p in a if a[p] != b[p]] == []


def test_parallel_equals_serial_on_a_fixture(tmp_path, rows, monkeypatch):
    src = fixture_path("chinook.sqlite.sql")
    _serial_vs_parallel(tmp_path, Path(src), installed_targets(), monkeypatch)


def test_parallel_equals_serial_on_300_generated_tables(tmp_path, rows, monkeypatch):
    src = tmp_path / "gen.sql"
    subprocess.run([sys.executable, str(REPO / "bench/gen_schema.py"), "300", "-o", str(src)],
                   check=True, timeout=60)
    targets = [t for t in installed_targets() if t in ("rows", "eloquent", "laravel-migrations")]
    _serial_vs_parallel(tmp_path, src, targets, monkeypatch)


def test_chunks_cover_every_table_once():
    tables = [f"t{i}" for i in range(1003)]
    import backends as b
    real = b.registry

    class Whole:
        def emit(self, *a):
            return []

    class PT(Whole):
        def emit_tables(self, *a):
            return []

    class EP:
        module = "x"

        def __init__(self, cls):
            self.cls = cls

        def load(self):
            return self.cls()
    try:
        b.registry = lambda: {**real(), "pt": EP(PT), "whole": EP(Whole)}
        assert [t.mode for t in parallel.make_tasks(["whole"], tables, 2)] == ["whole"]
        tasks = parallel.make_tasks(["pt"], tables, 2)
    finally:
        b.registry = real
    chunked = [name for t in tasks if t.mode == "tables" for name in t.tables]
    assert chunked == tables and tasks[0].mode == "shared" and len(tasks) == 9


BUILT_IN = ["docs", "eloquent", "factories", "form-requests", "laravel-migrations", "plantuml",
            "sqlalchemy"]
EDITS = [  # (fixture, text, replacement): one table changes, the others stay
    ("chinook.sqlite.sql", "[Title] NVARCHAR(160)  NOT NULL,",
     "[Title] NVARCHAR(160)  NOT NULL, [Subtitle] NVARCHAR(160),"),
    ("laravel/filament-demo.sqlite.sql", '"name" varchar not null, "slug" varchar not null',
     '"name" varchar not null, "tagline" varchar, "slug" varchar not null'),
]


@pytest.mark.parametrize("fixture, old, new", EDITS, ids=[e[0] for e in EDITS])
def test_incremental_run_of_every_target_equals_a_full_run(tmp_path, fixture, old, new):
    """Per-table targets re-emit a few tables; what is kept, re-emitted and removed
    must add up to exactly the files of a run from scratch (no stale, no lost file)."""
    text = Path(fixture_path(fixture)).read_text()
    assert text.count(old) >= 1
    src, out, full = tmp_path / "s.sqlite.sql", tmp_path / "out", tmp_path / "full"
    src.write_text(text)
    args = [a for t in BUILT_IN for a in ("-t", t)]
    assert compile_cli(str(src), *args, "-o", str(out), "-j", "1").exit_code == 0
    src.write_text(text.replace(old, new, 1))
    again = compile_cli(str(src), *args, "-o", str(out), "-j", "1")
    assert again.exit_code == 0, again.output
    assert "table(s) re-emitted" in again.output and "removed" not in again.output
    assert compile_cli(str(src), *args, "-o", str(full), "--no-cache").exit_code == 0
    a, b = snapshot(out), snapshot(full)
    # Create-once files (models, factories, requests, migrations) are the user's after
    # the first run: they stay as they were.  Everything schemac owns must match.
    owned = {p for p, e in json.loads((full / ".schemac/manifest.json").read_text())["files"]
             .items() if e["ownership"] != "create-once"}
    assert owned and {p for p in a if p in owned} == owned
    assert [p for p in owned if a[p] != b[p]] == []
    assert set(a) - owned == {p for p in b if p not in owned and "migrations/" not in p} | {
        p for p in a if "migrations/" in p}
    check = compile_cli(str(src), *args, "-o", str(out), "--check")
    assert check.exit_code == 0, check.output
    # The cache the incremental run saved (kept files' stamps included) answers at once.
    fresh = compile_cli(str(src), *args, "-o", str(out))
    assert fresh.exit_code == 0 and "up to date" in fresh.output, fresh.output


def test_cache_file_is_the_sorted_compact_json_of_the_record(tmp_path):
    from compiler import cache
    rec = cache.Cache("k" * 64, "b" * 64, {"a/b.php": [1, 2], 'x"y.php': [3, 4], "é.md": [5, 6]},
                      {"t1": "h1", "ü": "h2"})
    cache.save(tmp_path, "tenant", rec)
    text = cache.cache_path(tmp_path, "tenant").read_text()
    assert text == json.dumps({"format": cache.FORMAT, "key": rec.key, "base": rec.base,
                               "files": rec.files, "tables": rec.tables},
                              sort_keys=True, separators=(",", ":")) + "\n"
    assert cache.load(tmp_path, "tenant") == rec


def test_fingerprints_are_the_same_in_every_process():
    """They key the next run's cache: no hash seed, address or set order may leak in."""
    code = ("import json, sys; from compiler import cache; from compiler.frontends import load; "
            "from compiler.pipeline import build_passes; s = load(sys.argv[1], None)\n"
            "for p in build_passes(): s = p(s)\n"
            "print(json.dumps(cache.table_fingerprints(s), sort_keys=True))")
    src = str(fixture_path("laravel/filament-demo.sqlite.sql"))
    outs = {subprocess.run([sys.executable, "-c", code, src], capture_output=True, text=True,
                           check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}
                           ).stdout for seed in ("1", "2")}
    assert len(outs) == 1 and len(json.loads(outs.pop())) > 20
