"""The body of one ``Schema::create`` closure: columns, keys, indexes, FKs, raw statements.

Idioms first (``id()``, ``timestamps()``, ``morphs()``, ``softDeletes()``,
``rememberToken()``, ``foreignId()->constrained()``, ``->unique()``), each only
when it produces exactly what the source declares; anything else gets the
explicit form.  What Blueprint cannot say (partial or expression indexes,
CHECKs) becomes a ``DB::statement`` in the source's SQL dialect, run only on
that driver.
"""

from __future__ import annotations

import attrs

from backends._laravel import object_memo
from backends._safe import comment_text
from backends.laravel_migrations import blueprint as bp
from ir.model import Column, ForeignKey, Index, Schema, Table
from ir.naming import plural
from ir.types import Kind

q = bp.q
Width = tuple[int | None, bool]


@attrs.frozen
class TableBody:
    lines: tuple[str, ...]     # inside the closure
    after: tuple[str, ...]     # after Schema::create (raw statements)
    needs_db: bool
    refs: tuple[str, ...]      # other tables this migration names


def widths_of(schema: Schema) -> dict[tuple[str, str], Width]:
    """(bits, unsigned) per integer column, inheriting a referenced key's when the
    source (SQLite) gives none, so FK columns match their targets on MySQL."""
    out: dict[tuple[str, str], Width] = {}

    def width(table: Table, col: Column, seen: frozenset) -> Width:
        t = col.type
        if t.bits is not None:
            return t.bits, t.unsigned
        pk = table.primary_key.columns if table.primary_key else ()
        if col.autoincrement and pk == (col.name,):
            return (64 if col.name == "id" else 32), True
        for fk in table.foreign_keys:
            ref = schema.table(fk.ref_table)
            if fk.columns == (col.name,) and ref is not None and (ref.name, col.name) not in seen:
                target = ref.column(fk.ref_columns[0]) if fk.ref_columns else None
                if target is not None and target.type.kind is Kind.INTEGER:
                    return width(ref, target, seen | {(table.name, col.name)})
        morphs = table.conventions.morphs if table.conventions else ()
        if any(col.name == f"{m}_id" for m in morphs):
            return 64, True
        return None, t.unsigned

    for table in schema.tables:
        for col in table.columns:
            if col.type.kind is Kind.INTEGER:
                out[(table.name, col.name)] = width(table, col, frozenset())
    return out


@attrs.define
class _State:
    table: Table
    schema: Schema
    widths: dict
    feats: dict
    deferred: tuple[ForeignKey, ...]
    used_indexes: set = attrs.field(factory=set)
    inline_fks: set = attrs.field(factory=set)
    needs_db: bool = False
    # Per-table facts every column asks about, computed once per table.
    fk_columns: frozenset = attrs.field(init=False)
    self_referencing: bool = attrs.field(init=False)
    index_columns: tuple = attrs.field(init=False)   # Index.columns of each index
    # Columns whose line depends on the table beyond their width (keys, FKs, one-column
    # indexes); any other column's line is the same wherever its Column object appears.
    special: frozenset = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        t = self.table
        self.fk_columns = frozenset(c for fk in t.foreign_keys for c in fk.columns)
        self.self_referencing = _self_referencing(t)
        self.index_columns = tuple(ix.columns for ix in t.indexes)
        pk = t.primary_key.columns if t.primary_key else ()
        key = t.conventions.key if t.conventions else ()
        self.special = self.fk_columns.union(
            pk, key, (cols[0] for cols in self.index_columns if len(cols) == 1))

    @property
    def dialect(self) -> str:
        return self.schema.dialect

    def width(self, col: Column) -> Width:
        return self.widths.get((self.table.name, col.name), (None, False))


