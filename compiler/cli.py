"""The ``schemac`` command line: one click group, one small function per command.

Exit codes (DESIGN.md): 0 ok, 1 ``--check`` found drift, 2 bad input or usage
(unreadable source, error diagnostics, or warnings under ``--strict``), 3 a bug
in schemac.  Every failure is one line on stderr; a traceback is shown only
with ``--traceback`` or ``SCHEMAC_DEBUG=1``.

Diagnostics always go to stderr, one line each, like a compiler's, so stdout
holds only the requested output (the text summary or pure JSON).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable

import click

from compiler import __version__, report
from compiler.frontends import SourceError, load
from ir.diagnostics import Diagnostic, Severity
from ir.serialize import to_json

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


def _fail(message: str, code: int) -> None:
    click.echo(f"schemac: {message}", err=True)
    raise SystemExit(code)


def _debug(flag: bool) -> bool:
    return flag or os.environ.get("SCHEMAC_DEBUG", "") not in ("", "0")


def guarded(func: Callable) -> Callable:
    """Add ``--traceback`` and turn exceptions into one line and an exit code.

    Unreadable input (``SourceError``, a SQLite file the driver rejects, an OS
    error) exits 2; anything else is a bug and exits 3, never silently.
    """
    @functools.wraps(func)
    def wrapper(*args, traceback: bool = False, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # `schemac inspect big.db | head`: the reader left; not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(EXIT_OK) from None
        except SourceError as exc:
            _fail(str(exc), EXIT_INPUT)
        except Exception as exc:
            if _debug(traceback):
                raise
            source = kwargs.get("source")
            if isinstance(exc, sqlite3.DatabaseError):  # corrupt, locked, not a database
                _fail(f"{source}: cannot read SQLite database: {exc}", EXIT_INPUT)
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                _fail(f"{exc.filename or source}: {exc.strerror or exc}", EXIT_INPUT)
            text = " ".join(str(exc).split()) or "(no message)"
            _fail(f"internal error: {type(exc).__name__}: {text} "
                  "(rerun with --traceback or SCHEMAC_DEBUG=1 to see where)", EXIT_INTERNAL)

    return click.option("--traceback", is_flag=True,
                        help="Show the Python traceback of an internal error.")(wrapper)


# Shared options: later commands (compile, explain) take the same source arguments.
source_argument = click.argument("source", metavar="SOURCE")
dialect_option = click.option(
    "--dialect", "-d", metavar="DIALECT", default=None,
    help="SQL dialect of a DDL file: sqlite, mysql or postgres "
         "(default: from the file name, e.g. schema.mysql.sql, else sqlite).")
strict_option = click.option("--strict", is_flag=True,
                             help="Treat warnings as errors (exit 2).")
config_option = click.option(
    "--config", "config_path", metavar="FILE", default=None,
    help="Config file (default: the nearest schemac.toml or pyproject.toml "
         "with [tool.schemac], searching upwards from the current directory).")


def analyzed(source: str, dialect: str | None, config_path: str | None):
    """Load SOURCE and run every pass with the user's configuration."""
    from compiler.config import ConfigError, load_config
    from compiler.pipeline import build_passes, compile_schema
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise SourceError(str(exc)) from None
    schema = load(source, dialect)
    return compile_schema(schema, build_passes(config.analysis)), config


def failing(diagnostics: Iterable[Diagnostic], strict: bool) -> list[Diagnostic]:
    """The diagnostics that make the run fail: errors, and warnings under --strict."""
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return [d for d in diagnostics if d.severity in bad]


def report_diagnostics(diagnostics: tuple[Diagnostic, ...], strict: bool) -> int:
    """Print every diagnostic on stderr; return the exit code they call for."""
    for diag in diagnostics:
        click.echo(diag.render(), err=True)
    bad = failing(diagnostics, strict)
    if not bad:
        return EXIT_OK
    if all(d.severity is Severity.WARNING for d in bad):
        click.echo(f"schemac: {len(bad)} warning(s) treated as errors (--strict)", err=True)
    return EXIT_INPUT


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="schemac")
def schemac() -> None:
    """schemac: a schema compiler (database schema in, ORM code out)."""


@schemac.command()
@source_argument
@dialect_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a readable summary; json: the stable IR form.")
@strict_option
@click.option("--analyze", is_flag=True,
              help="Run the inference passes too (relations, casts, rules, conventions).")
@config_option
@guarded
def inspect(source: str, dialect: str | None, fmt: str, strict: bool, analyze: bool,
            config_path: str | None) -> None:
    """Read SOURCE (a SQLite database or a .sql DDL file) and print its schema."""
    schema = analyzed(source, dialect, config_path)[0] if analyze else load(source, dialect)
    out = to_json(schema) if fmt == "json" else report.render(schema)
    click.echo(out, nl=False)
    sys.stdout.flush()  # the summary first, then the diagnostics, on a shared terminal
    code = report_diagnostics(schema.diagnostics, strict)
    if code:
        raise SystemExit(code)


