"""What a compile run prints: progress bars on a terminal, a short summary otherwise.

On an interactive terminal (stderr is a TTY and ``CI`` is unset) each phase
(load, analyze, emit, write) gets a rich progress bar on stderr.  Elsewhere only
the summary line is printed.  ``--quiet`` prints nothing but problems;
``--verbose`` lists every file with what happened to it; ``--timings`` prints
each phase's wall time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

QUIET, NORMAL, VERBOSE = 0, 1, 2


def interactive() -> bool:
    if os.environ.get("CI") or os.environ.get("SCHEMAC_NO_PROGRESS"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Reporter:
    """Phases and messages of one ``schemac compile``."""

    def __init__(self, level: int = NORMAL, bars: bool | None = None,
                 timings: bool = False) -> None:
        self.level = level
        self.timings = timings
        self.bars = (interactive() if bars is None else bars) and level > QUIET
        self._progress = None

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        """Time a step; ``--timings`` prints its wall time on stderr when it ends."""
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.timings:
                click.echo(f"schemac: {label} {time.perf_counter() - start:.2f}s", err=True)

    @contextmanager
    def phase(self, label: str, total: int | None = None) -> Iterator:
        """A bar for one phase (timed); yields ``advance(n=1)``."""
        with self.timed(label), self._bar(label, total) as advance:
            yield advance

    @contextmanager
    def _bar(self, label: str, total: int | None) -> Iterator:
        if not self.bars:
            yield lambda n=1: None
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )
        # No refresh thread: emit forks workers, and forking beside a thread is unsafe.
        progress = Progress(TextColumn("{task.description:<10}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=False,
                            auto_refresh=False)
        with progress:
            task = progress.add_task(label, total=total)

            last = [0.0]

            def advance(n: int = 1) -> None:
                progress.advance(task, n)
                now = time.monotonic()
                if now - last[0] > 0.1:  # redraw at most 10 times a second
                    last[0] = now
                    progress.refresh()
            yield advance
            progress.update(task, completed=total if total is not None else 1,
                            total=total if total is not None else 1)
            progress.refresh()

    def info(self, text: str) -> None:
        if self.level >= NORMAL:
            click.echo(text)

    def detail(self, text: str) -> None:
        if self.level >= VERBOSE:
            click.echo(text)

    def problem(self, text: str) -> None:
        click.echo(text, err=True)
