"""Tables for notebooks: left-aligned cells, money with thousands separators, shares in
per cent, ratios as ratios, citations grouped, every user-supplied text escaped.

These are display forms only: JSON, CSV and the frames keep the values as they are.
A derived fact is a *ratio* (``5 : 1``) when its declared name says it compares two
quantities (``pay_ratio``, ``sales_to_labour_costs``: ending in ``_ratio`` or holding
``_to_``), else a *share* of a whole, in per cent.

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

__all__ = [
    "Sources",
    "html_table",
    "left_aligned",
    "money_text",
    "ratio_text",
    "requirement_text",
    "share_text",
    "split_citation",
    "value_text",
]

_CELL = "text-align:left;vertical-align:top"
_TABLE = '<table style="border-collapse:collapse">'
_MONEY = re.compile(r"^(-?)(\d+)(\.\d+)? ([A-Z]{3})$")
_FRACTION = re.compile(r"^(-?\d+)(?:/(\d+))?(?: \(≈ [^)]*\))?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?) %$")
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
    found = _exact(value)
    if found is None:
        return str(value)
    value = found
    exact = Fraction(value) * 100
    scaled = exact * 10**4
    if scaled.denominator == 1:
        number = Decimal(scaled.numerator).scaleb(-4).normalize()
        return f"{number:f} %"
    approx = Decimal(exact.numerator) / Decimal(exact.denominator)
    return f"≈ {approx:.2f} % ({Fraction(value)})"


def _exact(value: Fraction | Decimal | str) -> Fraction | None:
    """The exact number a value or its text (``"1/3"``, ``"1/3 (≈ 33.33 %)"``,
    ``"0.25"``, ``"250 %"``) holds, else None."""
    if not isinstance(value, str):
        return Fraction(value)
    m = _FRACTION.match(value.strip())
    if m is not None:
        return Fraction(int(m[1]), int(m[2] or 1))
    if _DECIMAL.match(value.strip()):
        return Fraction(Decimal(value.strip()))
    m = _PERCENT.match(value.strip())
    if m is not None:
        return Fraction(Decimal(m[1])) / 100
    return None


def ratio_text(value: Fraction | Decimal | str) -> str:
    """A ratio of two quantities as ``x : 1``: exact when it has a short decimal form
    (``"5"``: ``5 : 1``), else to two decimals (``"10/3"``: ``≈ 3.33 : 1 (10/3)``)."""
    exact = _exact(value)
    if exact is None:
        return str(value)
    scaled = exact * 10**4
    if scaled.denominator == 1:
        return f"{Decimal(scaled.numerator).scaleb(-4).normalize():f} : 1"
    approx = Decimal(exact.numerator) / Decimal(exact.denominator)
    shown = f" ({exact})" if len(str(exact)) <= 12 else ""
    return f"≈ {approx:.2f} : 1{shown}"


_RATIO_NAME = re.compile(r"(_ratio$|_to_)")


@functools.cache
def _kinds() -> dict[tuple[str | None, str], Any]:
    from .._model._declare import Kind, Ratio
    from .._model._schema import COLUMNS, DERIVED

    out: dict[tuple[str | None, str], Any] = {
        (c.section, c.field): c.kind for c in COLUMNS.values()
    }
    for d in DERIVED.values():
        if isinstance(d.formula, Ratio):
            out[(d.section, d.field)] = _RATIO if _RATIO_NAME.search(d.field) else Kind.SHARE
    return out


#: the display kind of a derived ratio of two quantities (not a declared :class:`Kind`)
_RATIO = "ratio"


def _kind_of(path: str) -> Any:
    # list positions and the year keys of the accounts are not part of the field's name
    parts = [p for p in re.sub(r"\[\d+\]", "", path).split(".") if not p.isdigit()]
    key = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return _kinds().get(key)


def value_text(path: str, text: str, lang: str | None = None) -> str:
    """A fact's value for people, by the kind its declaration gives (*path*: a fact or a
    dotted path such as ``finances.2024.revenue``): money with thousands separators (of
    *lang*'s locale), shares and rates in per cent; anything else unchanged."""
    from .._model._declare import MONEY_KINDS, Kind

    kind = _kind_of(path)
    if kind in MONEY_KINDS:
        return money_text(text, lang)
    if kind in (Kind.SHARE, Kind.RATE):
        return share_text(text)
    if kind == _RATIO:
        return ratio_text(text)
    return text


_AMOUNT = re.compile(r"(?<![\d.,/])(-?)(\d{4,})(\.\d+)? ([A-Z]{3})\b")
_TEST = re.compile(r"^(\S+) (<=|>=|<|>|==|!=) (-?\d+(?:\.\d+)?) %$")


def requirement_text(text: str, fact: str | None = None) -> str:
    """A threshold's text for people: amounts of money with thousands separators, and a
    test on a ratio of two quantities as a ratio (``pay_ratio <= 500 %``: ``<= 5 : 1``).
    Each ``; ``-separated test may name its fact (``fact >= 51 %``); *fact* names the
    fact of a text that does not (``<= 1000 %``)."""
    parts = []
    for part in text.split("; "):
        m = _TEST.match(part if fact is None else f"{fact} {part}")
        if m is not None and _kind_of(m[1]) == _RATIO:
            ratio = ratio_text(Fraction(Decimal(m[3])) / 100)
            parts.append(f"{m[1]} {m[2]} {ratio}" if fact is None else f"{m[2]} {ratio}")
        else:
            parts.append(part)
    return _AMOUNT.sub(lambda a: f"{a[1]}{int(a[2]):,}{a[3] or ''} {a[4]}", "; ".join(parts))


def split_citation(citation: str) -> tuple[str, str]:
    """A citation (``"Title, article"``) as its instrument's title and the article: cut
    at the first ``", "`` outside brackets (titles hold commas only in brackets, as in
    ``"Act (No. 8217, as amended)"``); no cut: the whole is the title."""
    depth = 0
    for i, ch in enumerate(citation):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0 and citation.startswith(", ", i):
            return citation[:i], citation[i + 2 :]
    return citation, ""


class Sources:
    """Citations grouped by instrument: each shown as ``[n] article``, the titles listed
    once (numbered in the order first cited)."""

    def __init__(self) -> None:
        self.titles: dict[str, int] = {}

    def cite(self, citation: str) -> str:
        """``"[n] article"`` for *citation* (``"[n]"`` when it names no article)."""
        title, article = split_citation(citation)
        n = self.titles.setdefault(title, len(self.titles) + 1)
        return f"[{n}] {article}" if article else f"[{n}]"

    def listed(self) -> list[tuple[int, str]]:
        """The instruments cited, by number."""
        return [(n, title) for title, n in self.titles.items()]

    def html(self) -> str:
        """The instruments cited, as a numbered list (empty when none)."""
        if not self.titles:
            return ""
        items = "".join(f"<li>{escape(t)}</li>" for _, t in self.listed())
        return f"<p><b>Sources</b></p><ol>{items}</ol>"
