"""The passes' fast ``evolve`` copies exactly as ``attrs.evolve`` does; the inflector's
rule index by word ending skips no rule that could match."""

import attrs
import pytest

from compiler.passes._copy import evolve
from ir.model import Column, Table
from ir.naming.inflector import SINGULAR_RULESET, _required_suffix
from ir.types import Kind, Type


def test_evolve_equals_attrs_evolve_and_runs_converters():
    col = Column("a", Type(Kind.INTEGER, "int"))
    table = Table("t", [col])
    new = evolve(table, columns=[col, evolve(col, name="b")])
    assert new == attrs.evolve(table, columns=(col, attrs.evolve(col, name="b")))
    assert isinstance(new.columns, tuple) and new.column("b") is not None  # converter, post-init
    assert evolve(col, nullable=False).nullable is False


def test_evolve_rejects_an_unknown_field_like_attrs():
    with pytest.raises(TypeError):
        evolve(Column("a", Type(Kind.INTEGER, "int")), bogus=1)


@pytest.mark.parametrize("pattern, suffix", [
    ("(tive)s$", "tives"), ("^(.*)(menu)s$", "menus"), ("(alias)(es)*$", ""),
    ("(shoe|slave)s$", "s"), ("a|b$", ""), ("s$", "s"), (r"\w(ab)s$", "abs")])
def test_required_suffix(pattern, suffix):
    assert _required_suffix(pattern) == suffix


@pytest.mark.parametrize("word, singular", [
    ("drives", "drive"), ("olives", "olive"), ("Movies", "Movie"), ("statuses", "status"),
    ("aliases", "alias"), ("s", ""), ("users\n", "user\n"), ("order_items", "order_item")])
def test_singular_transform_through_the_index(word, singular):
    assert SINGULAR_RULESET.transform(word) == singular
