"""Relation methods of one Eloquent model, with only the arguments Laravel cannot guess.

Every relation end on a model's table (``ir/relations.py``: ``name`` on
``table``, ``inverse_name`` on ``ref_table``) becomes one method.  Each key
argument is compared with what Eloquent would assume (Laravel 8.83
``Concerns/HasRelationships``: belongsTo guesses ``snake(method)_<owner key>``,
hasMany ``snake(class_basename(parent))_<parent key>``, belongsToMany the
sorted snake model names joined by ``_``, morphToMany ``plural(name)``) and
written only when it differs.  Composite keys have no Eloquent relation and
are skipped.
"""

from __future__ import annotations

import functools

import attrs

from backends._laravel import method_name
from backends._safe import php_single_quoted as q
from backends.eloquent.names import Imports, php_identifier, unique
from ir.model import Schema
from ir.naming import foreign_key, pivot_name, plural, snake
from ir.relations import Relation
from ir.relations import RelationKind as K

REL_NS = "Illuminate\\Database\\Eloquent\\Relations\\"
MODEL = "Illuminate\\Database\\Eloquent\\Model"
COLLECTION = "\\Illuminate\\Database\\Eloquent\\Collection"
MAX_LINE = 120
_ONE = {"BelongsTo", "HasOne", "MorphOne", "HasOneThrough", "MorphTo"}


@attrs.frozen
class Method:
    name: str
    returns: str            # the relation class as the file refers to it
    doc_return: str | None  # generic @return (Laravel >= 11), else None
    body: tuple[str, ...]   # lines, indented for a method body
    prop: str               # the class docblock's @property-read line
    call: str = ""          # belongsTo, hasMany, ...
    related: str | None = None              # related table (None for morphTo)
    keys: tuple[str, ...] = ()              # the key columns the call rests on, unquoted
    through: str | None = None              # the intermediate table of a has*Through


@attrs.frozen
class Models:
    """What relation rendering needs to know about every model of the schema."""

    classes: dict[str, str]     # table -> short class name
    keys: dict[str, str | None] # table -> single primary key column (None: composite/none)
    namespace: str              # where the user (sub)classes live

    def fqcn(self, table: str) -> str:
        return f"{self.namespace}\\{self.classes[table]}"

    def fk(self, table: str) -> str:
        """Model::getForeignKey(): ``snake(class_basename) . '_' . keyName``."""
        return _foreign_key(self.classes[table], self.keys[table] or "")


_foreign_key = functools.lru_cache(maxsize=1 << 16)(foreign_key)


def _k(column: str, default: bool) -> tuple[str, bool, str]:
    """A key argument: (PHP literal, equals Laravel's guess, column)."""
    return (q(column), default, column)


def _args(args: list[tuple[str, bool, str | None]]) -> list[str]:
    """Positional arguments with trailing defaults dropped (earlier ones must stay)."""
    while args and args[-1][1]:
        args.pop()
    return [a[0] for a in args]


def _pivot_chain(r: Relation) -> list[str]:
    chain = []
    if r.pivot and r.pivot.extra:
        chain.append("->withPivot(" + ", ".join(q(c) for c in r.pivot.extra) + ")")
    if r.pivot and r.pivot.timestamps:
        chain.append("->withTimestamps()")
    return chain


def morph_table_guess(name: str) -> str:
    """morphToMany's table guess: the last ``_``-word of the morph name pluralised."""
    head, sep, last = name.rpartition("_")
    return head + sep + plural(last)


