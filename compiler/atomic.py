"""Put bytes on disk so that a file is always old or new, never partial: temp file beside, rename.

Two ways to use it.  :func:`write_atomic` does both steps at once.  A compile
run *stages* instead: worker processes write each new file's temp copy
(:func:`stage`) while they emit, in parallel, and the parent *commits* the
whole plan afterwards with one rename per file, or discards every temp file
when the run must write nothing (an error diagnostic, ``--strict``).  Temp
files are named ``.<name>.<pid>.<n>.schemac-tmp``; a run killed between the
steps leaves only such names, which the next run sweeps away.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


MODE = 0o666 & ~_umask()  # what open() would give a new file
SUFFIX = ".schemac-tmp"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_SEQ = itertools.count()
_PID: list[int] = []   # os.getpid() is a system call: asked once per process


def _pid() -> int:
    if not _PID:
        _PID.append(os.getpid())
    return _PID[0]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_PID.clear)   # a forked worker has its own


def stage(path: str, blob: bytes, mode: int | None = None) -> tuple[str, os.stat_result]:
    """Write ``blob`` to a new temp file beside ``path``; return its name and stat.

    ``mode`` is the existing file's (kept), None for a new file.  No fsync: it
    made writing 8,000 files 5x slower, and replace-by-rename is already
    ordered after the data on ext4/xfs/btrfs (the window is power loss right
    after a run, not an interrupted run).  The name is a counter, not
    ``mkstemp``'s random one (which cost more than the write itself)."""
    folder, sep, name = path.rpartition(os.sep)   # os.path.split/join: 2x slower
    tmp = f"{folder}{sep}.{name}.{_pid()}.{next(_SEQ)}{SUFFIX}"
    try:
        fd = os.open(tmp, _FLAGS, 0o666)   # 0o666 less the umask: a new file's mode
    except FileExistsError:  # left by a killed process that had our pid
        os.unlink(tmp)
        fd = os.open(tmp, _FLAGS, 0o666)
    try:
        try:
            if mode is not None and mode != MODE:
                os.fchmod(fd, mode)   # keep an existing file's own mode
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
            st = os.fstat(fd)   # the rename keeps size and mtime: what the cache records
        finally:
            os.close(fd)
    except BaseException:
        unlink_quietly(tmp)
        raise
    return tmp, st


def commit(tmp: str, path: str) -> None:
    """Rename a staged temp file over ``path`` (removing the temp file if that fails)."""
    try:
        os.replace(tmp, path)
    except BaseException:
        unlink_quietly(tmp)
        raise


def write_atomic(path: str | Path, data: str | bytes, mode: int | None = None) -> os.stat_result:
    """:func:`stage` and :func:`commit` in one step; the new file's stat."""
    blob = data.encode("utf-8") if isinstance(data, str) else data
    tmp, st = stage(os.fspath(path), blob, mode)
    commit(tmp, os.fspath(path))
    return st


def unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def is_temp(name: str) -> bool:
    return name.startswith(".") and name.endswith(SUFFIX)
