"""Classify a DDL statement by its leading keywords, before any parsing.

Only the statements schemac lowers are handed to sqlglot: CREATE TABLE,
CREATE [UNIQUE] INDEX, ALTER TABLE, COMMENT ON TABLE/COLUMN, CREATE TYPE ... AS
ENUM and CREATE DOMAIN.  Everything else is skipped with a diagnostic and a
short label (``CREATE TRIGGER``, ``INSERT``) naming what was skipped.

``DROP TABLE`` is applied without sqlglot: a table defined earlier in the file
is removed (the file's final schema is what counts); dropping one not defined
yet -- the ``DROP TABLE IF EXISTS`` every dump writes before its CREATE -- is
noted as *info*.

Severity of a skip (the policy, kept in one place): pure session and
transaction control — SET, BEGIN/COMMIT/ROLLBACK, PRAGMA, USE, LOCK/UNLOCK,
client commands such as psql ``\\c`` or ``DELIMITER``, MySQL ``/*!...*/``
version comments, pg_dump's ``SELECT pg_catalog.set_config`` — is *info*: it
says nothing about the schema, and every dump is full of it, so a warning would
make ``--strict`` unusable.  Any other skipped statement (views, triggers,
routines, sequences, grants, INSERT, ``ALTER ... OWNER TO``, ...) may carry
schema meaning schemac does not model, so it is a *warning*.
"""

from __future__ import annotations

import re

TABLE, INDEX, ALTER, COMMENT, ENUM, DOMAIN = "table", "index", "alter", "comment", "enum", "domain"
DROP_TABLE = "drop-table"
SESSION, SKIP = "session", "skip"

_WS = r"(?:\s|--[^\n]*\n|/\*[\s\S]*?\*/)+"  # a space in a rule: whitespace or comments
_RULES = [
    (TABLE, r"CREATE(?: OR REPLACE)?(?: (?:GLOBAL|LOCAL))?(?: (?:TEMPORARY|TEMP|UNLOGGED))? TABLE\b"),
    (INDEX, r"CREATE(?: UNIQUE)?(?: (?:FULLTEXT|SPATIAL|CLUSTERED|NONCLUSTERED))? INDEX\b"),
    (ALTER, r"ALTER TABLE\b"),
    (COMMENT, r"COMMENT ON (?:TABLE|COLUMN)\b"),
    (ENUM, r"CREATE TYPE \S+ AS ENUM\b"),
    (DOMAIN, r"CREATE DOMAIN\b"),
    (DROP_TABLE, r"DROP(?: TEMPORARY)? TABLE\b"),
    (SESSION, (r"(?:SET|RESET|BEGIN|COMMIT|ROLLBACK|END|ABORT|START TRANSACTION|SAVEPOINT"
               r"|RELEASE|PRAGMA|USE|LOCK|UNLOCK|DELIMITER|CHECKPOINT|VACUUM|ANALYZE)\b")),
    (SESSION, r"SELECT pg_catalog\.set_config\b"),
]
_COMPILED = [(kind, re.compile(rx.replace(" ", _WS), re.IGNORECASE)) for kind, rx in _RULES]
_OWNER = re.compile(r"\bOWNER" + _WS + r"TO\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_][\w$]*")
# Words that name the kind of object after CREATE / ALTER / DROP / COMMENT ON.
_OBJECTS = {"TABLE", "VIEW", "INDEX", "TRIGGER", "FUNCTION", "PROCEDURE", "SEQUENCE", "TYPE",
            "DOMAIN", "SCHEMA", "DATABASE", "EXTENSION", "RULE", "AGGREGATE", "LANGUAGE",
            "EVENT", "ROLE", "USER", "POLICY", "SERVER", "OPERATOR", "COLLATION", "CAST",
            "MATERIALIZED", "PUBLICATION", "SUBSCRIPTION", "TABLESPACE", "TEXT"}


def label(text: str) -> str:
    """A short name for a statement: ``CREATE TRIGGER``, ``ALTER TABLE ... OWNER TO``."""
    if text.startswith("/*!"):
        return "MySQL version comment"
    if text[:1] in "\\.":
        return "client command " + text.split()[0]
    words = [w.upper() for w in _WORD.findall(text[:300])[:8]]
    if not words:
        return "statement"
    if words[0] in ("CREATE", "ALTER", "DROP", "COMMENT"):
        obj = next((w for w in words[1:] if w in _OBJECTS), None)
        verb = "COMMENT ON" if words[0] == "COMMENT" else words[0]
        head = f"{verb} {obj}" if obj else verb
        if words[0] == "ALTER" and _OWNER.search(text):
            head += " ... OWNER TO"
        return head
    return words[0]


_DROP_NAMES = re.compile(r"DROP" + _WS + r"(?:TEMPORARY" + _WS + r")?TABLE" + _WS
                         + r"(?:IF" + _WS + r"EXISTS" + _WS + r")?(.*?)\s*"
                         + r"(?:\b(?:CASCADE|RESTRICT)\b\s*)?;?\s*$",
                         re.IGNORECASE | re.DOTALL)
_NAME_PART = re.compile(r'"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([^\s.,"`\[]+)')


def dropped_tables(text: str) -> list[str]:
    """Table names of a ``DROP TABLE [IF EXISTS] a, s.b, "c d"`` (schema qualifiers cut)."""
    m = _DROP_NAMES.match(text)
    if not m:
        return []
    names = []
    for item in _split_top(m.group(1)):
        parts = [next(g for g in p.groups() if g is not None) for p in _NAME_PART.finditer(item)]
        if parts:
            names.append(parts[-1].replace('""', '"').replace("``", "`"))
    return names


def _split_top(text: str) -> list[str]:
    out, cur, quote = [], "", None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == ",":
            out.append(cur)
            cur = ""
            continue
        cur += ch
    return out + [cur]


def classify(text: str, client: bool = False) -> str:
    """One of TABLE, INDEX, ALTER, COMMENT, ENUM, DOMAIN, DROP_TABLE, SESSION or SKIP."""
    if client or text.startswith("/*!"):
        return SESSION
    head = text[:400]
    for kind, rx in _COMPILED:
        if rx.match(head):
            if kind == ALTER and _OWNER.search(text):
                return SKIP  # pg_dump's ALTER TABLE x OWNER TO y: ownership, not structure
            return kind
    return SKIP
