"""Pickle IR objects as constructor calls, for the frontends' forked readers to send back.

Why: attrs' ``__getstate__`` / ``__setstate__`` run Python code per field, and
a forked reader sends ~250,000 IR objects at 10,000 tables; ``Class(*fields)``
is ~40% cheaper to load.  Used by :mod:`compiler.frontends.ddl_parallel` and
:mod:`compiler.frontends.sqlite_parallel`.
"""

from __future__ import annotations

import io
import operator
import pickle
from collections.abc import Callable

import attrs

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
    """``obj`` pickled with :class:`_Pickler` (read it back with :func:`pickle.loads`)."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()
