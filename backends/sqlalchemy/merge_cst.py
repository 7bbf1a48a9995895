"""The libcst half of the merge: find the user's statements in one region the user touched.

Only called for a region whose hash no longer matches (see :mod:`.merge`), so
libcst parses two small snippets, never the whole module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from backends.sqlalchemy.merge import Region

_GENERATED_CALLS = {"mapped_column", "relationship", "column_property", "Column", "Table"}
_GENERATED_DUNDERS = {"__tablename__", "__table_args__", "__mapper_args__"}


def keep_user_code(old: Region, new: Region) -> str:
    """The new region's text followed by the old region's statements schemac did not write."""
    try:
        old_mod = cst.parse_module(_strip_end(old.body))
        new_mod = cst.parse_module(_strip_end(new.body))
    except cst.ParserSyntaxError:
        # The user's edit does not parse: keep it whole as theirs, below the new region.
        return new.text + "\n\n# schemac: could not read your edit of this block; kept as is\n" \
            + _comment_out(old.body)
    new_classes = {s.name.value: s for s in new_mod.body if isinstance(s, cst.ClassDef)}
    new_names = {n for s in new_mod.body for n in _defined(s)}
    text = new.text
    members: list[str] = []
    top: list[str] = []
    for stmt in old_mod.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value in new_classes:
            text = _keep_header(text, stmt, new_classes[stmt.name.value], old_mod)
            members += _user_members(stmt, new_classes[stmt.name.value], old_mod)
        elif not (_defined(stmt) & new_names) and not _same_import(stmt, new_mod):
            top.append(old_mod.code_for_node(stmt).strip("\n"))
    for m in members:
        text += "\n" + m + "\n"
    for t in top:
        text += ("" if _is_import(t) else "\n\n") + t + "\n"
    return text


def _strip_end(body: str) -> str:
    lines = body.splitlines(keepends=True)
    return "".join(lines[:-1]) if lines else ""


def _comment_out(body: str) -> str:
    return "".join("# " + line if line.strip() else line
                   for line in body.splitlines(keepends=True))


def _defined(stmt: cst.CSTNode) -> set[str]:
    if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
        return {stmt.name.value}
    if isinstance(stmt, cst.SimpleStatementLine):
        out: set[str] = set()
        for small in stmt.body:
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                out.add(small.target.value)
            elif isinstance(small, cst.Assign):
                out |= {t.target.value for t in small.targets if isinstance(t.target, cst.Name)}
        return out
    return set()


def _is_import(code: str) -> bool:
    return code.startswith(("import ", "from "))


def _same_import(stmt: cst.CSTNode, new_mod: cst.Module) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    code = cst.Module([]).code_for_node(stmt.with_changes(leading_lines=()))
    if not _is_import(code.strip()):
        return False
    new_code = {cst.Module([]).code_for_node(s.with_changes(leading_lines=()))
                for s in new_mod.body if isinstance(s, cst.SimpleStatementLine)}
    return code in new_code


def _generated_member(stmt: cst.CSTNode, index: int, new_names: set[str], is_enum: bool) -> bool:
    if index == 0 and isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 \
            and isinstance(stmt.body[0], cst.Expr) \
            and isinstance(stmt.body[0].value, cst.SimpleString):
        return True  # the docstring
    names = _defined(stmt)
    if names & (new_names | _GENERATED_DUNDERS):
        return True
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    value = getattr(small, "value", None)
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
        return value.func.value in _GENERATED_CALLS
    return is_enum and isinstance(small, cst.Assign) and isinstance(value, cst.SimpleString)


def _user_members(old: cst.ClassDef, new: cst.ClassDef, mod: cst.Module) -> list[str]:
    new_names = {n for s in new.body.body for n in _defined(s)}
    is_enum = any("Enum" in mod.code_for_node(b.value) for b in new.bases)
    out = []
    for i, stmt in enumerate(old.body.body):
        if not _generated_member(stmt, i, new_names, is_enum):
            code = mod.code_for_node(stmt).strip("\n")
            out.append("\n".join(("    " + line) if line.strip() else ""
                                 for line in code.splitlines()))
    return out


def _keep_header(text: str, old: cst.ClassDef, new: cst.ClassDef, mod: cst.Module) -> str:
    """Keep decorators and base classes the user added to a generated class."""
    old_bases = [mod.code_for_node(b.value) for b in old.bases]
    new_bases = [mod.code_for_node(b.value) for b in new.bases]
    header = f"class {new.name.value}({', '.join(new_bases)}):"
    if header not in text:
        return text
    bases = old_bases if set(new_bases) <= set(old_bases) else new_bases
    decorators = "".join(f"@{mod.code_for_node(d.decorator)}\n" for d in old.decorators)
    return text.replace(header, decorators + f"class {new.name.value}({', '.join(bases)}):", 1)
