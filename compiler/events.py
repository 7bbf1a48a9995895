"""Events of a run, as pluggy hooks: plugins (entry-point group ``schemac.hooks``) listen to them.

A plugin is a module or object with any of these functions, marked with
:data:`hookimpl`::

    from compiler.events import hookimpl

    @hookimpl
    def schemac_file_generated(path, target, action):
        print(action, path)

and registered in its distribution's metadata::

    [project.entry-points."schemac.hooks"]
    myplugin = "myplugin.hooks"

``--events FILE`` registers :class:`JsonLines`, which writes every event as one
JSON object per line (``{"event": "file-generated", "path": ..., ...}``).
Hooks only observe: their return values are ignored, and a hook that raises
is a plugin bug reported as such.
"""

from __future__ import annotations

import json
from typing import IO, Any

import pluggy

from ir.model import Schema

hookspec = pluggy.HookspecMarker("schemac")
hookimpl = pluggy.HookimplMarker("schemac")


class Spec:
    @hookspec
    def schemac_schema_loaded(self, source: str, schema: Schema) -> None:
        """The frontend read ``source`` (before the passes)."""

    @hookspec
    def schemac_relations_inferred(self, source: str, schema: Schema) -> None:
        """The relation passes ran (``schema.relations`` is final)."""

    @hookspec
    def schemac_schema_analyzed(self, source: str, schema: Schema) -> None:
        """Every pass ran; the backends see this schema."""

    @hookspec
    def schemac_file_generated(self, path: str, target: str, action: str) -> None:
        """The writer decided ``action`` (create, update, unchanged, remove, keep,
        conflict, rejected) for ``path``; under ``--check``/``--dry-run`` nothing is written."""

    @hookspec
    def schemac_generation_failed(self, target: str, table: str | None, error: str) -> None:
        """A backend raised for ``table`` (None: for the whole target)."""

    @hookspec
    def schemac_run_finished(self, source: str, summary: dict, exit_code: int) -> None:
        """One source is done; ``summary`` counts files per action."""


def manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("schemac")
    pm.add_hookspecs(Spec)
    if load_entry_points:
        pm.load_setuptools_entrypoints("schemac.hooks")
    return pm


def _schema_facts(schema: Schema) -> dict[str, Any]:
    return {"tables": len(schema.tables), "relations": len(schema.relations),
            "diagnostics": len(schema.diagnostics)}


class JsonLines:
    """Writes every event to ``stream`` as JSON Lines (``--events FILE``)."""

    def __init__(self, stream: IO[str]) -> None:
        self._out = stream

    def _write(self, event: str, **fields: Any) -> None:
        self._out.write(json.dumps({"event": event, **fields}, sort_keys=True) + "\n")

    @hookimpl
    def schemac_schema_loaded(self, source: str, schema: Schema) -> None:
        self._write("schema-loaded", source=source, **_schema_facts(schema))

    @hookimpl
    def schemac_relations_inferred(self, source: str, schema: Schema) -> None:
        self._write("relations-inferred", source=source, **_schema_facts(schema))

    @hookimpl
    def schemac_schema_analyzed(self, source: str, schema: Schema) -> None:
        self._write("schema-analyzed", source=source, **_schema_facts(schema))

    @hookimpl
    def schemac_file_generated(self, path: str, target: str, action: str) -> None:
        self._write("file-generated", path=path, target=target, action=action)

    @hookimpl
    def schemac_generation_failed(self, target: str, table: str | None, error: str) -> None:
        self._write("generation-failed", target=target, table=table, error=error)

    @hookimpl
    def schemac_run_finished(self, source: str, summary: dict, exit_code: int) -> None:
        self._write("run-finished", source=source, summary=summary, exit_code=exit_code)
