"""compiler.naming against the real Laravel 8.83 (PHP), over the names in tests/data/names.txt."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import need_tool

from compiler.naming import inflector, laravel, strings

DATA = Path(__file__).parent / "data"
ORACLE = DATA / "laravel_naming.php"
# A name PHP can declare as a model class, so Eloquent itself answers getTable()/joiningTable().
CLASS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def load_names() -> list[str]:
    lines = (DATA / "names.txt").read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


NAMES = load_names()
# Pairs of class-like names, in both orders, for joiningTable's sort.
_CLASSY = [n for n in NAMES if CLASS_NAME.fullmatch(n)]
PAIRS = list(itertools.pairwise(_CLASSY)) + [
    (b, a) for a, b in zip(_CLASSY, _CLASSY[7:])
]

# Oracle key -> the Python function that must give the same answer for every name.
FUNCTIONS: dict[str, Callable[[str], str]] = {
    "pluralize": inflector.pluralize,
    "singularize": inflector.singularize,
    "plural": strings.plural,
    "plural_count1": lambda n: strings.plural(n, 1),
    "plural_count0": lambda n: strings.plural(n, 0),
    "singular": strings.singular,
    "studly": strings.studly,
    "snake": strings.snake,
    "kebab": lambda n: strings.snake(n, "-"),
    "camel": strings.camel,
    "plural_studly": strings.plural_studly,
    "model_name": laravel.model_name,
    "table_name": laravel.table_name,
    "foreign_key": laravel.foreign_key,
}


@pytest.fixture(scope="module")
def laravel_answers() -> dict:
    """Laravel's answers for every name and pair, from one PHP run."""
    php = need_tool("php")
    request = json.dumps({"names": NAMES, "pairs": PAIRS}, ensure_ascii=False)
    proc = subprocess.run(
        [php, str(ORACLE)],
        input=request,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr or proc.stdout
    return json.loads(proc.stdout)


def test_enough_names() -> None:
    assert len(NAMES) >= 300
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_same_as_laravel(function: str, laravel_answers: dict) -> None:
    ours = FUNCTIONS[function]
    wrong = {
        name: (ours(name), answer[function])
        for name, answer in laravel_answers["names"].items()
        if ours(name) != answer[function]
    }
    assert not wrong, f"{len(wrong)} names differ (ours, Laravel's): {wrong}"
    assert len(laravel_answers["names"]) == len(NAMES)


def test_eloquent_answered_for_class_names(laravel_answers: dict) -> None:
    """table_name/foreign_key were checked against Eloquent's own methods, not a formula."""
    asked = [n for n, a in laravel_answers["names"].items() if a["eloquent"]]
    assert len(asked) >= 150


def test_pivot_name_same_as_joining_table(laravel_answers: dict) -> None:
    answered = [
        (p, t)
        for p, t in zip(PAIRS, laravel_answers["pairs"], strict=True)
        if t is not None
    ]
    wrong = [
        (p, laravel.pivot_name(*p), t)
        for p, t in answered
        if laravel.pivot_name(*p) != t
    ]
    assert not wrong, wrong
    assert len(answered) >= 300
