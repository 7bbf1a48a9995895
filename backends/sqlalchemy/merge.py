"""Merge a regenerated module into the user's copy: schemac's regions replaced, the user's code kept.

Design.  Every piece schemac writes (the import block, ``Base``, each helper,
enum, ``Table`` and model class) is a *region* delimited by two comment lines::

    # schemac:begin class Album 3f2a9c1e0b7d4a55
    class Album(Base):
        ...

        # schemac:end class Album

        def title_upper(self) -> str:      <- the user's, after the end line:
            return self.title.upper()         kept verbatim, still in the class

The 16 hex digits are a hash of the region's text as schemac wrote it, so the
merge knows, without any previous copy, whether the user touched a region:

1. The old file is split into text and regions with one line scan (no parser).
2. An untouched region (its text hashes to its marker) is replaced by the new
   region as is.  Text outside regions is the user's and is kept verbatim,
   including members added below a class's end line.  With nothing touched, a
   10,000-class module is merged by string operations only.
3. Only a *touched* region is parsed with libcst: the old region and the new
   one.  Statements of the old region that schemac did not generate are moved
   just below the new region's end line (class members indented, so they stay in
   the class).  Generated statements are those the new region defines again
   (same name), and in a class: ``__tablename__``/``__table_args__``, the
   docstring, and attributes built with ``mapped_column()``/``relationship()``;
   in an enum: members assigned a plain string.  So a column or relationship you
   declare yourself belongs below the end line; inside the region it is taken
   for schemac's.  Decorators and extra base classes you add to a class are kept.
4. A region the new output no longer has (a dropped table) is removed when it is
   untouched and the user added nothing below it; otherwise it is kept as the
   user's code, its markers replaced by a ``# schemac: ... no longer exists``
   comment (the driver cannot receive warnings from a merge).
5. A new region goes right after the region that precedes it in the new output.

Merging the merge result again with the same new text gives the same file.
"""

from __future__ import annotations

import hashlib
import re

import attrs

_BEGIN = re.compile(r"^# schemac:begin (.+) ([0-9a-f]{16})$")
_END = re.compile(r"^[ ]*# schemac:end (.+)$")


def region_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def wrap(key: str, text: str, indent: int = 0) -> str:
    """A region: ``text`` (ending with a newline) between begin and end lines."""
    pad = " " * indent
    body = text + ("\n" if indent else "") + f"{pad}# schemac:end {key}\n"
    return f"# schemac:begin {key} {region_hash(body)}\n{body}"


@attrs.frozen
class Region:
    key: str
    digest: str
    body: str                     # everything after the begin line, end line included

    @property
    def text(self) -> str:
        return f"# schemac:begin {self.key} {self.digest}\n{self.body}"

    @property
    def touched(self) -> bool:
        return region_hash(self.body) != self.digest


def split(text: str) -> list[str | Region]:
    """Text and regions in file order (a begin line without its end line is text)."""
    out: list[str | Region] = []
    lines = text.splitlines(keepends=True)
    i, start = 0, 0
    while i < len(lines):
        m = _BEGIN.match(lines[i].rstrip("\n"))
        if m:
            end = _find_end(lines, i + 1, m.group(1))
            if end is not None:
                if start < i:
                    out.append("".join(lines[start:i]))
                out.append(Region(m.group(1), m.group(2), "".join(lines[i + 1:end + 1])))
                i = start = end + 1
                continue
        i += 1
    if start < len(lines):
        out.append("".join(lines[start:]))
    return out


def _find_end(lines: list[str], i: int, key: str) -> int | None:
    for j in range(i, len(lines)):
        line = lines[j].rstrip("\n")
        m = _END.match(line)
        if m and m.group(1) == key:
            return j
        if _BEGIN.match(line):
            return None
    return None


def _tail(text: str) -> tuple[str, str]:
    """Split text after a region into the indented lines that continue the region's class
    (the user's members) and the rest."""
    lines = text.splitlines(keepends=True)
    last = 0
    for i, line in enumerate(lines):
        if line.strip() and not line[0].isspace():
            break
        if line.strip():
            last = i + 1
    return "".join(lines[:last]), "".join(lines[last:])


def merge(old: str, new: str) -> str:
    new_parts = split(new)
    new_regions = {p.key: p for p in new_parts if isinstance(p, Region)}
    order = list(new_regions)
    position = {k: i for i, k in enumerate(order)}
    parts = split(old)
    old_keys = {p.key for p in parts if isinstance(p, Region)}
    out: list[str] = []
    lead = _followers(None, order, old_keys, position)
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        if isinstance(part, Region) and lead:
            out += [new_regions[k].text + "\n\n" for k in lead]
            lead = []
        if not isinstance(part, Region):
            out.append(part)
            continue
        tail, rest = ("", "")
        if i < len(parts) and isinstance(parts[i], str):
            tail, rest = _tail(parts[i])  # type: ignore[arg-type]
            i += 1
        if part.key in new_regions:
            out.append(_replace(part, new_regions[part.key]) + tail)
            out += [_insertion(new_regions[k]) for k in _followers(part.key, order, old_keys, position)]
            out.append(rest)
        elif not part.touched and not tail.strip():
            _drop_separator(out)
            out.append(rest if out else rest.lstrip("\n"))
        else:
            out.append(_orphan(part) + tail + rest)
    if not old_keys:  # nothing of schemac's in the file: append the new output
        out.append(("\n\n" if old.strip() else "") + new)
    return "".join(out)


def _followers(key: str | None, order: list[str], old_keys: set[str],
               position: dict[str, int]) -> list[str]:
    """New regions (absent from the old file) right after ``key`` (None: first) in new order."""
    out = []
    start = position[key] + 1 if key is not None else 0
    for k in _iter_from(order, start):
        if k in old_keys:
            break
        out.append(k)
    return out


def _iter_from(order: list[str], start: int):
    for i in range(start, len(order)):
        yield order[i]


def _insertion(region: Region) -> str:
    return "\n\n" + region.text


def _drop_separator(out: list[str]) -> None:
    """Remove the two blank lines that separated a dropped region from what precedes it."""
    while out and not out[-1]:
        out.pop()
    if out and not out[-1].strip("\n"):
        out.pop()
    elif out and out[-1].endswith("\n\n\n"):
        out[-1] = out[-1][:-2]


def _orphan(region: Region) -> str:
    kind, _, name = region.key.partition(" ")
    body = "".join(line for line in region.body.splitlines(keepends=True)
                   if not _END.match(line.rstrip("\n")))
    if body.endswith("\n\n"):  # the blank line schemac puts before a class's end line
        body = body[:-1]
    return (f"# schemac: {kind} {name} no longer exists in the schema; "
            "kept because it holds your code\n" + body)


def _replace(old: Region, new: Region) -> str:
    if not old.touched:
        return new.text
    from backends.sqlalchemy.merge_cst import keep_user_code  # libcst only when needed

    return keep_user_code(old, new)