def table_body(table: Table, schema: Schema, widths: dict, feats: dict,
               deferred: tuple[ForeignKey, ...]) -> TableBody:
    st = _State(table, schema, widths, feats, deferred)
    lines = _column_lines(st)
    lines += _key_lines(st)
    if table.comment:
        if feats["table_comment"]:
            lines.append(f"$table->comment({q(table.comment)});")
        else:
            lines.append("// Table comment (Laravel 8's Blueprint cannot set one): "
                         + comment_text(table.comment))
    after = _raw_statements(st)
    refs = sorted({fk.ref_table for fk in table.foreign_keys if fk.ref_table != table.name})
    return TableBody(tuple(lines), tuple(after), st.needs_db, tuple(refs))


_line_memo = object_memo()


def _column_lines(st: _State) -> list[str]:
    cols = st.table.columns
    lines: list[str] = []
    memo = _line_memo(st.schema)
    i = 0
    while i < len(cols):
        col = cols[i]
        nxt = cols[i + 1] if i + 1 < len(cols) else None
        pair = _pair_line(st, col, nxt)
        if pair is not None:
            lines.append(pair + ";")
            i += 2
            continue
        i += 1
        if col.name in st.special:
            lines += _column(st, col)
            continue
        key = (id(col), st.width(col), id(st.feats))
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = _plain_column(st, col)
        lines += hit[0]
        st.needs_db |= hit[1]
    return lines


def _plain_column(st: _State, col: Column) -> tuple[list[str], bool]:
    """A column outside :attr:`_State.special`: its lines and whether they need ``DB``."""
    needs_db, st.needs_db = st.needs_db, False
    lines = _column(st, col)
    needs_db, st.needs_db = st.needs_db, needs_db
    return lines, needs_db


def _plain(st: _State, col: Column) -> bool:
    """No default, comment, generation or FK: safe to fold into a helper."""
    in_fk = col.name in st.fk_columns
    return not (col.default or col.comment or col.generated or col.autoincrement or in_fk)


def _pair_line(st: _State, a: Column, b: Column | None) -> str | None:
    """``timestamps()`` or ``morphs('x')`` when ``a`` and ``b`` are exactly that pair."""
    morphs = st.table.conventions.morphs if st.table.conventions else ()
    if b is None or (a.name != "created_at" and not morphs):
        return None
    if not (_plain(st, a) and _plain(st, b)):
        return None
    if (a.name, b.name) == ("created_at", "updated_at") and a.nullable and b.nullable \
            and a.type == b.type and bp.is_timestamp(a.name, a.type, st.dialect):
        method = "timestampsTz" if a.type.timezone else "timestamps"
        return f"$table->{method}(" + (str(a.type.precision) if a.type.precision else "") + ")"
    for m in morphs:
        if (a.name, b.name) == (f"{m}_type", f"{m}_id"):
            return _morphs(st, m, a, b)
    return None


def _morphs(st: _State, m: str, type_col: Column, id_col: Column) -> str | None:
    if type_col.nullable != id_col.nullable or type_col.type.kind is not Kind.STRING \
            or type_col.type.fixed or type_col.type.length not in (None, 255):
        return None
    t = id_col.type
    if t.kind is Kind.INTEGER and st.width(id_col) == (64, True):
        kind = "morphs"
    elif t.kind is Kind.UUID or (t.kind is Kind.STRING and t.fixed and t.length == 36):
        kind = "uuidMorphs"
    elif t.kind is Kind.STRING and t.fixed and t.length == 26 and st.feats["ulid"]:
        kind = "ulidMorphs"
    else:
        return None
    cols = (type_col.name, id_col.name)
    found = next((n for n, ix in enumerate(st.table.indexes)
                  if ix.columns == cols and not ix.unique and ix.where is None), None)
    if found is None:
        return None  # morphs() always adds the index; without one, spell the columns out
    st.used_indexes.add(found)
    name = st.table.indexes[found].name
    method = ("nullable" + kind[0].upper() + kind[1:]) if type_col.nullable else kind
    args = [q(m)]
    if name and name != bp.default_index_name(st.table.name, cols, "index"):
        args.append(q(name))
    return f"$table->{method}({', '.join(args)})"