def _spec(r: Relation, side: str, this: str, m: Models, method: str):
    """(call, related table, extra class table, args after the class, chain, one?) or None."""
    ref = m.keys
    if r.kind in (K.MANY_TO_ONE, K.ONE_TO_ONE) and side == "name":
        fk, owner = r.columns[0], r.ref_columns[0]
        return ("belongsTo", r.ref_table, None,
                [_k(fk, fk == snake(method) + "_" + (ref[r.ref_table] or "")),
                 _k(owner, owner == ref[r.ref_table])], [])
    if r.kind in (K.MANY_TO_ONE, K.ONE_TO_ONE):
        fk, local = r.columns[0], r.ref_columns[0]
        call = "hasMany" if r.kind is K.MANY_TO_ONE else "hasOne"
        return (call, r.table, None, [_k(fk, fk == m.fk(this)), _k(local, local == ref[this])], [])
    if r.kind is K.MANY_TO_MANY:
        p = r.pivot
        other = r.ref_table if side == "name" else r.table
        mine, theirs = (p.columns, p.ref_columns) if side == "name" else (p.ref_columns, p.columns)
        pk, rk = (r.columns, r.ref_columns) if side == "name" else (r.ref_columns, r.columns)
        return ("belongsToMany", other, None, [
            _k(p.table, p.table == pivot_name(m.classes[this], m.classes[other])),
            _k(mine[0], mine[0] == m.fk(this)), _k(theirs[0], theirs[0] == m.fk(other)),
            _k(pk[0], pk[0] == ref[this]), _k(rk[0], rk[0] == ref[other])], _pivot_chain(r))
    if r.kind is K.MORPH_TO:
        mo = r.morph
        default = (mo.type_column == snake(method) + "_type" and mo.id_column == snake(method) + "_id")
        return ("morphTo", None, None, [] if default else
                [("__FUNCTION__", False, None), _k(mo.type_column, False), _k(mo.id_column, False)], [])
    if r.kind in (K.MORPH_MANY, K.MORPH_ONE):
        mo, local = r.morph, r.ref_columns[0]
        call = "morphMany" if r.kind is K.MORPH_MANY else "morphOne"
        return (call, r.table, None, [
            _k(mo.name, False), _k(mo.type_column, mo.type_column == mo.name + "_type"),
            _k(mo.id_column, mo.id_column == mo.name + "_id"), _k(local, local == ref[this])], [])
    if r.kind is K.MORPH_TO_MANY:
        return _morph_to_many(r, side, this, m)
    if r.kind in (K.HAS_MANY_THROUGH, K.HAS_ONE_THROUGH) and r.through:
        t = r.through
        if t.table not in m.classes:
            return None
        call = "hasManyThrough" if r.kind is K.HAS_MANY_THROUGH else "hasOneThrough"
        return (call, r.ref_table, t.table, [
            _k(t.first_key, t.first_key == m.fk(this)),
            _k(t.second_key, t.second_key == m.fk(t.table))], [])
    return None


def _morph_to_many(r: Relation, side: str, this: str, m: Models):
    p, mo = r.pivot, r.morph
    table_arg = _k(p.table, p.table == morph_table_guess(mo.name))
    if side == "name":   # the owner (posts) -> related (tags): morphToMany
        return ("morphToMany", r.ref_table, None, [
            _k(mo.name, False), table_arg,
            _k(p.columns[0], p.columns[0] == mo.name + "_id"),
            _k(p.ref_columns[0], p.ref_columns[0] == m.fk(r.ref_table)),
            _k(r.columns[0], r.columns[0] == m.keys[this]),
            _k(r.ref_columns[0], r.ref_columns[0] == m.keys[r.ref_table])], _pivot_chain(r))
    return ("morphedByMany", r.table, None, [
        _k(mo.name, False), table_arg,
        _k(p.ref_columns[0], p.ref_columns[0] == m.fk(this)),
        _k(p.columns[0], p.columns[0] == mo.name + "_id"),
        _k(r.ref_columns[0], r.ref_columns[0] == m.keys[this]),
        _k(r.columns[0], r.columns[0] == m.keys[r.table])], _pivot_chain(r))


