"""部门 and 单位 budgets of one body and year are two disclosures (the real-disclosures issue):
both load and stay traceable, neither supersedes the other, and regional marts count the body once.

The seed (昌吉州外事办 2021, a 部门 budget) is loaded beside a copy whose cover calls it the
单位预算 of the same body, with one amount changed so the two can be told apart in the marts."""

from decimal import Decimal

import duckdb
import pytest

from ingest.settings import Settings
from tests.conftest import SEED_PATH, materialize
from tests.seedtext import mutate

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

D = Decimal


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    data = tmp_path_factory.mktemp("levels")
    inbox = data / "inbox"
    inbox.mkdir()
    seed = SEED_PATH.read_text(encoding="utf-8")
    (inbox / "waishiban_2021_dept.txt").write_text(seed, encoding="utf-8")
    unit = "昌吉州外事办2021年单位预算\n\n" + mutate(
        seed, "表三：", ["\t行政运行", "\t172.3", "\t172.3"], ["\t行政运行", "\t172.4", "\t172.4"]
    )
    (inbox / "waishiban_2021_unit.txt").write_text(unit, encoding="utf-8")
    result = materialize(data)
    assert result.success
    with duckdb.connect(str(Settings(data_dir=data).warehouse), read_only=True) as con:
        yield con


def test_both_levels_are_loaded_and_neither_supersedes_the_other(warehouse):
    got = warehouse.execute("""
        select source_file, budget_level, revision, is_latest_of_level, is_latest, superseded_by_document_id
        from core.fct_document_history order by source_file""").fetchall()
    assert got == [
        ("waishiban_2021_dept.txt", "部门", 1, True, True, None),
        ("waishiban_2021_unit.txt", "单位", 1, True, False, None),
    ]


def test_unit_spending_shows_both_levels_with_their_files(warehouse):
    got = warehouse.execute("""
        select budget_level, total_wan_yuan, is_counted, source_file
        from marts.mart_unit_spending
        where fiscal_year = 2021 and printed_functional_code = '2010301'
        order by budget_level""").fetchall()
    assert got == [
        ("单位", D("172.4"), False, "waishiban_2021_unit.txt"),
        ("部门", D("172.3"), True, "waishiban_2021_dept.txt"),
    ]


def test_regional_spending_counts_the_body_once(warehouse):
    total, item = warehouse.execute("""
        select sum(total_wan_yuan), sum(total_wan_yuan) filter (where functional_item_code = '2010301')
        from marts.mart_regional_spending where fiscal_year = 2021 and region_code = '652300'""").fetchone()
    assert item == D("172.3")  # the 部门 budget's figure, not 172.3 + 172.4
    assert total == D("320.06")
