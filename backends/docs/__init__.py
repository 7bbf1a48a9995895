"""The ``docs`` target: Markdown reference pages of the models, regenerated on every run.

Under ``path`` (``docs/models``): ``index.md`` (every model with its table,
column and relation counts) and ``<Model>.md`` per model: description (the
table comment), properties (type, nullability, default, cast, validation rules
written Laravel-style), relationships (method, kind, related model, keys,
declared or inferred and by which rule), usage examples and the model's
focused diagram (a local image rendered from the ``plantuml`` target, or a
PlantUML server link).  Every name is escaped: a schema cannot inject Markdown.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership, PerTable
from backends._diagrams import model_files
from backends._jinja import make_env, render
from backends._safe import generated_header
from backends.docs.markdown import code, md
from backends.docs.view import build_pages, depends_on, index_rows
from ir.model import Schema

DEFAULTS: dict[str, Any] = {
    "path": "docs/models",
    "diagram_links": "local",          # local | server | none
    "diagrams_path": "docs/diagrams",  # where the plantuml target writes (local links)
    "diagram_format": "svg",           # svg | png
    "plantuml_server": "",             # e.g. https://www.plantuml.com/plantuml
}
_CHOICES = {"diagram_links": ("local", "server", "none"), "diagram_format": ("svg", "png")}


def check(opts: Mapping[str, Any]) -> None:
    for key, allowed in _CHOICES.items():
        if opts[key] not in allowed:
            raise ValueError(f"docs.{key} must be one of {', '.join(allowed)}")
    if opts["diagram_links"] == "server" and not opts["plantuml_server"]:
        raise ValueError('docs.diagram_links = "server" needs docs.plantuml_server (a URL)')


def _focus_sources(schema: Schema, opts: Mapping[str, Any], tables: Sequence[str]
                   ) -> dict[str, str]:
    """Focused diagram text per file stem of ``tables``, for server links (the plantuml
    target's public ``emit_tables`` with its defaults)."""
    if opts["diagram_links"] != "server":
        return {}
    from backends.plantuml import backend as plantuml
    files = plantuml.emit_tables(schema, {**plantuml.defaults, "path": "",
                                          "tables_diagram": False}, tables)
    return {f.path[len("models/"):-len(".puml")]: f.text
            for f in files if f.path.startswith("models/")}


class DocsBackend(PerTable):
    name = "docs"
    defaults = DEFAULTS

    def __init__(self) -> None:
        env = make_env(Path(__file__).parent)
        self._model, self._index = env.get_template("model.md.j2"), env.get_template("index.md.j2")


    def emit_shared(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        """``index.md``: every model, so it depends on every table."""
        opts = {**DEFAULTS, **options}
        check(opts)
        return [OutputFile(_join(opts, "index.md"),
                           self._index_text(schema, opts, generated_header(schema.source)),
                           Ownership.REGENERATED, tuple(t.name for t in schema.tables))]

    def emit_tables(self, schema: Schema, options: Mapping[str, Any], tables: Sequence[str]
                    ) -> list[OutputFile]:
        """The page of each model among ``tables``; it depends on the tables its
        relations reach (their model names and links appear on it)."""
        opts = {**DEFAULTS, **options}
        check(opts)
        header = generated_header(schema.source)
        pages = build_pages(schema, opts, _focus_sources(schema, opts, tables), tables)
        return [OutputFile(_join(opts, p.path), render(self._model, p=p, header=header),
                           Ownership.REGENERATED, depends_on(schema, p.table)) for p in pages]

    def _index_text(self, schema: Schema, opts: Mapping[str, Any], header: str) -> str:
        models = model_files(schema)
        others = [t.name for t in schema.tables if t.name not in models]
        intro = (f"{len(models)} models from {len(schema.tables)} tables of "
                 f"{code(schema.source or 'the schema')} ({md(schema.dialect)}).")
        classes = ""
        if opts["diagram_links"] == "local":
            rel = posixpath.relpath(opts["diagrams_path"], opts["path"] or ".")
            classes = f"{rel}/classes.{opts['diagram_format']}"
        return render(self._index, header=header, intro=intro, rows=index_rows(schema),
                                  classes=classes, others=", ".join(code(t) for t in others))


def _join(opts: Mapping[str, Any], path: str) -> str:
    root = opts["path"].strip("/")
    return f"{root}/{path}" if root else path


backend = DocsBackend()
