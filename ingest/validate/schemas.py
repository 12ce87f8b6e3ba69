"""Pandera schemas for every raw table, derived from the declarations in ingest.model.

Amounts are Python Decimals (object dtype): the checks test type and sign
without ever converting to float.

Pandera costs ~5 ms per table (DataFrame construction, dtype introspection) — most of a
text disclosure's parse time. So each table is first screened in plain Python by the same
rules, stated at least as strictly (`_plainly_valid`); only a table that fails the screen
goes through Pandera, whose failure cases become the findings exactly as before. A table
that passes the screen would pass Pandera too, so the findings never change.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

import re

import pandas as pd
import pandera.pandas as pa

from ingest.disclosure import Disclosure, Finding
from ingest.model import RAW_TABLES, Column, RawTable


def _decimal_check(c: Column) -> pa.Check:
    def ok(value) -> bool:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return True
        return isinstance(value, Decimal) and value.is_finite() and (not c.non_negative or value >= 0)

    what = "a non-negative exact decimal" if c.non_negative else "an exact decimal"
    return pa.Check(ok, element_wise=True, error=f"{c.name} must be {what}")


def _column(c: Column) -> pa.Column:
    checks: list[pa.Check] = []
    if c.kind == "str":
        dtype = object
        if c.pattern:
            checks.append(pa.Check.str_matches(f"^(?:{c.pattern})$", error=f"{c.name} must match {c.pattern}"))
    elif c.kind == "int":
        dtype = "Int64"
    elif c.kind in ("money", "number"):
        dtype = object
        checks.append(_decimal_check(c))
    elif c.kind == "bool":
        dtype = "boolean"
    elif c.kind == "date":
        dtype = object
        checks.append(pa.Check(lambda v: v is None or isinstance(v, date), element_wise=True,
                               error=f"{c.name} must be a date"))
    else:
        dtype = None
    return pa.Column(dtype, checks=checks, nullable=c.nullable, required=True, coerce=c.kind == "int")


@lru_cache(maxsize=None)
def schema_for(name: str) -> pa.DataFrameSchema:
    spec: RawTable = RAW_TABLES[name]
    return pa.DataFrameSchema({c.name: _column(c) for c in spec.columns}, name=name, strict=True)


_FRAME_DTYPES = {"int": "Int64", "bool": "boolean"}


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame with one dtype per column kind (Decimals stay Python objects)."""
    return pd.DataFrame({
        c.name: pd.Series([r.get(c.name) for r in rows], dtype=_FRAME_DTYPES.get(c.kind, object))
        for c in RAW_TABLES[name].columns
    })


_INT64 = 2 ** 63


@lru_cache(maxsize=None)
def _screens(name: str) -> tuple:
    """Per column: (name, kind, nullable, compiled pattern or None, non_negative)."""
    return tuple(
        (c.name, c.kind, c.nullable, re.compile(f"^(?:{c.pattern})$") if c.pattern else None, c.non_negative)
        for c in RAW_TABLES[name].columns
    )


def _plainly_valid(name: str, rows: list[dict]) -> bool:
    """True only if every value is plainly of its column's kind (no coercion, no NaN, no
    Decimal NaN/Infinity) and passes its column's checks: then the Pandera schema passes too.
    Anything unusual returns False and is left to Pandera."""
    for cname, kind, nullable, pattern, non_negative in _screens(name):
        for r in rows:
            v = r.get(cname)
            if v is None:
                if not nullable:
                    return False
                continue
            if kind == "str":
                if type(v) is not str or (pattern is not None and pattern.match(v) is None):
                    return False
            elif kind in ("money", "number"):
                if type(v) is not Decimal or not v.is_finite() or (non_negative and v < 0):
                    return False
            elif kind == "int":
                if type(v) is not int or not -_INT64 <= v < _INT64:
                    return False
            elif kind == "bool":
                if type(v) is not bool:
                    return False
            elif kind == "date":
                if not isinstance(v, date):
                    return False
            elif kind != "timestamp":
                return False
    return True


def validate_schemas(d: Disclosure) -> None:
    """Run every raw table of the disclosure through its schema; violations become SCHEMA findings."""
    for name, rows in d.rows.items():
        if name == "raw_findings" or not rows:
            continue
        if _plainly_valid(name, rows):
            continue
        try:
            schema_for(name).validate(frame(name, rows), lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            for _, case in cases.iterrows():
                idx = case.get("index")
                row_no = None
                if idx is not None and not pd.isna(idx) and int(idx) < len(rows):
                    row_no = rows[int(idx)].get("row_no", int(idx) + 1)
                d.findings.append(Finding(
                    rule_id="SCHEMA", severity="error", table_ref=name,
                    location=f"row {row_no} column {case.get('column')}" if row_no else str(case.get("column")),
                    message=f"{name}: {case.get('check')} failed for value {case.get('failure_case')!r}",
                ))
