"""Tables for notebooks: left-aligned cells, money with thousands separators, shares in
per cent, every user-supplied text escaped.

Jupyter's stylesheet right-aligns ``td`` and ``th``; a style on the ``table`` does not
reach the cells, so each cell carries its own ``text-align:left``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from html import escape
from typing import Any

__all__ = ["html_table", "left_aligned", "money_text", "share_text", "value_text"]

_CELL = "text-align:left;vertical-align:top"
_TABLE = '<table style="border-collapse:collapse">'
_MONEY = re.compile(r"^(-?)(\d+)(\.\d+)? ([A-Z]{3})$")
_FRACTION = re.compile(r"^(-?\d+)(?:/(\d+))?(?: \(≈ [^)]*\))?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
#: rows of a long result shown in a notebook (the rest: ``.to_pandas()``)
MAX_ROWS = 50


def left_aligned(html: str) -> str:
    """*html* with every bare ``<td>`` and ``<th>`` aligned left."""
    return html.replace("<td>", f'<td style="{_CELL}">').replace("<th>", f'<th style="{_CELL}">')


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of left-aligned cells; *headers* are text (escaped here), *rows* HTML."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return left_aligned(f"{_TABLE}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def money_text(text: str, lang: str | None = None) -> str:
    """``"1234567.50 VND"`` as ``"1,234,567.50 VND"`` (in *lang*'s locale, by babel, every
    digit kept: ``"1.234.567,50 VND"`` in ``vi``); other text unchanged."""
    m = _MONEY.match(text)
    if m is None:
        return text
    sign, whole, part, currency = m.groups()
    if lang not in (None, "en"):
        from babel.numbers import format_decimal

        number = Decimal(f"{sign}{whole}{part or ''}")
        pattern = "#,##0" + ("." + "0" * (len(part) - 1) if part else "")
        return f"{format_decimal(number, format=pattern, locale=lang)} {currency}"
    return f"{sign}{int(whole):,}{part or ''} {currency}"


def share_text(value: Fraction | Decimal | str) -> str:
    """A share in per cent: exact when it has a short decimal form (``"1/2"``: ``50 %``),
    else to two decimals with its exact value (``"1/3"``: ``≈ 33.33 % (1/3)``)."""
    if isinstance(value, str):
        m = _FRACTION.match(value.strip())
        if m is not None:
            value = Fraction(int(m[1]), int(m[2] or 1))
        elif _DECIMAL.match(value.strip()):
            value = Fraction(Decimal(value.strip()))
        else:
            return value
    exact = Fraction(value) * 100
    scaled = exact * 10**4
    if scaled.denominator == 1:
        number = Decimal(scaled.numerator).scaleb(-4).normalize()
        return f"{number:f} %"
    approx = Decimal(exact.numerator) / Decimal(exact.denominator)
    return f"≈ {approx:.2f} % ({Fraction(value)})"


@functools.cache
def _kinds() -> dict[tuple[str | None, str], Any]:
    from .._model._declare import Kind, Ratio
    from .._model._schema import COLUMNS, DERIVED

    out: dict[tuple[str | None, str], Any] = {
        (c.section, c.field): c.kind for c in COLUMNS.values()
    }
    for d in DERIVED.values():
        if isinstance(d.formula, Ratio):
            out[(d.section, d.field)] = Kind.SHARE
    return out


def value_text(path: str, text: str, lang: str | None = None) -> str:
    """A fact's value for people, by the kind its declaration gives (*path*: a fact or a
    dotted path such as ``finances.2024.revenue``): money with thousands separators (of
    *lang*'s locale), shares and rates in per cent; anything else unchanged."""
    from .._model._declare import MONEY_KINDS, Kind

    # list positions and the year keys of the accounts are not part of the field's name
    parts = [p for p in re.sub(r"\[\d+\]", "", path).split(".") if not p.isdigit()]
    key = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    kind = _kinds().get(key)
    if kind in MONEY_KINDS:
        return money_text(text, lang)
    if kind in (Kind.SHARE, Kind.RATE):
        return share_text(text)
    return text
