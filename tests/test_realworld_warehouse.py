"""A prefecture of mixed templates loads in one run (the real-disclosures issue): every real 预算 PDF
in ../shared/real-disclosures/budget/ (北京, 江苏, 上海, 重庆, 广州, 长沙, 烟台, 西安, the central
template) dropped into one inbox beside the seed, then the whole load — ingest, dbt, marts — once.

The warehouse publishes; no file is lost (each is loaded or quarantined with its reason); every
loaded real file is one disclosure in the quality mart; and where a file's 支出总表 is printed by
functional code, the unit-grain mart adds its lines up to the 合计 read off the page by hand
(tests/realworld/truth/)."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest
import yaml

from bench.realworld import load_gaps, real_path, truth_files
from ingest.settings import Settings
from tests.conftest import SEED_PATH, materialize

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

TRUTHS = {t["file"]: t for t in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in truth_files())}


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    data = tmp_path_factory.mktemp("prefecture")
    inbox = data / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_PATH, inbox / "changji_waishiban_2021.txt")
    for name in TRUTHS:
        shutil.copy(real_path(name), inbox / name)
    result = materialize(data)
    settings = Settings(data_dir=data)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        yield result, settings, con


def test_the_mixed_prefecture_publishes(load):
    result, _, _ = load
    assert result.success


def test_no_file_is_lost(load):
    _, _, con = load
    loaded = {r[0] for r in con.execute("select source_file from core.fct_document_history").fetchall()}
    quarantined = {r[0] for r in con.execute("select file_name from marts.mart_quarantined_files").fetchall()}
    dropped = set(TRUTHS) | {"changji_waishiban_2021.txt"}
    assert dropped == loaded | quarantined, sorted(dropped - loaded - quarantined)
    assert not loaded & quarantined


def test_each_loaded_file_is_one_disclosure_of_its_year(load):
    _, _, con = load
    rows = con.execute("select source_file, fiscal_year from marts.mart_disclosure_quality").fetchall()
    years = {}
    for source, year in rows:
        assert source not in years, f"{source} counted twice"
        years[source] = year
    for name, truth in TRUTHS.items():
        if name in years:
            assert years[name] == truth["fiscal_year"], name


def test_unit_spending_adds_up_to_the_printed_expenditure_total(load):
    _, _, con = load
    gaps = load_gaps()
    sums = dict(
        con.execute("""
        select source_file, sum(total_wan_yuan) from marts.mart_unit_spending group by source_file
    """).fetchall()
    )
    compared = []
    for name, truth in TRUTHS.items():
        figure = (truth.get("figures") or {}).get("expenditure_table_total")
        if figure is None or name not in sums or "expenditure_table_total" in (gaps.get(name) or {}).get("figures", {}):
            continue
        value = Decimal(str(figure["value"]))
        wan = value / 10000 if figure["unit"] == "元" else value / 10 if figure["unit"] == "千元" else value
        if sums[name] != wan:  # only where the page's own lines do not add up to its 合计 (a finding says so)
            (said,) = con.execute(
                """
                select count(*) from core.fct_findings
                where source_file = ? and rule_id = 'SUM-ROWS' and table_ref = '表三' and actual = ? and expected = ?
            """,
                [name, wan, sums[name]],
            ).fetchone()
            assert said, f"{name}: mart_unit_spending adds up to {sums[name]} 万元, the page prints {wan}"
        compared.append(name)
    assert len(compared) >= 10, compared  # most templates print their 支出总表 by functional code
