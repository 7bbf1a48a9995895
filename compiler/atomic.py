"""Put bytes on disk so that a file is always old or new, never partial: temp file beside, rename.

Two ways to use it.  :func:`write_atomic` does both steps at once.  A compile
run *stages* instead: worker processes write each new file's temp copy
(:func:`stage`) while they emit, in parallel, and the parent *commits* the
whole plan afterwards with one rename per file, or discards every temp file
when the run must write nothing (an error diagnostic, ``--strict``).  Temp
files are named ``.<name>.<pid>.<n>.schemac-tmp``; a run killed between the
steps leaves only such names, which the next run sweeps away.

A new file can also be *placed* (:func:`place_new`): written unnamed and linked
at its path by the worker, so it appears whole, never over an existing file,
and a killed worker leaves not even a temp name.
"""

from __future__ import annotations

import errno
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


_TMPFILE = getattr(os, "O_TMPFILE", 0)
_PLACE_FLAGS = os.O_WRONLY | _TMPFILE | getattr(os, "O_CLOEXEC", 0)
_PROC_FD: dict[int, int | None] = {}   # pid -> fd of its /proc/self/fd (None: unusable)


def _proc_fd() -> int | None:
    """This process's ``/proc/self/fd`` directory, opened once per process (a forked
    worker must not use its parent's: it names the parent's descriptors)."""
    pid = _pid()
    if pid not in _PROC_FD:
        try:
            _PROC_FD[pid] = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY
                                    | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            _PROC_FD[pid] = None
    return _PROC_FD[pid]


def place_new(path: str, blob: bytes) -> os.stat_result | None:
    """Put a new file at ``path`` whole or not at all, with no temp name: write an
    unnamed inode (``O_TMPFILE``) in its directory, then link it at ``path``.

    Why: for a new file this is one directory entry instead of a temp entry and a
    rename, and it needs nobody to rename it later (a worker places its own new
    files).  A process killed while writing leaves nothing, not even a temp file.
    Never replaces a file: returns None when ``path`` exists by now, and when the
    system cannot do it (no ``O_TMPFILE`` on this file system, no ``/proc``); the
    caller then stages a temp file as usual."""
    proc = _proc_fd() if _TMPFILE else None
    if proc is None:
        return None
    folder = path.rpartition(os.sep)[0]
    try:
        fd = os.open(folder or ".", _PLACE_FLAGS, 0o666)   # 0o666 less the umask
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            _PROC_FD[_pid()] = None   # not on this file system: stage from now on
            return None
        raise
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
        try:   # linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N: how an O_TMPFILE gets a name
            os.link(str(fd), path, src_dir_fd=proc, follow_symlinks=True)
        except FileExistsError:
            return None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EOPNOTSUPP):
                raise
            _PROC_FD[_pid()] = None   # a policy forbids it here: stage from now on
            return None
    finally:
        os.close(fd)
    return st


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
