"""The one Jinja environment factory every backend uses: strict and byte-stable."""

from __future__ import annotations

from pathlib import Path

import jinja2


def make_env(package_dir: str | Path, **filters) -> jinja2.Environment:
    """Templates from ``<package_dir>/templates``; an undefined name is an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(package_dir) / "templates")),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(filters)
    return env
