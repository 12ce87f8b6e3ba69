"""The 中文 labels of the mart contract (dbt yml) as DuckDB comments and bi_zh views."""

from decimal import Decimal

import duckdb
import pytest

from orchestration.labels import MartLabels, apply_to_duckdb, label_of, mart_labels, zh_view_sql


@pytest.mark.parametrize(
    "description, label",
    [
        ("预算年度 Budget (fiscal) year.", "预算年度"),
        ("基本支出（万元）Basic expenditure, 10k yuan.", "基本支出（万元）"),
        ("合计（万元） Total, 万元.", "合计（万元）"),
        ("同比增减（万元）total_wan_yuan − prior_year_total_wan_yuan; null", "同比增减（万元）"),
        ("功能分类“类”编码 (3 位) Functional class code, 3 digits.", "功能分类“类”编码 (3 位)"),
        ("完整度 (tables_found + has_unit_profile) ÷ 11", "完整度"),
        ("文件SHA-256 SHA-256 of the unreadable file.", "文件SHA-256"),
        ("50万元以上大型设备（台套）Equipment ≥ 500k yuan each.", "50万元以上大型设备（台套）"),
        ("“三公”经费合计（万元）Total of the three public expenses", "“三公”经费合计（万元）"),
        ("Budget year only in English.", None),
        (None, None),
    ],
)
def test_label_of(description, label):
    assert label_of(description) == label


def test_every_mart_column_of_the_contract_has_a_label():
    labels = mart_labels()
    assert "mart_regional_spending" in labels and len(labels) >= 13
    spending = labels["mart_regional_spending"]
    assert spending.label == "地区支出功能分类汇总"
    assert spending.columns["fiscal_year"] == "预算年度"
    assert spending.columns["region_name"] == "地区名称"
    assert spending.columns["basic_wan_yuan"] == "基本支出（万元）"
    assert labels["mart_unit_spending"].columns["functional_name"] == "功能分类名称"
    for mart in labels.values():
        assert mart.label, mart.name
        assert len(set(mart.columns.values())) == len(mart.columns), mart.name


def test_a_label_used_twice_in_one_mart_is_refused(tmp_path):
    (tmp_path / "models" / "marts").mkdir(parents=True)
    (tmp_path / "models" / "marts" / "_marts.yml").write_text(
        "version: 2\nmodels:\n  - name: m\n    description: 表 T\n    columns:\n"
        "      - {name: a, description: 年度 Year}\n      - {name: b, description: 年度 Also year}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="_marts.yml: m: label '年度' is used twice"):
        mart_labels(tmp_path)


def test_zh_view_sql_quotes_labels():
    labels = {"t": MartLabels("t", "表", {"a": '带"引号'})}
    sql = zh_view_sql(labels, "t", ["a", "b"])
    assert '"a" as "带""引号"' in sql and '"b" as "b"' in sql


def test_comments_and_bi_zh_views_in_duckdb(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_regional_spending (fiscal_year integer, region_name varchar, "
            "basic_wan_yuan decimal(20,6))"
        )
        con.execute("insert into marts.mart_regional_spending values (2021, '州本级', 320.060001)")
    assert apply_to_duckdb(path) == 1
    assert apply_to_duckdb(path) == 1  # again (a subset build starts from the published file)
    with duckdb.connect(str(path), read_only=True) as con:
        comments = dict(
            con.execute("select column_name, comment from duckdb_columns() where schema_name = 'marts'").fetchall()
        )
        assert comments == {"fiscal_year": "预算年度", "region_name": "地区名称", "basic_wan_yuan": "基本支出（万元）"}
        assert (
            con.execute("select comment from duckdb_tables() where table_name = 'mart_regional_spending'").fetchone()[0]
            == "地区支出功能分类汇总"
        )
        cur = con.execute('select "预算年度", "地区名称", "基本支出（万元）" from bi_zh.mart_regional_spending')
        assert cur.fetchall() == [(2021, "州本级", Decimal("320.060001"))]
