"""Run one function in a forked child process and collect its result, pickled.

The child inherits everything the parent had read (no re-reading, no
arguments to pickle) and sends back its result with
:mod:`compiler.frontends.ir_pickle`.  A child that fails in any way
(an exception, a crash, a kill, a result that does not unpickle) yields None:
the caller then does the work itself, so a failed child never changes a result.
The child is always reaped (no zombie), killed first when its result is not
wanted.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any, Self

from compiler.frontends import ir_pickle

_OK = b"k"  # first byte of a result that the child finished sending


def available() -> bool:
    return hasattr(os, "fork")


class Forked:
    """``work()`` running in a child; :meth:`result` waits for it, :meth:`cancel` kills it.

    Use it as a context manager: leaving the block cancels the child if its
    result was not collected (an exception in the parent, a change of plan).
    Raises OSError when no child can be forked."""

    def __init__(self, work: Callable[[], Any], then: Callable[[], None] | None = None) -> None:
        """``then``: run in the child once its result is sent (closing what ``work``
        opened while the parent is already unpickling)."""
        read_fd, write_fd = os.pipe()
        try:
            self._pid: int | None = os.fork()
        except OSError:  # no process to spare: the caller does the work itself
            os.close(read_fd)
            os.close(write_fd)
            raise
        if self._pid == 0:  # the child: never returns into the caller
            os.close(read_fd)
            _child(write_fd, work, then)
        os.close(write_fd)
        self._fh = os.fdopen(read_fd, "rb")

    def result(self, loads: Callable[[memoryview], Any] = ir_pickle.loads) -> Any | None:
        """The child's result (unpickled by ``loads``); None when it failed (or was
        already cancelled)."""
        if self._pid is None:
            return None
        try:
            blob = self._fh.read()
            self._fh.close()
            result = _loads(blob, loads)  # while the child runs ``then``
        finally:
            status = self._reap(kill=False)
        return result if status == 0 else None

    def cancel(self) -> None:
        """Kill and reap the child unless that was done already."""
        if self._pid is not None:
            self._fh.close()
            self._reap(kill=True)

    def _reap(self, kill: bool) -> int:
        pid, self._pid = self._pid, None
        assert pid is not None
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
        return status

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def _loads(blob: bytes, loads: Callable[[memoryview], Any]) -> Any | None:
    if not blob.startswith(_OK):
        return None  # the child died before it had sent everything
    try:
        return loads(memoryview(blob)[1:])
    except Exception:  # noqa: BLE001 - a garbled result is a failed child
        return None


def _child(write_fd: int, work: Callable[[], Any], then: Callable[[], None] | None) -> None:
    code = 1
    try:
        # Whole, before writing: the parent reads only once its own share is done.
        blob = _OK + ir_pickle.dumps(work())
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(blob)
        if then is not None:
            then()
        code = 0
    finally:
        os._exit(code)  # no atexit hooks, no flushing the parent's buffers, no finalizers
