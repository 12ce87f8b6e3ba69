"""The marts after loading the seed: the rows BI tools will read, checked against the
document's own printed numbers."""

from datetime import date
from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

D = Decimal


@pytest.fixture(scope="module")
def con(loaded):
    settings, result = loaded
    assert result.success
    with duckdb.connect(str(settings.warehouse), read_only=True) as c:
        yield c


def rows(con, sql):
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_regional_spending_items_of_201(con):
    got = rows(
        con,
        """
        select functional_item_code, functional_item_name, basic_wan_yuan, project_wan_yuan, total_wan_yuan,
               functional_class_code, functional_class_name, region_name, unit_count
        from marts.mart_regional_spending
        where fiscal_year = 2021 and region_code = '652300' and functional_class_code = '201'
        order by functional_item_code""",
    )
    # 表三: 201 一般公共服务支出 236.2 = 172.3 + 36 + 25.9 + 2
    assert [
        (r["functional_item_code"], r["basic_wan_yuan"], r["project_wan_yuan"], r["total_wan_yuan"]) for r in got
    ] == [
        ("2010301", D("172.3"), D("0"), D("172.3")),
        ("2010302", D("0"), D("36"), D("36")),
        ("2010305", D("25.9"), D("0"), D("25.9")),
        ("2013405", D("0"), D("2"), D("2")),
    ]
    assert sum(r["total_wan_yuan"] for r in got) == D("236.2")
    assert {r["functional_class_name"] for r in got} == {"一般公共服务支出"}
    assert {r["region_name"] for r in got} == {"州本级"} and {r["unit_count"] for r in got} == {1}
    assert got[0]["functional_item_name"] == "行政运行"


def test_regional_spending_year_total_and_unlisted_codes(con):
    (total, basic, project, n) = con.execute("""
        select sum(total_wan_yuan), sum(basic_wan_yuan), sum(project_wan_yuan), count(*)
        from marts.mart_regional_spending where fiscal_year = 2021 and region_code = '652300'""").fetchone()
    assert (total, basic, project, n) == (D("320.06"), D("254.06"), D("66"), 9)
    # 203 国防支出 is missing from the partial reference list: its name comes from what the unit printed
    (name_203, item) = con.execute("""
        select functional_class_name, functional_item_name from marts.mart_regional_spending
        where functional_item_code = '2039999'""").fetchone()
    assert (name_203, item) == ("国防支出", "其他国防支出")
    (source,) = con.execute(
        "select name_source from core.dim_functional_class where functional_code = '203'"
    ).fetchone()
    assert source == "observed"


def test_three_public_trend_prior_year_from_narrative(con):
    (r,) = rows(con, "select * from marts.mart_three_public_trends where fiscal_year = 2021")
    assert r["unit_id"] == "652300-waishiban" and r["region_code"] == "652300"
    assert (
        r["total_wan_yuan"],
        r["overseas_travel_wan_yuan"],
        r["vehicle_operation_wan_yuan"],
        r["official_reception_wan_yuan"],
    ) == (D("5.12"), D("0"), D("4.5"), D("0.62"))
    # 比上年减少3.31万元 → prior year 8.43
    assert (r["prior_year_total_wan_yuan"], r["prior_year_source"], r["yoy_change_wan_yuan"]) == (
        D("8.43"),
        "narrative",
        D("-3.31"),
    )


def test_asset_holdings(con):
    (r,) = rows(con, "select * from marts.mart_asset_holdings where fiscal_year = 2021")
    assert r["as_of_date"] == date(2020, 12, 31)
    assert (
        r["building_area_m2"],
        r["building_value_wan_yuan"],
        r["vehicle_count"],
        r["vehicle_value_wan_yuan"],
        r["furniture_value_wan_yuan"],
        r["other_assets_value_wan_yuan"],
        r["equipment_over_500k_count"],
        r["equipment_over_1m_count"],
    ) == (D("5059.61"), D("2106.94"), 3, D("86.86"), D("111.88"), D("2115.28"), 2, 2)


def test_disclosure_quality_and_findings(con):
    (r,) = rows(con, "select * from marts.mart_disclosure_quality where fiscal_year = 2021")
    assert (r["tables_found"], r["error_count"], r["warning_count"], r["info_count"], r["revision"]) == (9, 10, 8, 1, 1)
    found = {x["rule_id"] for x in rows(con, "select rule_id from core.fct_findings where severity = 'error'")}
    assert found == {
        "SUM-ROWS",
        "XT-TOTALS",
        "NR-INCOME",
        "NR-CLASS",
        "NR-ITEM",
        "NR-THREE-PUBLIC-CHANGE",
        "PT-COST",
        "NR-ASSET-VEHICLE",
    }
    (t7,) = rows(
        con,
        """select expected, actual, difference, source_file from core.fct_findings
                         where rule_id = 'SUM-ROWS' and location like '%total_wan_yuan%'""",
    )
    assert (t7["expected"], t7["actual"], t7["difference"]) == (D("66"), D("36"), D("-30"))


def test_money_columns_are_decimal(con):
    types = {
        (t, c): dt
        for t, c, dt in con.execute("""
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'marts' and column_name like '%wan_yuan'""").fetchall()
    }
    assert types and all(dt.startswith("DECIMAL") for dt in types.values())


def test_seed_rollups_history_and_completeness(con):
    # prefecture total = the only unit's 表三; 类 201 = 236.2
    got = dict(
        con.execute(
            "select functional_code, total_wan_yuan from marts.mart_regional_spending_rollup\n"
            "                              where fiscal_year = 2021 and region_code = '652300-ALL' "
            "and rollup_level = '类'"
        ).fetchall()
    )
    assert got["201"] == D("236.2") and sum(got.values()) == D("320.06")
    (r,) = rows(con, "select * from marts.mart_three_public_regional where region_code = '652300-ALL'")
    assert r["total_wan_yuan"] == D("5.12") and r["prior_year_total_wan_yuan"] == D("8.43")
    (q,) = rows(con, "select * from marts.mart_disclosure_quality")
    assert (q["has_unit_profile"], q["has_narrative"], q["completeness_score"], q["warehouse_finding_count"]) == (
        True,
        True,
        D("1.0000"),
        0,
    )
    (h,) = rows(con, "select revision, is_latest, superseded_by_document_id from core.fct_document_history")
    assert h == {"revision": 1, "is_latest": True, "superseded_by_document_id": None}
