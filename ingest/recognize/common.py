"""Helpers shared by the recognizers: text normalisation and number cells."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.amounts import NotANumber, parse_decimal, to_wan_yuan
from ingest.disclosure import Disclosure, Finding

_WS = re.compile(r"[\s\u3000]+")


def squash(text: str) -> str:
    """Remove all whitespace (titles are printed letter-spaced: 合  计, 项  目)."""
    return _WS.sub("", text or "")


TOTAL_LABELS = {"合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计"}


def is_total_label(text: str) -> bool:
    return squash(text) in TOTAL_LABELS


def money_cell(d: Disclosure, text: str, money_unit: str, table_ref: str, location: str) -> Decimal | None:
    """Parse an amount cell into 万元; an unreadable cell becomes an error finding (value kept in the message)."""
    try:
        return to_wan_yuan(parse_decimal(text), money_unit)
    except NotANumber:
        d.findings.append(
            Finding(
                rule_id="PARSE-CELL",
                severity="error",
                table_ref=table_ref,
                location=location,
                message=f"{table_ref} {location}: amount cell {text!r} is not a number; the cell is loaded as empty",
            )
        )
        return None
