"""ir.naming against the real Laravel 8.83 (PHP), over the names in tests/data/names.txt."""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import IN_CI, need_tool

from ir.naming import english, inflector, laravel, strings

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


def fuzz_names(count: int = 3000, seed: int = 20240) -> list[str]:
    """Seeded random names built from the words the rules single out, in mixed case and joins."""
    words = sorted(
        {w for pair in english.IRREGULAR for w in pair}
        | english.LARAVEL_UNCOUNTABLE
        | {w for w in english.UNINFLECTED_PLURAL if w.isalpha()}
        | set(NAMES[:200])
    )
    cases = (
        str.lower,
        str.upper,
        str.title,
        str.capitalize,
        lambda w: w,
        strings.studly,
    )
    joins = ("_", "", " ", "-", "__", "\t", "2_")
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < count:
        parts = [
            rng.choice(cases)(rng.choice(words))
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        name = rng.choice(joins).join(parts)
        if rng.random() < 0.3:  # inflect the last word too, to reach the other rule set
            name = rng.choice((strings.plural, strings.singular))(name)
        out.add(name + rng.choice(("", "", "", "_", "s", "es", "é", "1", "ies", "ves")))
    return sorted(out)


def ask_laravel(names: list[str], pairs: list[tuple[str, str]]) -> dict:
    """Laravel's answers for every name and pair, from one PHP run."""
    php = need_tool("php")
    request = json.dumps({"names": names, "pairs": pairs}, ensure_ascii=False)
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


@pytest.fixture(scope="module")
def laravel_answers() -> dict:
    return ask_laravel(NAMES, PAIRS)


@pytest.fixture(scope="module")
def laravel_fuzz_answers() -> dict:
    return ask_laravel(fuzz_names(), [])


def differences(function: str, answers: dict) -> dict[str, tuple[str, str]]:
    ours = FUNCTIONS[function]
    return {
        name: (ours(name), answer[function])
        for name, answer in answers["names"].items()
        if ours(name) != answer[function]
    }


def test_enough_names() -> None:
    assert len(NAMES) >= 300
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_same_as_laravel(function: str, laravel_answers: dict) -> None:
    wrong = differences(function, laravel_answers)
    assert not wrong, f"{len(wrong)} names differ (ours, Laravel's): {wrong}"
    assert len(laravel_answers["names"]) == len(NAMES)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_same_as_laravel_on_generated_names(
    function: str, laravel_fuzz_answers: dict
) -> None:
    wrong = differences(function, laravel_fuzz_answers)
    assert not wrong, (
        f"{len(wrong)} names differ (ours, Laravel's): {dict(list(wrong.items())[:20])}"
    )
    assert len(laravel_fuzz_answers["names"]) == 3000


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


DOCTRINE_ENGLISH = Path("/usr/share/php/Doctrine/Inflector/Rules/English")
_PHP_STR = r"'((?:[^'\\]|\\.)*)'"


def _php_literal(s: str) -> str:
    return s.replace("\\\\", "\\").replace("\\'", "'")


def _php_function(source: str, name: str) -> str:
    return source.split(f"function {name}()")[1].split("\n    }")[0]


def test_rule_tables_are_doctrines() -> None:
    """english.py holds exactly the installed Doctrine rules, in order (not only the tested words)."""
    need_tool("php")
    if not DOCTRINE_ENGLISH.is_dir():
        if IN_CI:
            pytest.fail("Doctrine Inflector sources (php-laravel-framework) missing in CI")
        pytest.skip("Doctrine Inflector sources not installed")
    inflectible = (DOCTRINE_ENGLISH / "Inflectible.php").read_text()
    uninflected = (DOCTRINE_ENGLISH / "Uninflected.php").read_text()
    rule = re.compile(rf"new Transformation\(new Pattern\({_PHP_STR}\), {_PHP_STR}\)")
    word = re.compile(
        rf"new Substitution\(new Word\({_PHP_STR}\), new Word\({_PHP_STR}\)\)"
    )
    pattern = re.compile(rf"new Pattern\({_PHP_STR}\)")

    def rules(name: str, regex: re.Pattern[str], source: str) -> tuple:
        found = regex.findall(_php_function(source, name))
        if regex.groups == 1:
            return tuple(_php_literal(p) for p in found)
        return tuple(tuple(_php_literal(p) for p in pair) for pair in found)

    assert rules("getSingular", rule, inflectible) == english.SINGULAR_RULES
    assert rules("getPlural", rule, inflectible) == english.PLURAL_RULES
    assert rules("getIrregular", word, inflectible) == english.IRREGULAR
    default = rules("getDefault", pattern, uninflected)
    assert default == english.UNINFLECTED_DEFAULT
    assert (
        default + rules("getSingular", pattern, uninflected)
        == english.UNINFLECTED_SINGULAR
    )
    assert (
        default + rules("getPlural", pattern, uninflected) == english.UNINFLECTED_PLURAL
    )


def test_uncountables_are_laravels() -> None:
    need_tool("php")
    source = Path("/usr/share/php/Illuminate/Support/Pluralizer.php")
    if not source.is_file():
        if IN_CI:
            pytest.fail("Laravel sources (php-laravel-framework) missing in CI")
        pytest.skip("Laravel sources not installed")
    listed = source.read_text().split("$uncountable = [")[1].split("];")[0]
    assert frozenset(re.findall(r"'([^']+)'", listed)) == english.LARAVEL_UNCOUNTABLE
