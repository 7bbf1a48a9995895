"""Laravel-exact English naming: inflection, Str case functions and Eloquent's naming conventions.

Everything here reproduces Laravel 8.83 (Illuminate\\Support\\Str and Pluralizer on Doctrine
Inflector 2.0.6) exactly; tests/test_naming_laravel.py checks it against the real PHP.

Differences in later Laravel versions, as far as known (not checked against their code here,
since only Laravel 8 is installed):
- Laravel 9+ cut Pluralizer::$uncountable to ['recommended', 'related']: every other word of the
  Laravel 8 list is already uninflected in Doctrine, so plural() should not change. Laravel 10
  added Pluralizer::useLanguage() (English stays the default).
- Laravel 11 gave Str::plural/pluralStudly a third argument, prependCount ("3 users"); plural()
  here has no such argument, naming never needs it.
- Str::studly: Laravel 8.83 splits words on a single ' ' (explode). As remembered, Laravel 11
  splits on any run of whitespace (mb_split('\\s+')), which only matters for names holding tabs or
  other whitespace; unverified. Older Laravel 8 releases used ucwords(), which capitalises after
  tabs too and uppercases only ASCII letters.
- Str::snake, Str::camel and pluralStudly's split regex are believed unchanged through Laravel 11.
- Newer doctrine/inflector 2.0.x releases (2.0.7-2.0.10) added or fixed a few English rules; a
  Laravel 10/11 app with a newer Doctrine may inflect some rare words differently. Which words is
  not verified here: the rules in english.py are 2.0.6's, the version Debian ships with Laravel 8.
- PHP 8.3 lower-cases a final capital sigma to 'ς' in mb_strtolower; PHP 8.2 (here) does not.
"""

from __future__ import annotations

from ir.naming.laravel import (
    FRAMEWORK_TABLES,
    class_basename,
    foreign_key,
    is_framework_table,
    model_name,
    pivot_name,
    table_name,
)
from ir.naming.strings import (
    camel,
    plural,
    plural_studly,
    singular,
    snake,
    studly,
)

__all__ = [
    "FRAMEWORK_TABLES",
    "camel",
    "class_basename",
    "foreign_key",
    "is_framework_table",
    "model_name",
    "pivot_name",
    "plural",
    "plural_studly",
    "singular",
    "snake",
    "studly",
    "table_name",
]
