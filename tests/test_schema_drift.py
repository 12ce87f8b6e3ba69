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
    body = macro[macro.index("macro provenance_columns") : macro.index("endmacro")]
    assert [c.name for c in PROVENANCE] == re.findall(r"cast\((\w+) as", body)


def test_the_lake_source_is_generated_from_the_model():
    """Adding a raw column is one edit of ingest/model.py plus `python -m ingest.dbt_sources --write`."""
    from ingest.dbt_sources import SOURCES, render

    current = SOURCES.read_text(encoding="utf-8")
    assert render(current) == current, "run: uv run python -m ingest.dbt_sources --write"


def test_a_new_model_column_shows_in_the_rendered_source_with_its_tests_kept(monkeypatch):
    from dataclasses import replace

    from ingest import dbt_sources
    from ingest.model import col

    current = dbt_sources.SOURCES.read_text(encoding="utf-8")
    table = dbt_sources.RAW_TABLES["raw_income"]
    grown = replace(table, columns=(*table.columns, col("new_wan_yuan", "money", doc="a new column")))
    monkeypatch.setitem(dbt_sources.RAW_TABLES, "raw_income", grown)
    rendered = yaml.safe_load(dbt_sources.render(current))
    lake = next(s for s in rendered["sources"] if s["name"] == "lake")
    income = next(t for t in lake["tables"] if t["name"] == "raw_income")
    assert income["columns"][-1] == {"name": "new_wan_yuan", "description": "a new column"}
    documents = next(t for t in lake["tables"] if t["name"] == "raw_documents")
    assert documents["columns"][0]["data_tests"] == ["unique", "not_null"]  # dbt-only keys are kept
    assert [s["name"] for s in rendered["sources"]] == ["lake", "quarantine", "acceptances"]
