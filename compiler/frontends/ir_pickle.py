"""Pickle IR objects as constructor calls, for the frontends' forked readers to send back.

Why: attrs' ``__getstate__`` / ``__setstate__`` run Python code per field, and
a forked reader sends ~250,000 IR objects at 10,000 tables; ``Class(*fields)``
is ~40% cheaper to load.  Used by :mod:`compiler.frontends.ddl_parallel` and
:mod:`compiler.frontends.sqlite_parts`.

:func:`loads` can also give back, for an unpickled column or type equal to one
the parent built itself, the parent's object: the frontends share one object
per distinct column, and the passes and backends memoize per object.
"""

from __future__ import annotations

import io
import operator
import pickle
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ir.model import Column
from ir.types import Type

_GETTERS: dict[type, Callable | None] = {}


def _fields_getter(klass: type) -> Callable | None:
    """A callable giving an attrs object's constructor arguments, None when the class
    cannot be rebuilt from positional arguments.  A field outside both the
    constructor and equality (``Table._by_name``) is a cache the constructor or
    first use rebuilds, so it does not stand in the way."""
    if klass not in _GETTERS:
        fields = attrs.fields(klass)
        names = [f.name for f in fields if f.init]
        if any(f.kw_only or (not f.init and f.eq) for f in fields) or not names:
            _GETTERS[klass] = None
        elif len(names) == 1:
            _GETTERS[klass] = lambda obj, n=names[0]: (getattr(obj, n),)
        else:
            _GETTERS[klass] = operator.attrgetter(*names)
    return _GETTERS[klass]


class _Pickler(pickle.Pickler):
    """Pickles IR objects as ``Class(*fields)`` (other objects as usual)."""

    def reducer_override(self, obj):
        klass = type(obj)
        if attrs.has(klass) and klass.__module__.startswith("ir."):
            getter = _fields_getter(klass)
            if getter is not None:
                return klass, getter(obj)
        return NotImplemented


def dumps(obj) -> bytes:
    """``obj`` pickled with :class:`_Pickler` (read it back with :func:`loads`)."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


# The objects the frontends share between tables and the backends memoize by id()
# (foreign keys are shared too, but only ever looked up by value).
SHARED = (Type, Column)


def loads(blob: bytes | memoryview, like: Iterable[object] = ()) -> Any:
    """Unpickle what :func:`dumps` made; an object of a :data:`SHARED` class that has
    the same constructor arguments as one in ``like`` (equal, and of the same
    Python types) is that object."""
    interned: dict[type, dict] = {klass: {} for klass in SHARED}
    for obj in like:
        args = _fields_getter(type(obj))(obj)  # type: ignore[misc]
        interned[type(obj)].setdefault((args, tuple(map(type, args))), obj)
    return _Unpickler(io.BytesIO(blob), interned).load()


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, interned: dict[type, dict]) -> None:
        super().__init__(file)
        self._interned = interned

    def find_class(self, module: str, name: str) -> Any:
        klass = super().find_class(module, name)  # once per class: pickle memoizes it
        known = self._interned.get(klass)
        if known is None:
            return klass

        def build(*args):
            key = (args, tuple(map(type, args)))
            obj = known.get(key)
            if obj is None:
                obj = known[key] = klass(*args)
            return obj
        return build
