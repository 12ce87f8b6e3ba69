"""Exact parsing of numbers as printed: amounts, counts, percentages, money units."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

WAN = Decimal(10000)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_EMPTY = {"", "-", "—", "－", "/", "无"}


class NotANumber(ValueError):
    pass


def normalize_number_text(text: str) -> str:
    return text.translate(_FULLWIDTH).replace(" ", "").replace("\u3000", "").strip()


def parse_decimal(text: str | None) -> Decimal | None:
    """'1,234.50' → Decimal('1234.50'); '' / '　' / '-' → None; anything else raises NotANumber."""
    if text is None:
        return None
    t = normalize_number_text(text)
    if t in _EMPTY:
        return None
    if not _NUMBER_RE.match(t):
        raise NotANumber(text)
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise NotANumber(text) from exc


def is_number(text: str) -> bool:
    try:
        return parse_decimal(text) is not None
    except NotANumber:
        return False


def to_wan_yuan(value: Decimal | None, money_unit: str) -> Decimal | None:
    """Convert a printed amount to 万元 exactly."""
    if value is None:
        return None
    if money_unit == "元":
        return value / WAN
    if money_unit == "千元":
        return value / 10
    if money_unit == "万元":
        return value
    raise ValueError(f"unknown money unit {money_unit!r}")


_UNIT_RE = re.compile(r"单位\s*[:：]\s*(万元|千元|元)")


def money_unit_in(text: str) -> str | None:
    m = _UNIT_RE.search(text)
    return m.group(1) if m else None
