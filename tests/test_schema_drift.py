"""One declaration of the lake's raw tables (ingest/model.py), and the copies dbt keeps of it must
agree: the source columns in dbt_project/models/staging/__sources.yml (same names, same order) and
the casts of each staging model (every raw column is read). A column added in one place and
forgotten in another fails here (the pattern of PUDL's dbt schema drift test)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ingest.model import PROVENANCE, RAW_TABLES

STAGING = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging"


def source_tables() -> dict[str, list[str]]:
    spec = yaml.safe_load((STAGING / "__sources.yml").read_text(encoding="utf-8"))
    lake = next(s for s in spec["sources"] if s["name"] == "lake")
    return {t["name"]: [c["name"] for c in t.get("columns", [])] for t in lake["tables"]}


def test_every_raw_table_is_a_dbt_source():
    assert set(RAW_TABLES) <= set(source_tables())


@pytest.mark.parametrize("name", sorted(RAW_TABLES))
def test_source_columns_are_the_model_columns(name):
    assert source_tables()[name] == [c.name for c in RAW_TABLES[name].all_columns]


@pytest.mark.parametrize("name", sorted(RAW_TABLES))
def test_staging_model_reads_every_raw_column(name):
    sql = (STAGING / f"stg_{name.removeprefix('raw_')}.sql").read_text(encoding="utf-8")
    assert "provenance_columns()" in sql, "the provenance columns are cast by the shared macro"
    read = set(re.findall(r"\b([a-z_][a-z0-9_]*)\b", sql))
    missing = [c.name for c in RAW_TABLES[name].columns if c.name not in read]
    assert not missing, f"stg_{name.removeprefix('raw_')} does not read {missing}"


def test_provenance_macro_casts_every_provenance_column():
    macro = (STAGING.parents[1] / "macros" / "staging.sql").read_text(encoding="utf-8")
    body = macro[macro.index("macro provenance_columns"):macro.index("endmacro")]
    assert [c.name for c in PROVENANCE] == re.findall(r"cast\((\w+) as", body)