_RETURNS = {"belongsTo": "BelongsTo", "hasMany": "HasMany", "hasOne": "HasOne",
            "belongsToMany": "BelongsToMany", "morphTo": "MorphTo", "morphMany": "MorphMany",
            "morphOne": "MorphOne", "morphToMany": "MorphToMany", "morphedByMany": "MorphToMany",
            "hasManyThrough": "HasManyThrough", "hasOneThrough": "HasOneThrough"}


def ends_on(schema: Schema, table: str) -> list[tuple[Relation, str]]:
    """(relation, side) of every named end on ``table``, single-column keys only."""
    out = []
    for r in schema.relations_touching(table):
        if len(r.columns) > 1 or len(r.ref_columns) > 1:
            continue
        if r.pivot and (len(r.pivot.columns) != 1 or len(r.pivot.ref_columns) != 1):
            continue
        if r.name is not None and r.table == table and r.kind not in (K.MORPH_MANY, K.MORPH_ONE):
            out.append((r, "name"))
        if r.inverse_name is not None and r.ref_table == table:
            out.append((r, "inverse"))
    return out


def _body(call: str, args: list[str], chain: list[str]) -> tuple[str, ...]:
    head = f"return $this->{call}("
    one = head + ", ".join(args) + ")"
    lines = [one] if len(one) + 8 <= MAX_LINE else (
        [head] + [f"    {a}," for a in args[:-1]] + [f"    {args[-1]}", ")"])
    if chain and len(lines) == 1:
        lines += ["    " + c for c in chain]
    elif chain:
        lines[-1] += "".join(chain)
    lines[-1] += ";"
    return tuple(lines)


def build_methods(schema: Schema, table: str, m: Models, imports: Imports,
                  nullable: dict[str, bool], generics: bool, taken: set[str]) -> list[Method]:
    """The relation methods of ``table``'s model, sorted by name."""
    out = []
    for r, side in ends_on(schema, table):
        name = _method_stem(r.name if side == "name" else r.inverse_name)
        spec = _spec(r, side, table, m, name)
        if spec is None:
            continue
        call, related, through, extra, chain = spec
        keys = tuple([e[2] for e in extra if e[2] is not None])
        if (related is not None and related not in m.classes):
            continue
        name = unique(name, taken)
        out.append(_method(name, call, related, through, extra, chain, m, imports, generics,
                           nullable.get(r.columns[0], False) and side == "name", keys))
    return sorted(out, key=lambda x: x.name)


@functools.lru_cache(maxsize=1 << 16)
def _method_stem(stem: str) -> str:
    """The method name a relation stem asks for, before de-duplication (stems repeat)."""
    raw = method_name(stem)
    return php_identifier(raw[:1].lower() + raw[1:], "relation")


def _method(name, call, related, through, extra, chain, m: Models, imports: Imports,
            generics: bool, nullable: bool, keys: tuple[str, ...]) -> Method:
    returns = _RETURNS[call]
    rel_class = imports.ref(REL_NS + returns)
    # ``imports.ref`` gives the same answer for the same class every time it is asked
    # (the first call registers it), so each class is referred to once here.
    target_fq = MODEL if related is None else m.fqcn(related)
    target = None if related is None else imports.ref(target_fq)
    classes = [] if target is None else [target + "::class"]
    through_ref = None if through is None else imports.ref(m.fqcn(through))
    if through_ref is not None:
        classes.append(through_ref + "::class")
    body = _body(call, classes + _args(list(extra)), chain)
    doc = None
    if generics:
        params = [target if target is not None else imports.ref(MODEL)]
        if through_ref is not None:
            params.append(through_ref)
        doc = f"{rel_class}<{', '.join(params)}, $this>"
    fq = "\\" + target_fq
    if returns in _ONE:
        prop_type = fq + ("|null" if nullable or returns != "BelongsTo" else "")
    else:
        prop_type = f"{COLLECTION}<int, {fq}>"
    return Method(name, rel_class, doc, body, f"@property-read {prop_type} ${name}", call,
                  related, keys, through)