def _single(st: _State, col: Column) -> str | None:
    """``softDeletes()`` / ``rememberToken()`` for the conventional column."""
    if not _plain(st, col) or not col.nullable:
        return None
    t = col.type
    if col.name == "deleted_at" and t.kind is Kind.DATETIME and bp.is_timestamp(col.name, t, st.dialect):
        return ("$table->softDeletesTz(" if t.timezone else "$table->softDeletes(") + \
            (f"'deleted_at', {t.precision})" if t.precision else ")")
    if col.name == "remember_token" and t.kind is Kind.STRING and not t.fixed \
            and t.length in (None, 100):
        return "$table->rememberToken()"
    return None


def _column(st: _State, col: Column) -> list[str]:
    single = _single(st, col)
    if single is not None:
        return [single + ";"]
    pk = st.table.primary_key.columns if st.table.primary_key else ()
    todo = None
    fk = _inline_fk(st, col)
    if col.autoincrement and pk == (col.name,):
        text = bp.increments_call(col, st.width(col))
    elif fk is not None:
        method = "foreignUuid" if col.type.kind is Kind.UUID else "foreignId"
        text = f"$table->{method}({q(col.name)})"
    elif _key_format(st, col):
        text = f"$table->{_key_format(st, col)}({q(col.name)})"
    else:
        text, todo = bp.type_call(col, st.width(col), st.feats, st.dialect)
    text += _modifiers(st, col, pk)
    if fk is not None:
        text += _constrained(col, fk)
    lines = [f"// {comment_text(todo)}"] if todo else []
    if col.generated:
        lines.append(f"// The generation expression is {comment_text(st.dialect)} SQL.")
    return lines + [text + ";"]


def _modifiers(st: _State, col: Column, pk: tuple[str, ...]) -> str:
    out = ""
    if col.nullable and col.name not in pk:
        out += "->nullable()"
    default, needs_db = bp.default_modifier(col, st.dialect)
    if default:
        out += default
        st.needs_db |= needs_db
    if not st.self_referencing:
        out += _index_modifier(st, col)
        if pk == (col.name,) and not col.autoincrement:
            out += "->primary()"
    if col.comment:
        out += f"->comment({q(col.comment)})"
    if col.generated:
        method = "storedAs" if col.generated.stored else "virtualAs"
        out += f"->{method}({q(col.generated.expression)})"
    return out


def _key_format(st: _State, col: Column) -> str | None:
    """``uuid``/``ulid`` for a CHAR(36)/CHAR(26) key the conventions pass recognised
    (Laravel 8 has no ``ulid()``: it keeps ``char(26)``)."""
    conv = st.table.conventions
    t = col.type
    if conv is None or col.name not in conv.key or t.kind is not Kind.STRING or not t.fixed:
        return None
    if conv.key_format == "uuid" and t.length == 36:
        return "uuid"
    if conv.key_format == "ulid" and t.length == 26 and st.feats["ulid"]:
        return "ulid"
    return None


def _self_referencing(table: Table) -> bool:
    """Laravel adds ``->primary()``/``->unique()`` indexes after the explicit commands, so
    a self-referencing FK would come first and find no key (MySQL errno 150); such a
    table gets its keys as explicit lines before its foreign keys."""
    return any(fk.ref_table == table.name for fk in table.foreign_keys)


def _index_modifier(st: _State, col: Column) -> str:
    """``->unique()`` / ``->index()`` for the first default-named one-column index."""
    for n, columns in enumerate(st.index_columns):
        if n in st.used_indexes or columns != (col.name,):
            continue
        ix = st.table.indexes[n]
        if ix.where is not None or any(p.descending for p in ix.parts):
            continue
        kind = "unique" if ix.unique else "index"
        if ix.name is None or ix.name == bp.default_index_name(st.table.name, columns, kind):
            st.used_indexes.add(n)
            return f"->{kind}()"
    return ""


