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

import json
from datetime import date, datetime
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
        checks.append(
            pa.Check(lambda v: v is None or isinstance(v, date), element_wise=True, error=f"{c.name} must be a date")
        )
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
    return pd.DataFrame(
        {
            c.name: pd.Series([r.get(c.name) for r in rows], dtype=_FRAME_DTYPES.get(c.kind, object))
            for c in RAW_TABLES[name].columns
        }
    )


_INT64 = 2**63


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


# The document's own rows, written by the code and not by the document: a failure there is a code
# bug, reported as a finding, and the row stays (every other table's rows hang on the document row).
NEVER_SET_ASIDE = ("raw_documents", "raw_tables", "raw_findings", "raw_rejected_rows")

# Failures per raw table: row index → [(column, check, failed value)]
Failures = dict[str, dict[int, list[tuple[str, str, object]]]]


def validate_schemas(d: Disclosure) -> Failures:
    """Run every raw table of the disclosure through its schema; violations become SCHEMA findings.

    Returns the rows that failed (per table, row index → failed checks), for `set_aside_rejected`,
    which moves them out of their table once the reconciliation rules have run."""
    failures: Failures = {}
    for name, rows in d.rows.items():
        if name in ("raw_findings", "raw_rejected_rows") or not rows:
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
                    failures.setdefault(name, {}).setdefault(int(idx), []).append(
                        (str(case.get("column")), str(case.get("check")), case.get("failure_case"))
                    )
                d.findings.append(
                    Finding(
                        rule_id="SCHEMA",
                        severity="error",
                        table_ref=name,
                        location=f"row {row_no} column {case.get('column')}" if row_no else str(case.get("column")),
                        message=f"{name}: {case.get('check')} failed for value {case.get('failure_case')!r}",
                    )
                )
    return failures


# the printed table of a raw table without a table_no column
_TABLE_OF_RAW = {
    "raw_income": 2,
    "raw_basic_expenditure_economic": 6,
    "raw_project_expenditure": 7,
    "raw_three_public": 8,
}
_ROW_NUMBER = ("row_no", "fact_no", "indicator_no", "target_no")
_CODE = ("functional_code", "economic_code", "functional_class_code")
_NAME = ("functional_name", "economic_name", "item_name", "project_name", "fact_key")


def _json_value(v):
    if isinstance(v, Decimal):
        return str(v) if v.is_finite() else repr(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if v is None or isinstance(v, (str, int, bool)):
        return v
    if isinstance(v, float) and v != v:
        return None
    return repr(v)


_MAX_MONEY = Decimal(10) ** 14  # DECIMAL(20,6)


def _exact(v) -> Decimal | None:
    """The value when it fits DECIMAL(20,6) exactly, else None (its text stays in row_values)."""
    if not (isinstance(v, Decimal) and v.is_finite() and abs(v) < _MAX_MONEY):
        return None
    if v.as_tuple().exponent >= -6:
        return v
    six = v.quantize(Decimal("0.000001"))
    return six if six == v else None


def _text(v) -> str | None:
    return None if v is None else str(v)


def set_aside_rejected(d: Disclosure, failures: Failures) -> int:
    """Move every row that failed its schema out of its raw table into `raw_rejected_rows`, with its
    values (JSON), its exact amounts and the failed checks, so it never reaches the conformed facts as
    if valid and the quality mart can count it. The document's own rows (NEVER_SET_ASIDE) stay: their
    SCHEMA findings report them. Returns how many rows were set aside."""
    rejected = d.rows.setdefault("raw_rejected_rows", [])
    moved = 0
    for name, by_index in failures.items():
        if name in NEVER_SET_ASIDE:
            continue
        rows = d.rows.get(name, [])
        spec = RAW_TABLES[name]
        money = [c.name for c in spec.columns if c.kind == "money"]
        for idx in sorted(by_index):
            row = rows[idx]
            checks = by_index[idx]
            table_no = row.get("table_no") if isinstance(row.get("table_no"), int) else _TABLE_OF_RAW.get(name)
            row_no = next((row[k] for k in _ROW_NUMBER if isinstance(row.get(k), int)), idx + 1)
            rejected.append(
                {
                    "rejected_no": len(rejected) + 1,
                    "raw_table": name,
                    "table_ref": f"表{'一二三四五六七八九'[table_no - 1]}"
                    if isinstance(table_no, int) and 1 <= table_no <= 9
                    else None,
                    "row_no": row_no,
                    "location": f"row {row_no}",
                    "rule_id": "SCHEMA",
                    "failed_columns": ",".join(dict.fromkeys(c for c, _, _ in checks)),
                    "message": "\n".join(f"{c}: {check} failed for value {value!r}" for c, check, value in checks),
                    "row_values": json.dumps(
                        {c.name: _json_value(row.get(c.name)) for c in spec.columns}, ensure_ascii=False
                    ),
                    "functional_code": next((_text(row[k]) for k in _CODE if row.get(k) is not None), None),
                    "item_name": next((_text(row[k]) for k in _NAME if row.get(k) is not None), None),
                    "total_wan_yuan": _exact(row.get("total_wan_yuan")),
                    "amounts_wan_yuan": json.dumps(
                        {c: str(row[c]) for c in money if _exact(row.get(c)) is not None}, ensure_ascii=False
                    ),
                }
            )
            moved += 1
        keep = set(by_index)
        d.rows[name] = [r for i, r in enumerate(rows) if i not in keep]
    if not rejected:
        del d.rows["raw_rejected_rows"]
    return moved