@schemac.command()
@source_argument
@click.argument("target", metavar="TABLE[.COLUMN]")
@dialect_option
@config_option
@guarded
def explain(source: str, target: str, dialect: str | None, config_path: str | None) -> None:
    """Say what was inferred for TABLE (or TABLE.COLUMN) and which rule fired,
    and why a plausible relation was not inferred."""
    from compiler.explain import ExplainError, explain_column, explain_table
    schema, config = analyzed(source, dialect, config_path)
    table, _, column = target.partition(".")
    if schema.table(table) is None and schema.table(target) is not None:
        table, column = target, ""  # a table whose name holds a dot
    try:
        text = (explain_column(schema, table, column, config.analysis) if column
                else explain_table(schema, table, config.analysis))
    except ExplainError as exc:
        _fail(f"{source}: {exc}", EXIT_INPUT)
    click.echo(text, nl=False)


@schemac.command("compile")
@click.argument("source", metavar="[SOURCE]", required=False)
@click.option("--target", "-t", "targets", multiple=True, metavar="TARGET",
              help="Target to emit (repeatable): eloquent, factories, form-requests, "
                   "laravel-migrations, sqlalchemy, plantuml, docs.")
@click.option("--out", "-o", "out", default=None, metavar="DIR",
              help="Output root (default: the config's `out`, else the current directory).")
@dialect_option
@click.option("--laravel-version", type=click.IntRange(8, 13), default=None,
              help="Laravel version the Laravel targets write for (default: the newest).")
@click.option("--no-base", is_flag=True, default=None,
              help="eloquent: single regenerated model files, no base classes.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing generated files "
                                             "that are stale, missing or extra.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check/--dry-run: show diffs.")
@click.option("--dry-run", is_flag=True, help="Write nothing; show what would change.")
@click.option("--force", is_flag=True, help="Overwrite or delete regenerated files the user "
                                             "edited (and ignore the cache).")
@click.option("--keep-going", is_flag=True, help="Write what is sound despite error "
                                                  "diagnostics (exit 2 all the same).")
@click.option("--jobs", "-j", type=click.IntRange(0), default=None, metavar="N",
              help="Worker processes for large schemas (default: one per core; 1: serial).")
@click.option("--no-cache", is_flag=True, help="Ignore the incremental cache (full run).")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="List every file written or removed.")
@click.option("--timings", is_flag=True,
              help="Print each phase's wall time on stderr (load, analyze, emit, write).")
@click.option("--events", "events_path", metavar="FILE", default=None,
              help="Write the run's events (schema analyzed, file generated, ...) as JSON "
                   "Lines to FILE.")
@click.option("--render", type=click.Choice(["svg", "png"]), default=None,
              help="Render the generated .puml diagrams (the local plantuml, one Java start; "
                   "or --plantuml-server).")
@click.option("--plantuml-server", metavar="URL", default=None,
              help="Render through this PlantUML server instead of a local plantuml.")
@strict_option
@config_option
@guarded
def compile_cmd(source: str | None, targets: tuple[str, ...], out: str | None,
                dialect: str | None, laravel_version: int | None, no_base: bool | None,
                check: bool, show_diff: bool, dry_run: bool, force: bool, keep_going: bool,
                jobs: int | None, no_cache: bool, quiet: bool, verbose: bool, timings: bool,
                events_path: str | None, render: str | None, plantuml_server: str | None,
                strict: bool, config_path: str | None) -> None:
    """Compile SOURCE into code for each TARGET.

    Without SOURCE, compile what the config (schemac.toml or [tool.schemac])
    describes: its `source`, or every [[sources]] entry.  A run whose source,
    config and schemac are unchanged writes nothing and stops early."""
    from compiler.compile_cmd import Flags, run_compile
    from compiler.progress import NORMAL, QUIET, VERBOSE
    flags = Flags(check=check, show_diff=show_diff, dry_run=dry_run, force=force,
                  keep_going=keep_going, strict=strict, jobs=jobs or None,
                  use_cache=not no_cache,
                  level=QUIET if quiet else VERBOSE if verbose else NORMAL, timings=timings,
                  events_path=events_path, render=render, plantuml_server=plantuml_server)
    code = run_compile(source=source, targets=list(targets), out=out, dialect=dialect,
                       cli={"laravel_version": laravel_version,
                            "base_classes": (False if no_base else None)},
                       flags=flags, config_path=config_path)
    if code:
        raise SystemExit(code)


@schemac.command("init")
@source_argument
@click.option("--target", "-t", "targets", multiple=True, metavar="TARGET",
              help="Targets to list in the config (default: eloquent and laravel-migrations).")
@click.option("--out", "-o", "out", default=".", show_default=True, metavar="DIR")
@dialect_option
@click.option("--file", "path", default="schemac.toml", show_default=True, metavar="FILE",
              help="Config file to write (never overwritten).")
@guarded
def init(source: str, targets: tuple[str, ...], out: str, dialect: str | None,
         path: str) -> None:
    """Write a commented starter schemac.toml for SOURCE."""
    from compiler.init_cmd import write_starter
    write_starter(path, source, list(targets), out, dialect)
    click.echo(f"schemac: wrote {path}; run `schemac compile` to generate code")


def main() -> None:
    """Console-script entry point (``schemac = compiler.cli:main``).

    Leaves with ``os._exit`` once output is flushed: tearing down the interpreter
    frees every object of a large schema one by one (0.3 s for 10,000 tables)
    for nothing (mypy does the same).  Nothing of ours runs at exit: files are
    closed and renamed before this point."""
    try:
        schemac(prog_name="schemac")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            click.echo(exc.code, err=True)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    main()
