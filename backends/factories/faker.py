"""One Faker expression per plain column: chosen by name, then by type, bounded by the IR's constraints.

Each name rule knows the longest value its formatter gives (Faker 1.x, en_US);
a column declared shorter gets a bounded form instead (``regexify``,
``lexify``, ``text(N)`` or ``substr``), so a ``varchar(2)`` never receives ten
characters.  Numbers stay inside the column's MIN/MAX constraints (type width,
unsigned, CHECK bounds) and default to a small range.  Unique columns get
``unique()``.  Keys, foreign keys and morph pairs are decided in ``view.py``.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from backends._safe import php_single_quoted as q
from ir.model import Column
from ir.rules import CastKind, ConstraintKind
from ir.types import Kind

F = "$this->faker->"
# A bcrypt hash of "password", as Laravel's own UserFactory stub had it (8.x): no
# Hash facade needed, so the factory also runs outside a full application.
BCRYPT_PASSWORD = "'$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi'"

# (name pattern, formatter call, longest value it returns: measured over 20,000 calls of
# Faker 1.20 en_US, plus headroom where the value is free text). First match wins.
NAME_RULES: tuple[tuple[str, str, int], ...] = (
    (r"(.+_)?email(_address)?", "safeEmail()", 40),
    (r"(first_?name|given_name|forename)", "firstName()", 16),
    (r"(last_?name|surname|family_name)", "lastName()", 20),
    (r"(user_?name|login|handle|\w+_handle)", "userName()", 30),
    (r"(full_)?name", "name()", 40),   # on a person-like table; else THING_NAME
    (r"(company|company_name|organi[sz]ation)", "company()", 50),
    (r"job_title", "jobTitle()", 90),
    (r"title", "sentence(3)", 60),
    (r"(.+_)?(phone|phone_number|mobile|fax|telephone)", "phoneNumber()", 20),
    (r"(street_)?address(_line_?1)?|street", "streetAddress()", 45),
    (r"city|town", "city()", 30),
    (r"state|province|region", "state()", 20),
    (r"country(_name)?", "country()", 51),
    (r"country_code", "countryCode()", 2),
    (r"(zip|zip_?code|post_?code|postal_?code)", "postcode()", 10),
    (r"(.+_)?(url|website|homepage|link)", "url()", 120),
    (r"slug", "slug()", 100),
    (r"(description|body|content|bio|biography|notes?|comment|summary|excerpt|message|about)",
     "paragraph()", 0),
    (r"text", "paragraph()", 0),
    (r"(.+_)?uuid", "uuid()", 36),
    (r"(.+_)?ip(_address)?", "ipv4()", 15),
    (r"(currency|currency_code)", "currencyCode()", 3),
    (r"locale", "locale()", 10),
    (r"(timezone|time_zone|tz)", "timezone()", 32),
    (r"(colou?r)", "safeColorName()", 10),
    (r"(barcode|ean|ean13)", "ean13()", 13),
)
# `name` of a table that does not hold people (categories, teams, tags): a short phrase.
THING_NAME = ("words(2, true)", 29)
PERSON_TABLE = re.compile(
    r"(^|_)(users?|customers?|authors?|employees?|staff|members?|people|persons?|contacts?"
    r"|clients?|students?|teachers?|patients?|actors?|artists?|owners?|admins?|agents?"
    r"|drivers?|guests?|players?|managers?|subscribers?|profiles?|accounts?)$", re.IGNORECASE)
_NAME_RES = tuple((re.compile(p + r"\Z", re.IGNORECASE), call, n) for p, call, n in NAME_RULES)
_PASSWORD = re.compile(r"(.+_)?password\Z", re.IGNORECASE)
_ULID = re.compile(r"(.+_)?ulid\Z", re.IGNORECASE)
_TEXTUAL = (Kind.STRING, Kind.TEXT, Kind.UNKNOWN)
_NUMERIC = frozenset((Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT))
_DATED = {Kind.DATE: "date()", Kind.DATETIME: "dateTime()", Kind.TIME: "time()"}
# Unbounded numbers get this range: large enough to look real, small enough to read.
DEFAULT_HIGH = 1000


def facts(col: Column) -> dict[ConstraintKind, tuple[str, ...]]:
    """The column's constraints by kind (first of each kind)."""
    out: dict[ConstraintKind, tuple[str, ...]] = {}
    for c in col.constraints:
        out.setdefault(c.kind, c.args)
    return out


def max_length(col: Column) -> int | None:
    args = facts(col).get(ConstraintKind.MAX_LENGTH)
    if args:
        return int(args[0])
    return col.type.length if col.type.kind is Kind.STRING and col.type.length else None


