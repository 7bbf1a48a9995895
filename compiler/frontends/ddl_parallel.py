"""Load a large DDL file in two processes: tables split by name, merged into the serial result.

Why: at 10,000 tables sqlglot's tokenizer and parser take ~60% of a DDL load
and the frontend reads one statement at a time, so a mysqldump or pg_dump of
that size took ~4.7 s of a ~15 s compile while the second core idled.

How it stays exact.  Every table belongs to one *part*, by its lower-cased
name (so all spellings of a name meet in one part, as ``Ctx.table`` looks
names up case-insensitively).  Each part reads, in source order, every
statement about its own tables (CREATE TABLE, CREATE INDEX .. ON, ALTER
TABLE, COMMENT ON, DROP TABLE), every CREATE TYPE / DOMAIN (user types are
global: each part keeps them, part 0 reports them) and, in part 0, everything
else.  A statement about one table only ever reads that table's draft, so a
part sees exactly the state the serial load would have shown it.

The statement's table is found by a regex *before* parsing.  The part's
context checks every table it is asked for or given; a statement that touches
another part's table (a name the regex read wrong, ``LIKE other``, a foreign
key's target is not looked up until freezing) raises :class:`Misrouted` and
the caller loads the whole file serially instead.  So a wrong guess costs
time, never a different result.

Part 0 runs in this process; the other is forked (:mod:`compiler.frontends.forked`)
and sends back its drafts and diagnostics, pickled by :mod:`compiler.frontends.ir_pickle`.  The parent then rebuilds one
context: diagnostics in statement order, drafts in the order they were
added, and freezes it as usual.
"""

from __future__ import annotations

import pickle
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import attrs

from compiler.frontends import ddl_classify as cls
from compiler.frontends import forked
from compiler.frontends.ddl_split import Statement
from compiler.frontends.ddl_state import Ctx, Draft
from ir.diagnostics import Diagnostic

MIN_STATEMENTS = 2000   # below this a fork and the pickling cost more than they save
SHARE = 50              # percent of the tables (by name hash) read in this process

_PART = r'(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[\w$]+)'
_QNAME = rf"({_PART}(?:\s*\.\s*{_PART})*)"
_TARGET = {
    cls.TABLE: re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?"
                          r"(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                          + _QNAME, re.IGNORECASE),
    cls.INDEX: re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*?\bON\s+(?:ONLY\s+)?" + _QNAME,
                          re.IGNORECASE),
    cls.ALTER: re.compile(r"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?" + _QNAME,
                          re.IGNORECASE),
    cls.COMMENT: re.compile(r"COMMENT\s+ON\s+(TABLE|COLUMN)\s+" + _QNAME, re.IGNORECASE),
}
_PARTS = re.compile(_PART)
_COPIES = re.compile(r"\b(?:INHERITS|LIKE|PARTITION\s+OF)\b", re.IGNORECASE)
_ONE_NAME = re.compile(rf"\s*{_PART}(?:\s*\.\s*{_PART})*")
_COMMA = re.compile(r"\s*,")
_COPY_SOURCES = re.compile(r"\b(INHERITS\s*\(|LIKE\s|PARTITION\s+OF\s)", re.IGNORECASE)
ALL = -1  # a statement every part reads (user types)


class Misrouted(BaseException):
    """A part was asked about a table of another part.  A BaseException, so the
    frontend's per-statement ``except Exception`` does not turn it into a diagnostic."""


def owner(name: str, groups: dict[str, int] | None = None) -> int:
    """The part of a table: by a hash of its lower-cased name, unless ``groups`` puts
    it with the tables it copies columns from or to."""
    key = name.lower()
    if groups and key in groups:
        return groups[key]
    return 0 if zlib.crc32(key.encode("utf-8", "surrogatepass")) % 100 < SHARE else 1


def _unquote(part: str) -> str:
    if part[0] in "\"`":
        return part[1:-1].replace(part[0] * 2, part[0])
    return part[1:-1] if part[0] == "[" else part


def _target(kind: str, text: str) -> str | None:
    """The table a statement is about, read from its leading words (None: not found)."""
    m = _TARGET[kind].match(text)
    if m is None:
        return None
    parts = [_unquote(p) for p in _PARTS.findall(m.group(m.lastindex or 1))]
    if kind == cls.COMMENT and m.group(1).upper() == "COLUMN":
        return parts[-2] if len(parts) >= 2 else None
    return parts[-1] if parts else None


def _copied(text: str) -> list[str]:
    """Tables a CREATE TABLE copies columns from (INHERITS (a, b), PARTITION OF a, LIKE a)."""
    names = []
    for m in _COPY_SOURCES.finditer(text):
        pos, many = m.end(), m.group(1)[0] in "Ii"
        while (got := _ONE_NAME.match(text, pos)) is not None:
            names.append(_unquote(_PARTS.findall(got.group())[-1]))
            comma = _COMMA.match(text, got.end()) if many else None
            if comma is None:
                break
            pos = comma.end()
    return names


