"""Staged writes: workers write temp copies, the parent renames them or drops them all.

A run that must write nothing (``--strict`` with a warning) leaves no file, no
temp file and no directory behind; a run interrupted while renaming leaves no
temp file and every file old or new; a parallel run leaves the same tree as a
serial one; the migration glob index answers as ``fnmatch`` would.
"""

from __future__ import annotations

import os
import pickle
import random
import time
from fnmatch import fnmatchcase
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from backends import OutputFile, Ownership
from compiler import parallel, writer
from compiler.cli import schemac
from compiler.outdir import OutDir
from tests.conftest import fixture_path

TARGETS = ["-t", "eloquent", "-t", "laravel-migrations", "-t", "docs", "-t", "sqlalchemy"]


def compile_(*args: str):
    return CliRunner().invoke(schemac, ["compile", *args], catch_exceptions=False)


def everything(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def failing(real, nth: int, exc: BaseException, calls: list | None = None,
            when=lambda path: True, pause: float = 0.0):
    """``real(path, ...)`` that raises ``exc`` on the ``nth`` call whose path ``when``
    accepts, ``pause`` seconds late (``calls``: a count shared with another such function)."""
    calls = [] if calls is None else calls

    def call(path, *args):
        if when(path):
            calls.append(path)
            if len(calls) == nth:
                time.sleep(pause)
                raise exc
        return real(path, *args)
    return call


def test_a_blocked_run_leaves_nothing_behind(tmp_path):
    src = tmp_path / "v.sql"
    src.write_text("CREATE TABLE posts (id integer primary key, title text);\n"
                   "CREATE VIEW v AS SELECT id FROM posts;\n")   # a warning: views are skipped
    out = tmp_path / "out" / "deeper"
    result = compile_(str(src), "-o", str(out), "--strict", *TARGETS)
    assert result.exit_code == 2
    assert "nothing written" in result.output
    assert not (tmp_path / "out").exists()   # not even the directories it made
    ok = compile_(str(src), "-o", str(out), *TARGETS)
    assert ok.exit_code == 0 and (out / "app/Models/Post.php").is_file()


def test_interrupted_commit_leaves_old_or_new_and_no_temp_file(tmp_path, monkeypatch):
    src = tmp_path / "s.sql"
    src.write_text("CREATE TABLE posts (id integer primary key, title text);\n"
                   "CREATE TABLE tags (id integer primary key, name text);\n")
    out = tmp_path / "out"
    assert compile_(str(src), "-o", str(out), *TARGETS).exit_code == 0
    before = {p: (out / p).read_text() for p in everything(out) if (out / p).is_file()}
    src.write_text(src.read_text().replace("title text", "title text, body text")
                   .replace("name text", "name text, slug text"))
    real, calls = os.replace, []

    def flaky(a, b):
        calls.append(b)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(a, b)

    monkeypatch.setattr(os, "replace", flaky)
    interrupted = compile_(str(src), "-o", str(out), *TARGETS)
    monkeypatch.setattr(os, "replace", real)
    assert interrupted.exit_code == 1 and "Aborted" in interrupted.output  # click's Ctrl-C
    after = everything(out)
    assert [p for p in after if p.endswith(".schemac-tmp")] == []
    changed = [p for p in before if (out / p).read_text() != before[p]]
    assert len(changed) == 2   # the two renames before the interruption
    assert compile_(str(src), "-o", str(out), *TARGETS).exit_code == 0   # no false conflict
    assert "body" in (out / "app/Models/Base/Post.php").read_text()


def test_parallel_staged_run_equals_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    src = str(fixture_path("chinook.sqlite.sql"))
    one, two = tmp_path / "one", tmp_path / "two"
    assert compile_(src, "-o", str(one), "-j", "1", *TARGETS).exit_code == 0
    assert compile_(src, "-o", str(two), "-j", "2", *TARGETS).exit_code == 0
    files = everything(one)
    assert files == everything(two) and not any(p.endswith(".schemac-tmp") for p in files)
    assert all((one / p).read_bytes() == (two / p).read_bytes()
               for p in files if (one / p).is_file() and not p.startswith(".schemac"))


def test_glob_index_agrees_with_fnmatch(tmp_path):
    rng = random.Random(7)
    names = ["".join(rng.choices("ab_.", k=rng.randint(1, 6))) + ".php" for _ in range(300)]
    folder = tmp_path / "m"
    folder.mkdir()
    for n in set(names):
        (folder / n).write_text("")
    disk = OutDir(tmp_path)
    for _ in range(500):
        suffix = "".join(rng.choices("ab_.", k=rng.randint(0, 4))) + rng.choice([".php", "p", ""])
        for pattern in (f"*{suffix}", f"a*{suffix}", suffix or "x"):
            want = any(fnmatchcase(n, pattern) for n in names)
            assert disk.glob_any(f"m/{pattern}") is want, pattern
    assert disk.glob_any("missing/*.php") is False


def test_target_never_leaves_the_root(tmp_path):
    root = tmp_path / "out"
    (root / "a" / "b").mkdir(parents=True)
    (root / "out_link").symlink_to(tmp_path, target_is_directory=True)
    rng = random.Random(3)
    pieces = ["a", "b", ".", "..", "", "x.php", ".schemac", "out_link", "\\", "c"]
    inside = os.path.realpath(root) + os.sep
    disk = OutDir(root)
    for _ in range(3000):
        rel = "/".join(rng.choices(pieces, k=rng.randint(1, 5)))
        found = disk.target(rel)
        if found is not None:
            assert os.path.realpath(found).startswith(inside), rel
            assert Path(found).relative_to(root).parts[0] != ".schemac", rel
            assert ".." not in rel.split("/") and "\\" not in rel, rel


def test_an_updated_file_keeps_its_mode_and_a_new_file_gets_the_umask(tmp_path):
    src = tmp_path / "s.sql"
    src.write_text("CREATE TABLE posts (id integer primary key, title text);\n")
    out = tmp_path / "out"
    old = os.umask(0o027)
    try:
        assert compile_(str(src), "-o", str(out), "-t", "docs").exit_code == 0
        page = out / "docs/models/Post.md"
        assert page.stat().st_mode & 0o777 == 0o640
        page.chmod(0o604)
        src.write_text("CREATE TABLE posts (id integer primary key, title text, body text);\n")
        assert compile_(str(src), "-o", str(out), "-t", "docs").exit_code == 0
        assert "body" in page.read_text() and page.stat().st_mode & 0o777 == 0o604
    finally:
        os.umask(old)


@pytest.mark.parametrize(("jobs", "nth"), [("1", 5), ("2", 5), ("1", 40)])
def test_a_run_that_cannot_stage_leaves_no_temp_file(tmp_path, monkeypatch, jobs, nth):
    """Disk full (or any OSError) while a worker stages: exit 2 naming the problem,
    no temp file left behind, and no new file either, not even those renamed into
    place before the failure (the 40th file fails after several tasks' files went in)."""
    from compiler import atomic
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    full, calls = OSError(28, "No space left on device"), []
    # a new file is placed (O_TMPFILE), a replaced one staged: the disk fills in either
    monkeypatch.setattr(atomic, "stage", failing(atomic.stage, nth, full, calls))
    monkeypatch.setattr(atomic, "place_new", failing(atomic.place_new, nth, full, calls))
    out = tmp_path / "out"
    result = compile_(str(fixture_path("chinook.sqlite.sql")), "-o", str(out), "-j", jobs,
                      *TARGETS)
    assert result.exit_code == 2 and "No space left on device" in result.output
    left = everything(out) if out.exists() else []
    assert [p for p in left if (out / p).is_file()] == []


class _Twice:
    """A backend writing one fixed path, as two targets configured onto one directory would."""

    name, defaults = "twice", {}

    def __init__(self, text: str) -> None:
        self.text = text

    def emit(self, schema, options):
        from backends import OutputFile, Ownership
        return [OutputFile("same.txt", self.text, Ownership.REGENERATED),
                OutputFile(f"own/{self.text}.txt", self.text, Ownership.REGENERATED)]


def _install_twice(monkeypatch) -> None:
    import backends

    class EP:
        module = "tests.test_staging"

        def __init__(self, obj):
            self.obj = obj

        def load(self):
            return self.obj

    real = backends.registry
    monkeypatch.setattr(backends, "registry", lambda: {
        **real(), "twice-a": EP(_Twice("a")), "twice-b": EP(_Twice("b"))})


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_new_files_are_renamed_into_place_while_emitting(tmp_path, monkeypatch, jobs):
    """New files go into place as their task's results arrive (before the write
    phase); the tree is the same as ever."""
    from compiler import writer
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    early: list[str] = []
    real_commit, real_apply = writer.commit_new, writer.apply

    def commit_new(actions, disk, committed):
        real_commit(actions, disk, committed)
        early.extend(committed)

    def apply(actions, root, *a, **kw):
        assert all((root / p).is_file() for p in kw["committed"])  # already there
        return real_apply(actions, root, *a, **kw)

    monkeypatch.setattr(writer, "commit_new", commit_new)
    monkeypatch.setattr(writer, "apply", apply)
    out = tmp_path / "out"
    assert compile_(str(fixture_path("chinook.sqlite.sql")), "-o", str(out), "-j", jobs,
                    *TARGETS).exit_code == 0
    files = [p for p in everything(out) if (out / p).is_file() and not p.startswith(".schemac")]
    assert set(early) == set(files) and len(files) > 30
    again = compile_(str(fixture_path("chinook.sqlite.sql")), "-o", str(out), *TARGETS)
    assert again.exit_code == 0 and "up to date" in again.output


def test_a_run_blocked_after_new_files_went_into_place_takes_them_back(tmp_path, monkeypatch):
    """Two targets writing one path is an error found only after both were emitted:
    the new files already renamed into place are deleted again, directories too."""
    _install_twice(monkeypatch)
    src = tmp_path / "s.sql"
    src.write_text("CREATE TABLE posts (id integer primary key, title text);\n")
    out = tmp_path / "out"
    result = compile_(str(src), "-o", str(out), "-t", "twice-a", "-t", "twice-b",
                      "-t", "eloquent", "-j", "1")
    assert result.exit_code == 2
    assert "two outputs write same.txt" in result.output and "nothing written" in result.output
    assert not out.exists()


def _every_field_set(**over) -> OutputFile:
    values = {"path": "app/Models/Post.php", "text": "<?php // x\n", "ownership": "create-once",
              "tables": ("posts", "users"), "exists_glob": "app/Models/Post*.php",
              "target": "eloquent", "kept_note": "extend Base\\Post", "kept_marker": "Base\\Post"}
    assert set(values) == {f.name for f in attrs.fields(OutputFile)}  # a new field: add it here
    return OutputFile(**{**values, **over})


def test_a_file_gets_its_target_with_every_other_field_kept():
    f = _every_field_set(target="")
    assert parallel._with_target(f, "eloquent") == attrs.evolve(f, target="eloquent")


def test_a_staged_action_travels_as_a_small_action_with_a_shared_stub(tmp_path):
    """What a worker sends back: the action (path, temp file, stamp, manifest entry)
    and one stub per kind of file, not each file's text and tables."""
    files = [_every_field_set(path=f"app/Models/M{i}.php", ownership="regenerated",
                              exists_glob=None) for i in range(3)]
    actions = writer.plan_files(files, tmp_path, {}, stage=True, source="main")
    back = pickle.loads(pickle.dumps(actions, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == actions and [a.staged for a in back] == [a.staged for a in actions]
    assert [a.entry for a in back] == [a.entry for a in actions]
    assert all(a.text is None and a.stamp and a.digest for a in back)
    stub = back[0].file
    assert all(a.file is stub for a in back)   # shared: pickled once
    assert (stub.target, stub.ownership, stub.kept_note, stub.text) == (
        "eloquent", Ownership.REGENERATED, "extend Base\\Post", "")
    assert '"tables": ["posts", "users"]' in back[0].entry   # the tables live in the entry
    for a in back:
        assert Path(a.staged).read_text() == "<?php // x\n"


def test_one_view_of_the_disk_per_run_lists_a_directory_once(tmp_path, monkeypatch):
    """Tasks of one run share the run's OutDir: a directory is listed once per run,
    not once per task (it held 10,000 files by the last task of a large run)."""
    disk = OutDir(tmp_path)
    listed: list[str] = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: (listed.append(os.fspath(p)), real(p))[1])
    for chunk in range(3):
        files = [_every_field_set(path=f"app/Models/M{chunk}{i}.php", ownership="regenerated",
                                  exists_glob=None) for i in range(2)]
        actions = writer.plan_files(files, tmp_path, {}, stage=True, disk=disk)
        assert {a.kind for a in actions} == {writer.Kind.CREATE}
    assert listed.count(os.path.join(str(tmp_path), "app/Models")) == 1


def test_a_new_file_is_placed_whole_and_never_over_an_existing_one(tmp_path):
    from compiler import atomic
    path = str(tmp_path / "New.php")
    st = atomic.place_new(path, b"<?php\n")
    assert st is not None and st.st_size == 6
    assert os.listdir(tmp_path) == ["New.php"]   # no temp name, ever
    assert (tmp_path / "New.php").stat().st_mtime_ns == st.st_mtime_ns   # the cache's stamp
    assert atomic.place_new(path, b"other\n") is None   # exists by now: the caller stages
    assert (tmp_path / "New.php").read_text() == "<?php\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_new_files_are_placed_by_the_process_that_emitted_them(tmp_path, monkeypatch, jobs):
    """A fresh tree: every file is put in place where it was emitted, none staged
    under a temp name; where O_TMPFILE is missing the same tree comes from staging."""
    from compiler import atomic
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    real_stage = atomic.stage

    def no_staging(path, *args):
        assert f"{os.sep}.schemac{os.sep}" in path, f"a new file was staged: {path}"
        return real_stage(path, *args)   # the manifest and the cache replace theirs

    monkeypatch.setattr(atomic, "stage", no_staging)
    src = str(fixture_path("chinook.sqlite.sql"))
    placed = tmp_path / "placed"
    assert compile_(src, "-o", str(placed), "-j", jobs, *TARGETS).exit_code == 0
    monkeypatch.setattr(atomic, "stage", real_stage)
    monkeypatch.setattr(atomic, "_TMPFILE", 0)   # as on a system without O_TMPFILE
    staged = tmp_path / "staged"
    assert compile_(src, "-o", str(staged), "-j", jobs, *TARGETS).exit_code == 0
    files = [p for p in everything(placed) if (placed / p).is_file()]
    assert files == [p for p in everything(staged) if (staged / p).is_file()]
    for p in files:
        if not p.startswith(".schemac"):
            assert (placed / p).read_bytes() == (staged / p).read_bytes(), p
    ok = compile_(src, "-o", str(placed), "-j", jobs, *TARGETS)   # the cache took the stamps
    assert ok.exit_code == 0 and "up to date" in ok.output


def test_a_failing_worker_takes_back_the_files_the_other_worker_placed(tmp_path, monkeypatch):
    """One worker's disk fills while the other goes on placing new files: the run
    waits for the other's tasks and takes back every file they placed."""
    from compiler import atomic
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    docs_disk_full = failing(atomic.place_new, 3, OSError(28, "No space left on device"),
                             when=lambda path: f"{os.sep}docs{os.sep}" in path,
                             pause=0.3)   # the other worker finishes tasks meanwhile
    monkeypatch.setattr(atomic, "place_new", docs_disk_full)
    out = tmp_path / "out"
    result = compile_(str(fixture_path("sakila.sqlite.sql")), "-o", str(out), "-j", "2",
                      *TARGETS)
    assert result.exit_code == 2 and "No space left on device" in result.output
    left = everything(out) if out.exists() else []
    assert [p for p in left if (out / p).is_file()] == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_while_a_worker_places_files_leaves_no_new_file(tmp_path, monkeypatch, jobs):
    """Ctrl-C reaching a worker after it placed some files of its task: the task takes
    its own back, the run takes back those of finished tasks, nothing is left."""
    from compiler import atomic
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    monkeypatch.setattr(atomic, "place_new", failing(atomic.place_new, 12, KeyboardInterrupt()))
    out = tmp_path / "out"
    result = compile_(str(fixture_path("chinook.sqlite.sql")), "-o", str(out), "-j", jobs,
                      *TARGETS)
    assert result.exit_code == 1 and "Aborted" in result.output   # click's answer to Ctrl-C
    left = everything(out) if out.exists() else []
    assert [p for p in left if (out / p).is_file()] == []


def test_without_o_tmpfile_on_the_file_system_new_files_are_staged(tmp_path, monkeypatch):
    """A file system without O_TMPFILE (NFS, older overlayfs): place_new says so once,
    the process stages from then on, and the run's tree is the same."""
    import errno

    from compiler import atomic
    real_open, refused = os.open, []

    def no_tmpfile(path, flags, *args, **kw):
        if flags & atomic._TMPFILE == atomic._TMPFILE and atomic._TMPFILE:
            refused.append(path)
            raise OSError(errno.EOPNOTSUPP, "Operation not supported", path)
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(atomic.os, "open", no_tmpfile)
    monkeypatch.setattr(atomic, "_PROC_FD", {})
    assert atomic.place_new(str(tmp_path / "a.txt"), b"x") is None
    assert atomic.place_new(str(tmp_path / "b.txt"), b"x") is None
    assert len(refused) == 1 and os.listdir(tmp_path) == []   # asked once, nothing written
    out = tmp_path / "out"
    result = compile_(str(fixture_path("chinook.sqlite.sql")), "-o", str(out), "-j", "1",
                      *TARGETS)
    assert result.exit_code == 0 and (out / "app/Models/Album.php").is_file()
    assert not any(p.endswith(".schemac-tmp") for p in everything(out))