def expression(col: Column, person: bool = True) -> str:
    """The PHP expression filling ``col`` in ``definition()``; ``person``: the table
    holds people (a ``name`` column is a person's name)."""
    f = facts(col)
    unique = ConstraintKind.UNIQUE in f
    allowed = f.get(ConstraintKind.IN) or (col.type.values if not col.type.multiple else ())
    if allowed:
        values = ", ".join(q(v) for v in dict.fromkeys(allowed))
        return f"{F}{'unique()->' if unique else ''}randomElement([{values}])"
    if _is_boolean(col):
        return f"{F}boolean()"
    kind = col.type.kind
    if kind in _NUMERIC:
        return _number(col, f, unique)
    if kind is Kind.JSON or (col.cast is not None and col.cast.kind is CastKind.JSON):
        if col.cast is None or col.cast.kind is not CastKind.JSON:
            return "'[]'"   # no cast: the attribute takes the JSON text itself
        # an empty array would fail the form request's `required` on a NOT NULL column
        return "[]" if col.nullable else f"['example' => {F}word()]"
    if kind in _DATED:
        return F + _DATED[kind]
    if kind is Kind.UUID:
        return f"{F}{'unique()->' if unique else ''}uuid()"
    if kind is Kind.BINARY:
        return f"random_bytes({min(col.type.length or 16, 16)})"
    return _string(col, max_length(col), unique, person)


def _is_boolean(col: Column) -> bool:
    return col.type.kind is Kind.BOOLEAN or (col.cast is not None
                                             and col.cast.kind is CastKind.BOOLEAN)


def _bounds(f, low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    lo = Decimal(f[ConstraintKind.MIN][0]) if ConstraintKind.MIN in f else None
    hi = Decimal(f[ConstraintKind.MAX][0]) if ConstraintKind.MAX in f else None
    start = lo if lo is not None and lo > low else low
    if hi is not None and hi < start:       # a range entirely below zero
        start = lo if lo is not None else hi - high
    end = min(hi, start + high) if hi is not None else start + high
    return start, end


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _number(col: Column, f, unique: bool) -> str:
    u = "unique()->" if unique else ""
    if col.type.kind is Kind.INTEGER:
        lo, hi = _bounds(f, Decimal(1 if unique else 0), Decimal(DEFAULT_HIGH if not unique
                                                                  else 1_000_000))
        return f"{F}{u}numberBetween({_num(lo.to_integral_value('ROUND_CEILING'))}, " \
               f"{_num(hi.to_integral_value('ROUND_FLOOR'))})"
    scale = col.type.scale if col.type.scale is not None else 2
    if col.type.kind is Kind.FLOAT and col.type.scale is None:
        scale = 2
    lo, hi = _bounds(f, Decimal(0), Decimal(DEFAULT_HIGH))
    return f"{F}{u}randomFloat({scale}, {_num(lo)}, {_num(hi)})"


def _string(col: Column, length: int | None, unique: bool, person: bool) -> str:
    name = col.name
    u = "unique()->" if unique else ""
    if _PASSWORD.match(name) and (length is None or length >= 60):
        return BCRYPT_PASSWORD
    if _ULID.match(name) and (length is None or length >= 26):
        return f"{F}{u}regexify('[0-7][0-9A-HJKMNP-TV-Z]{{25}}')"
    rule = _name_rule(name)
    if rule is not None:
        call, longest = rule
        if call == "name()" and not person:
            call, longest = THING_NAME
            if length is not None and 16 <= length < longest:
                call, longest = "word()", 16
        if call == "paragraph()":
            return f"{F}paragraph()" if length is None else _bounded_text(length, unique)
        if length is None or length >= longest:
            return F + u + call
        if call == "safeEmail()" and length >= 16:
            # a short but still valid address: <letters>@example.com
            return f"{F}{u}regexify('[a-z]{{{min(length - 12, 20)}}}@example\\.com')"
        if unique or length < 5:
            return _letters(length, unique)
        return f"substr({F}{call}, 0, {length})"
    if col.type.kind is Kind.TEXT and length is None:
        return f"{F}text()"
    if unique:
        return _letters(min(length or 12, 12), True)
    return f"{F}word()" if length is None or length >= 16 else _bounded_text(length, False)


@functools.lru_cache(maxsize=1 << 14)
def _name_rule(name: str) -> tuple[str, int] | None:
    """(formatter call, longest value) of the first name rule ``name`` matches
    (column names repeat across tables: the regexes run once per name)."""
    return next(((call, n) for pattern, call, n in _NAME_RES if pattern.match(name)), None)


def _bounded_text(length: int, unique: bool) -> str:
    if unique or length < 5:
        return _letters(min(length, 12), unique)
    return f"{F}text({min(length, 200)})"


def _letters(length: int, unique: bool) -> str:
    return f"{F}{'unique()->' if unique else ''}lexify({q('?' * max(1, length))})"
