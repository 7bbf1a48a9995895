"""Read and strictly validate ``[tool.schemac]`` (pyproject.toml) or ``schemac.toml``.

An unknown key or a value of the wrong type is a :class:`ConfigError` naming
the key and the file: a typo must never be silently ignored, because a
switched-off rule or a morph map that is not applied changes generated code.

``schemac.toml`` holds the same keys at its top level (or under
``[tool.schemac]``).  The search starts in the given directory and stops at the
first file that has a schemac section.

Several sources (a central and a tenant database) are ``[[sources]]`` entries;
each takes the top-level keys as defaults and may override any of them
(``path`` names its schema).  ``[tables.<name>]`` overrides one table (model
name, ignore, extends, casts, relation names); see :mod:`compiler.sources`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs

from compiler.options import AnalysisOptions, ThroughSpec

# Rule ids a user may switch off (``rules_off``); passes record them in provenance.
KNOWN_RULES = frozenset({
    # relations
    "fk-by-name", "fk-by-prefixed-name", "fk-by-suffix", "fk-self-parent", "fk-by-role",
    "pivot", "morph",
    # casts
    "boolean-by-name", "boolean-by-check", "json-by-name", "json-by-default",
    "password-by-name",
    # validation
    "format-by-name", "format-by-type", "check-in", "check-range", "check-length",
})


class ConfigError(Exception):
    """One line: ``file: key: problem``."""


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _list_map(value: Any) -> bool:
    return isinstance(value, dict) and all(_str_list(v) for v in value.values())


# key -> (check, description of the expected type)
ANALYSIS_KEYS: dict[str, tuple] = {
    "rules_off": (_str_list, "a list of rule ids"),
    "ignore_tables": (_str_list, "a list of table names"),
    "models": (_str_map, "a table of table name = model name"),
    "relation_names": (_str_map, 'a table of "table.stem" = new stem'),
    "morph_map": (_str_map, "a table of type value = table name"),
    "morph_targets": (_list_map, 'a table of "table.morph" = [table names]'),
    "casts": (_str_map, 'a table of "table.column" = cast kind'),
    "through": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
                "an array of tables ([[tool.schemac.through]])"),
    "framework_models": (lambda v: isinstance(v, bool), "true or false"),
    "model_namespace": (lambda v: isinstance(v, str), "a string"),
}
# Keys later commands read (compile, targets); validated here so typos fail early.
DRIVER_KEYS: dict[str, tuple] = {
    "source": (lambda v: isinstance(v, str), "a path"),
    "dialect": (lambda v: isinstance(v, str), "a dialect name"),
    "out": (lambda v: isinstance(v, str), "a directory path"),
    "targets": (_str_list, "a list of target names"),
    "laravel_version": (lambda v: isinstance(v, int) and not isinstance(v, bool),
                        "an integer (8 to 13)"),
    "jobs": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
             "a number of worker processes (0: one per core)"),
    "tables": (lambda v: isinstance(v, dict) and all(isinstance(t, dict) for t in v.values()),
               "a table of [tables.<name>] tables"),
    "sources": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
                "an array of tables ([[sources]])"),
}


def _target_keys() -> dict[str, tuple]:
    """One table per installed target (``[tool.schemac.eloquent]``); its keys are
    checked against the backend's declared options when the target runs."""
    from backends import registry
    return {name: (lambda v: isinstance(v, dict), f"a table of {name} options")
            for name in registry()}
THROUGH_KEYS = {"table", "name", "through", "related", "first_key", "second_key", "one"}


@attrs.frozen
class Config:
    path: str | None
    analysis: AnalysisOptions
    raw: dict = attrs.field(factory=dict, eq=False)
    # The raw file bytes' hash, for the incremental cache ("" without a file).
    digest: str = ""


def find_config(start: Path) -> Path | None:
    for d in [start, *start.parents]:
        for name in ("schemac.toml", "pyproject.toml"):
            p = d / name
            if p.is_file() and _section(p) is not None:
                return p
    return None


def _section(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read TOML: {exc}") from None
    tool = data.get("tool", {}).get("schemac")
    if tool is not None:
        return tool
    if path.name == "schemac.toml":
        return data
    return None


def _through(path: str, items: list[dict]) -> tuple[ThroughSpec, ...]:
    out = []
    for i, item in enumerate(items):
        unknown = sorted(set(item) - THROUGH_KEYS)
        if unknown:
            raise ConfigError(f"{path}: through[{i}]: unknown key {unknown[0]!r}")
        missing = [k for k in ("table", "name", "through", "related") if k not in item]
        if missing:
            raise ConfigError(f"{path}: through[{i}]: missing key {missing[0]!r}")
        for key, value in item.items():
            ok = isinstance(value, bool) if key == "one" else isinstance(value, str)
            if not ok:
                want = "true or false" if key == "one" else "a string"
                raise ConfigError(f"{path}: through[{i}].{key} must be {want}, "
                                  f"got {type(value).__name__}")
        out.append(ThroughSpec(**item))
    return tuple(out)


def check_keys(section: dict, path: str, known: dict, where: str = "[tool.schemac]",
               prefix: str = "") -> None:
    """Reject unknown keys and values of the wrong type, naming the key and the file."""
    for key, value in section.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key {prefix + key!r} in {where} "
                              f"(known: {', '.join(sorted(known))})")
        check, expected = known[key]
        if not check(value):
            raise ConfigError(f"{path}: {prefix}{key} must be {expected}, "
                              f"got {type(value).__name__}")


def validate(section: dict, path: str, extra_keys: dict | None = None) -> Config:
    known = {**ANALYSIS_KEYS, **DRIVER_KEYS, **_target_keys(), **(extra_keys or {})}
    check_keys(section, path, known)
    from compiler.sources import check_sources
    check_sources(section, path, {k: v for k, v in known.items() if k != "sources"})
    return analysis_config(section, path)


def analysis_config(section: dict, path: str) -> Config:
    """The :class:`Config` of a type-checked section, ``[tables.*]`` folded in."""
    from compiler.sources import fold_tables
    return _analysis_config(fold_tables(section, path), path)


def _analysis_config(section: dict, path: str) -> Config:
    bad = sorted(set(section.get("rules_off", ())) - KNOWN_RULES)
    if bad:
        raise ConfigError(f"{path}: rules_off: unknown rule {bad[0]!r} "
                          f"(known: {', '.join(sorted(KNOWN_RULES))})")
    analysis = AnalysisOptions(
        rules_off=frozenset(section.get("rules_off", ())),
        ignore_tables=frozenset(section.get("ignore_tables", ())),
        model_names=dict(section.get("models", {})),
        relation_names=dict(section.get("relation_names", {})),
        morph_map=dict(section.get("morph_map", {})),
        morph_targets={k: tuple(v) for k, v in section.get("morph_targets", {}).items()},
        casts=dict(section.get("casts", {})),
        through=_through(path, section.get("through", [])),
        framework_models=section.get("framework_models", False),
        model_namespace=section.get("model_namespace", "App\\Models"))
    return Config(path, analysis, section)


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """The given file, else the nearest one above ``start`` (cwd), else defaults."""
    p = Path(path) if path is not None else find_config(start or Path.cwd())
    if p is None:
        return Config(None, AnalysisOptions())
    if not p.is_file():
        raise ConfigError(f"{p}: no such config file")
    section = _section(p)
    config = validate(section or {}, str(p))
    import hashlib
    return attrs.evolve(config, digest=hashlib.sha256(p.read_bytes()).hexdigest())