def _inline_fk(st: _State, col: Column) -> ForeignKey | None:
    """The FK ``foreignId('x')->constrained()`` can declare, if any."""
    for fk in st.table.foreign_keys:
        if fk.columns != (col.name,) or fk in st.deferred or fk.ref_columns != ("id",) \
                or not col.name.endswith("_id") or col.autoincrement or col.generated:
            continue
        if fk.name and fk.name != bp.default_index_name(st.table.name, fk.columns, "foreign"):
            continue
        ok_int = col.type.kind is Kind.INTEGER and st.width(col) == (64, True)
        ref = st.schema.table(fk.ref_table)
        target = ref.column("id") if ref is not None else None
        ok_uuid = col.type.kind is Kind.UUID and target is not None \
            and target.type.kind is Kind.UUID
        if ok_int or ok_uuid:
            st.inline_fks.add(fk)
            return fk
    return None


def _constrained(col: Column, fk: ForeignKey) -> str:
    guess = plural(col.name[: -len("_id")])
    arg = "" if guess == fk.ref_table else q(fk.ref_table)
    return f"->constrained({arg})" + bp.actions(fk.on_delete, fk.on_update)


def _key_lines(st: _State) -> list[str]:
    t = st.table
    lines: list[str] = []
    pk = t.primary_key.columns if t.primary_key else ()
    first = t.column(pk[0]) if pk else None
    if len(pk) > 1 or (first is not None and _self_referencing(t) and not first.autoincrement):
        lines.append(f"$table->primary({bp.columns_arg(pk)});")
    for n, ix in enumerate(t.indexes):
        if n in st.used_indexes or _is_raw(ix):
            continue
        kind = "unique" if ix.unique else "index"
        args = [bp.columns_arg(ix.columns)]
        if ix.name and ix.name != bp.default_index_name(t.name, ix.columns, kind):
            args.append(q(ix.name))
        lines.append(f"$table->{kind}({', '.join(args)});")
    for fk in t.foreign_keys:
        if fk not in st.inline_fks and fk not in st.deferred:
            lines.append(bp.foreign_line(t.name, fk) + ";")
    return lines


def _is_raw(ix: Index) -> bool:
    return ix.where is not None or not ix.columns or any(p.descending for p in ix.parts)


def _raw_statements(st: _State) -> list[str]:
    """Partial/expression indexes and CHECKs: source-dialect SQL, guarded by driver."""
    t = st.table
    stmts = [_index_sql(st, n, ix) for n, ix in enumerate(t.indexes) if _is_raw(ix)]
    notes: list[str] = []
    for check in t.checks:
        if st.dialect == "sqlite":
            # SQLite has no ALTER TABLE ... ADD CONSTRAINT; Blueprint has no CHECK.
            notes.append("// CHECK not created (SQLite cannot add one after CREATE TABLE): "
                         + comment_text(check.expression))
            continue
        name = f" CONSTRAINT {_ident(st, check.name)}" if check.name else ""
        stmts.append(f"ALTER TABLE {_ident(st, t.name)} ADD{name} CHECK ({check.expression})")
    if not stmts:
        return notes
    st.needs_db = True
    driver = bp.driver_of(st.dialect)
    body = [f"    DB::statement({q(s)});" for s in stmts]
    return notes + [f"// Blueprint cannot express these; the SQL is {st.dialect}'s.",
                    f"if (DB::getDriverName() === {q(driver)}) {{", *body, "}"]


def _index_sql(st: _State, n: int, ix: Index) -> str:
    parts = []
    for p in ix.parts:
        text = _ident(st, p.column) if p.column is not None else f"({p.expression})"
        parts.append(text + (" DESC" if p.descending else ""))
    name = ix.name or f"{st.table.name}_{n}_index"
    sql = (f"CREATE {'UNIQUE ' if ix.unique else ''}INDEX {_ident(st, name)} "
           f"ON {_ident(st, st.table.name)} ({', '.join(parts)})")
    return sql + (f" WHERE {ix.where}" if ix.where else "")


def _ident(st: _State, name: str) -> str:
    if st.dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'