def groups(stmts: list[Statement], kinds: list[str]) -> dict[str, int]:
    """Parts for tables that copy columns from others: each such family in one part
    (that of its alphabetically first member), so a copy reads a table of its own part."""
    family: dict[str, str] = {}

    def root(n: str) -> str:
        while family.get(n, n) != n:
            n = family[n]
        return n

    for stmt, kind in zip(stmts, kinds):
        if kind != cls.TABLE or not _COPIES.search(stmt.text):
            continue
        child = _target(kind, stmt.text)
        for parent in _copied(stmt.text) if child else ():
            a, b = root(child.lower()), root(parent.lower())
            family.setdefault(a, a)
            family.setdefault(b, b)
            family[max(a, b)] = min(a, b)
    return {n: owner(root(n)) for n in family}


def route(stmts: list[Statement]) -> tuple[list[int], dict[str, int]] | None:
    """The part that reads each statement (``ALL``: every part) and the table families
    (:func:`groups`); None when the file must be read serially (a DROP of tables
    in different parts)."""
    kinds = [cls.classify(s.text, s.client) for s in stmts]
    fams = groups(stmts, kinds)
    out = []
    for stmt, kind in zip(stmts, kinds):
        if kind in (cls.ENUM, cls.DOMAIN):
            out.append(ALL)
        elif kind == cls.DROP_TABLE:
            owners = {owner(n, fams) for n in cls.dropped_tables(stmt.text)}
            if len(owners) > 1:
                return None
            out.append(owners.pop() if owners else 0)
        elif kind in _TARGET:
            name = _target(kind, stmt.text)
            out.append(0 if name is None else owner(name, fams))
        else:
            out.append(0)
    return out, fams


@dataclass(slots=True)
class PartCtx(Ctx):
    """A load context that holds only its part's tables and notes when each was added."""

    part: int = 0
    groups: dict[str, int] = field(default_factory=dict)    # see :func:`groups`
    index: int = 0                                          # the statement being read
    added: dict[str, int] = field(default_factory=dict)     # table name -> statement index

    def table(self, name: str) -> Draft | None:
        if owner(name, self.groups) != self.part:
            raise Misrouted(name)
        return Ctx.table(self, name)

    def add_table(self, draft: Draft) -> None:
        if owner(draft.name, self.groups) != self.part:
            raise Misrouted(draft.name)
        Ctx.add_table(self, draft)
        self.added[draft.name] = self.index


@attrs.frozen
class PartResult:
    diagnostics: list[tuple[int, list[Diagnostic]]]   # (statement index, its diagnostics)
    drafts: list[tuple[int, Draft]]                    # (index of the CREATE, draft)
    folded: dict[str, str]


def read_part(part: int, stmts: list[Statement], routes: tuple[list[int], dict[str, int]],
              dialect: str, file: str | None,
              statement: Callable[[Statement, Ctx], None]) -> PartResult:
    """Read this part's statements in order (raises :class:`Misrouted`)."""
    where_each, fams = routes
    ctx = PartCtx(dialect, file, part=part, groups=fams)
    diags: list[tuple[int, list[Diagnostic]]] = []
    for i, (stmt, where) in enumerate(zip(stmts, where_each)):
        if where != part and where != ALL:
            continue
        ctx.index, before = i, len(ctx.diagnostics)
        statement(stmt, ctx)
        if len(ctx.diagnostics) > before and (where == part or part == 0):
            diags.append((i, ctx.diagnostics[before:]))
    drafts = [(ctx.added[d.name], d) for d in ctx.drafts.values()]
    return PartResult(diags, drafts, dict(ctx.folded))


def merge(dialect: str, file: str | None, results: list[PartResult]) -> Ctx:
    """One context as the serial load would have left it."""
    ctx = Ctx(dialect, file)
    for _, found in sorted((d for r in results for d in r.diagnostics), key=lambda d: d[0]):
        ctx.diagnostics.extend(found)
    for _, draft in sorted((d for r in results for d in r.drafts), key=lambda d: d[0]):
        ctx.drafts[draft.name] = draft
    for r in results:
        ctx.folded.update(r.folded)
    return ctx


def load(stmts: list[Statement], dialect: str, file: str | None,
         statement: Callable[[Statement, Ctx], None]) -> Ctx | None:
    """The context after reading ``stmts`` in two processes; None when the caller
    must read them serially (see the module docstring)."""
    routes = route(stmts)
    if routes is None or not forked.available():
        return None

    def part(number: int) -> PartResult | None:
        try:
            return read_part(number, stmts, routes, dialect, file, statement)
        except Misrouted:
            return None

    try:
        child = forked.Forked(lambda: part(1))
    except OSError:
        return None  # no process to spare: one is enough
    with child:   # leaving it early kills the child: its work is not wanted
        mine = part(0)
        if mine is None:
            return None
        theirs = child.result(pickle.loads)   # plain objects: no interning of equal ones
    if not isinstance(theirs, PartResult):
        return None
    return merge(dialect, file, [mine, theirs])
