"""The plain-Python screen in front of Pandera never lets through what Pandera would reject.

validate_schemas skips Pandera for a table the screen calls plainly valid; that is only honest
if every table Pandera rejects also fails the screen. Each case breaks one value of a real row
of the seed and checks both sides.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pandera.pandas as pa
import pytest

from ingest.validate.schemas import _plainly_valid, frame, schema_for


def pandera_passes(name: str, rows: list[dict]) -> bool:
    try:
        schema_for(name).validate(frame(name, rows), lazy=True)
        return True
    except (pa.errors.SchemaErrors, TypeError, ValueError):  # a non-boolean cannot even build the frame
        return False


BREAKAGES = [
    ("raw_expenditure", "total_wan_yuan", Decimal("-1")),  # negative amount
    ("raw_expenditure", "total_wan_yuan", 1.5),  # a float, not an exact decimal
    ("raw_expenditure", "functional_code", "20103O1"),  # letter O in a code
    ("raw_expenditure", "functional_code", "2010"),  # wrong length
    ("raw_expenditure", "table_no", None),  # required value missing
    ("raw_expenditure", "is_total", "yes"),  # not a boolean
    ("raw_basic_expenditure_economic", "economic_code", "3010"),
    ("raw_tables", "status", "gone"),
    ("raw_narrative_facts", "fact_key", "Budget Total"),
    ("raw_performance_indicators", "comparator", "≥"),
    ("raw_three_public", "total_wan_yuan", "5.12"),  # a string amount
]


@pytest.mark.parametrize("table,column,value", BREAKAGES)
def test_screen_rejects_whatever_pandera_rejects(seed_disclosure, table, column, value):
    rows = copy.deepcopy(seed_disclosure.disclosure.rows[table])
    assert _plainly_valid(table, rows) and pandera_passes(table, rows)  # the seed's rows are fine
    rows[0][column] = value
    assert not pandera_passes(table, rows), "the breakage must be one Pandera sees"
    assert not _plainly_valid(table, rows)


def test_screen_agrees_with_pandera_on_every_seed_table(seed_disclosure):
    for name, rows in seed_disclosure.disclosure.rows.items():
        if name != "raw_findings" and rows:
            assert _plainly_valid(name, rows) == pandera_passes(name, rows) == True  # noqa: E712
