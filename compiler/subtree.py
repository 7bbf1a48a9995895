"""New output directories are written whole under a temp name, then renamed into place in one step.

Why: a first run on a 10,000-table schema creates 77,000 files in directories
that do not exist yet.  Staging each beside its target and renaming it cost a
temp name and a rename per file (1.2 s of the parent's CPU, on a machine whose
two cores were busy emitting).  A directory that does not exist holds nothing
of the user's, so its whole tree can be written under
``.<name>.<run>.schemac-tmpdir`` beside it, with the files' final names, and
appear with a single ``rename`` once the run is sure to write.  An interrupted
run leaves the directory absent (old) or complete (new); a run that must write
nothing deletes the temp tree.  If the directory appears meanwhile (another
program), the files are moved into it one by one instead.

The temp name carries a token unique to the run, shared by its worker
processes, so files of one new directory written by different workers meet
in one tree and a killed run's leftovers are never reused (they are swept).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from typing import Protocol

from compiler import atomic
from compiler.outdir import OutDir

SUFFIX = ".schemac-tmpdir"


class _Staged(Protocol):
    staged: str | None
    subtree: tuple[str, str] | None


def token() -> str:
    """Made once per run, in the parent, before any worker starts."""
    return f"{os.getpid()}-{time.time_ns()}"


def is_temp_dir(name: str) -> bool:
    return name.startswith(".") and name.endswith(SUFFIX)


def place(disk: OutDir, rel: str, run: str) -> tuple[str, tuple[str, str]] | None:
    """Where a new file ``rel`` is written in this run's temp tree, and (temp tree,
    final directory); None when its directory exists (stage it beside the target)."""
    found = disk.missing_top(rel)
    if found is None:
        return None
    top, rest = found
    parent, _, name = top.rpartition("/")
    tmp_top = os.path.join(disk.base, parent, f".{name}.{run}{SUFFIX}")
    return os.path.join(tmp_top, rest), (tmp_top, os.path.join(disk.base, top))


def write(path: str, blob: bytes) -> os.stat_result:
    """Write a file of the temp tree (its directories made as needed)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return atomic.write_new(path, blob)


def commit(actions: Iterable[_Staged]) -> None:
    """Rename each temp tree into place (file by file when its directory exists by now)."""
    trees: dict[tuple[str, str], list[str]] = {}
    for a in actions:
        if a.subtree is not None and a.staged is not None:
            trees.setdefault(a.subtree, []).append(a.staged)
    for (tmp_top, final), staged in sorted(trees.items()):
        try:
            os.rename(tmp_top, final)   # replaces only a missing or empty directory
            continue
        except OSError:
            if not os.path.isdir(final):
                raise
        for path in staged:   # the directory appeared meanwhile: move the files in
            dest = os.path.join(final, os.path.relpath(path, tmp_top))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(path, dest)
        shutil.rmtree(tmp_top, ignore_errors=True)


def discard(actions: Iterable[_Staged]) -> None:
    """Delete these files from their temp trees, and each tree left empty."""
    tops = set()
    for a in actions:
        if a.subtree is not None and a.staged is not None:
            atomic.unlink_quietly(a.staged)
            tops.add(a.subtree[0])
    for top in tops:
        for folder, _dirs, _files in os.walk(top, topdown=False):
            try:
                os.rmdir(folder)   # only empty ones: other files of the tree may stay
            except OSError:
                pass
