"""Pandera schemas for every raw table, derived from the declarations in ingest.model.

Amounts are Python Decimals (object dtype): the checks test type and sign
without ever converting to float.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

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


def validate_schemas(d: Disclosure) -> None:
    """Run every raw table of the disclosure through its schema; violations become SCHEMA findings."""
    for name, rows in d.rows.items():
        if name == "raw_findings" or not rows:
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
