"""Backends: pure ``emit(schema, options) -> list[OutputFile]``, found through a registry.

A backend never touches the disk and never imports a frontend, the driver, or
another backend's internals (DESIGN.md).  Built-in and third-party backends
register the same way, in the ``schemac.backends`` entry-point group::

    [project.entry-points."schemac.backends"]
    eloquent = "backends.eloquent:backend"

Each :class:`OutputFile` says who owns it (:class:`Ownership`) and which tables
it depends on, so the driver can split work per table and redo only what a
changed table touches.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

import attrs

from ir.model import Schema

HASH_PLACEHOLDER = "SCHEMAC-HASH-PLACEHOLDER"


class Ownership(enum.StrEnum):
    REGENERATED = "regenerated"  # schemac's; rewritten every run unless the user edited it
    CREATE_ONCE = "create-once"  # written once, then the user's
    MERGED = "merged"            # schemac's members replaced, the user's kept


@attrs.frozen
class OutputFile:
    """One generated file.

    ``path`` is relative, ``/``-separated, inside the output root.  A
    regenerated file carries :data:`HASH_PLACEHOLDER` in its header comment; the
    writer replaces it with a hash of the content, which later tells it whether
    the user edited the file.  ``exists_glob`` (create-once only) is a pattern
    relative to the output root: if any file matches, this one is not written
    (a migration of a table under any timestamp).
    """

    path: str
    text: str
    ownership: Ownership = attrs.field(converter=Ownership)
    tables: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    exists_glob: str | None = None
    target: str = ""
    # create-once: when the file already exists and does not contain ``kept_marker``,
    # the driver prints ``kept_note`` (e.g. how to make an existing User model extend
    # the generated base class).
    kept_note: str | None = None
    kept_marker: str | None = None


@runtime_checkable
class Backend(Protocol):
    """``defaults`` lists every option the backend reads, with its default value:
    the config validator rejects other keys and values of another type."""

    name: str
    defaults: Mapping[str, Any]

    def emit(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]: ...


# Optional, for large schemas (the driver splits work over processes and, after a
# schema change, re-emits only the tables that changed).  A backend may define
#
#     emit_tables(schema, options, tables: Sequence[str]) -> list[OutputFile]
#         the per-table files of exactly ``tables``; ``OutputFile.tables`` names
#         first the table whose file it is (of those given), then every other
#         table its text depends on (an incremental run re-emits the first when
#         any of them changes);
#     emit_shared(schema, options) -> list[OutputFile]
#         its whole-schema files (an index, a single module, an overview), if any;
#
# such that ``emit(s, o)`` gives the same files as ``emit_shared(s, o)`` plus
# ``emit_tables(s, o, every table name)``.  Without them, ``emit`` is called once.


class PerTable:
    """Base for a backend with the per-table pair: ``emit`` is their composition."""

    def emit(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        return (self.emit_shared(schema, options)  # type: ignore[attr-defined]
                + self.emit_tables(schema, options,  # type: ignore[attr-defined]
                                   [t.name for t in schema.tables]))


MergeFn = Callable[[str, str, str], str]  # (path, existing text, new text) -> merged text


class UnknownTarget(KeyError):
    pass


def registry() -> dict[str, Any]:
    """Installed backends by target name (``eloquent``, ``sqlalchemy``, ...), as entry
    points: listing them imports nothing; :func:`get_backend` loads one."""
    found: dict[str, Any] = {}
    for ep in sorted(entry_points(group="schemac.backends"), key=lambda e: e.name):
        found.setdefault(ep.name, ep)
    return found


def get_backend(name: str) -> Backend:
    backends = registry()
    if name not in backends:
        raise UnknownTarget(f"unknown target {name!r} (installed: "
                            + (", ".join(sorted(backends)) or "none") + ")")
    return backends[name].load()
