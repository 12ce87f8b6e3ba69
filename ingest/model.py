"""The raw tables of the lake: one declaration per table, shared by the recognizers,
the Pandera schemas, the Parquet writer and (by name) the dbt sources.

Every raw row carries the provenance columns (PROVENANCE). Money columns end in
`_wan_yuan` and are exact decimals DECIMAL(20,6) in 万元 (元 inputs are converted
exactly: 1 元 = 0.0001 万元).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

PARSER_VERSION = "0.1.0"

MONEY = pa.decimal128(20, 6)
NUMBER = pa.decimal128(20, 6)  # non-money exact numbers (areas, percentages, counts as stated)

# Column kinds: 'str', 'int', 'money', 'number', 'bool', 'date', 'timestamp'
ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "money": MONEY,
    "number": NUMBER,
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool = True
    pattern: str | None = None  # regex a non-null string must match fully
    non_negative: bool = False  # for money/number columns
    doc: str = ""


def col(name, kind, nullable=True, pattern=None, non_negative=None, doc=""):
    if non_negative is None:
        non_negative = kind == "money"
    return Column(name, kind, nullable, pattern, non_negative, doc)


FUNCTIONAL_CODE = r"\d{3}(\d{2}(\d{2})?)?"
FUNCTIONAL_CLASS = r"\d{3}"
ECONOMIC_CODE = r"\d{3}(\d{2}){0,2}"  # 类, 款, or a local 7-digit sub-item (重庆 3010201, 北京 3021101)

PROVENANCE = (
    col("document_id", "str", False, r"[0-9a-f]{64}", doc="SHA-256 of the file's bytes"),
    col("source_file", "str", False, doc="file name as dropped in the inbox"),
    col("unit_name", "str", doc="unit name as printed (编制部门)"),
    col("fiscal_year", "int", doc="budget year of the disclosure"),
    col("parser_version", "str", False),
    col("loaded_at", "timestamp", False),
    col("batch_id", "str", False),
)


@dataclass(frozen=True)
class RawTable:
    name: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return PROVENANCE + self.columns

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, ARROW_TYPES[c.kind], nullable=c.nullable) for c in self.all_columns])


def _money(*names: str) -> tuple[Column, ...]:
    return tuple(col(n, "money") for n in names)


RAW_TABLES: dict[str, RawTable] = {
    t.name: t
    for t in (
        RawTable(
            "raw_documents",
            "One row per loaded disclosure file: what it is and how it was read.",
            (
                col("unit_name_variants", "str", doc="every spelling of the unit seen, joined by '|'"),
                col("disclosure_kind", "str", False, r"预算|决算"),
                col(
                    "budget_level",
                    "str",
                    pattern=r"部门|单位",
                    doc="部门 (a department's budget, consolidating its units) or 单位 (one unit's own)",
                ),
                col("signed_date", "date"),
                col("title", "str"),
                col("reader", "str", False),
                col("encoding", "str"),
                col("file_size_bytes", "int", False),
                col("tables_found", "int", False),
                col(
                    "publication_part",
                    "str",
                    pattern=r"whole|narrative|tables",
                    doc="whole (tables and 情况说明 in one file), or one part of a split publication: narrative "
                    "(情况说明 without the tables) or tables (the tables without a 情况说明); null in batches "
                    "written before parts were told apart: whole",
                ),
                col(
                    "companion_document_id",
                    "str",
                    pattern=r"[0-9a-f]{64}",
                    doc="a part's other part (same disclosure), when it was loaded before or with this one",
                ),
                col("publication_note", "str", doc="how the part was recognised and paired with its companion"),
                col(
                    "file_modified_at",
                    "timestamp",
                    doc="the file's modification time when it was loaded (UTC): orders revisions loaded in one batch "
                    "after their printed date (int_document_revisions); null in batches written before it was kept",
                ),
            ),
        ),
        RawTable(
            "raw_tables",
            "One row per standard table (表一…表九) per document: present, empty (with its note), missing "
            "(required, or skipped by the document's own 表N numbering) or not_printed (not in the document's "
            "template).",
            (
                col("table_no", "int", False),
                col("table_code", "str", False, r"表[一二三四五六七八九]"),
                col("table_title", "str"),
                col("status", "str", False, r"present|empty|missing|not_printed"),
                col("row_count", "int", False),
                col("money_unit", "str", pattern=r"万元|千元|元"),
                col("note", "str"),
            ),
        ),
        RawTable(
            "raw_budget_summary",
            "表一 收支总体情况表 and 表四 财政拨款收支预算总体情况表: income lines and expenditure by functional 类.",
            (
                col("table_no", "int", False),
                col("row_no", "int", False),
                col("side", "str", False, r"income|expenditure"),
                col("item_name", "str", False),
                col("functional_class_code", "str", pattern=FUNCTIONAL_CLASS),
                *_money("total_wan_yuan", "general_budget_wan_yuan", "gov_fund_wan_yuan", "state_capital_wan_yuan"),
                col("is_total", "bool", False),
            ),
        ),
        RawTable(
            "raw_income",
            "表二 收入总体情况表: income by functional code × source.",
            (
                col("row_no", "int", False),
                col("functional_code", "str", pattern=FUNCTIONAL_CODE),
                col("functional_name", "str"),
                col("total_wan_yuan", "money"),
                col(
                    "fiscal_appropriation_wan_yuan",
                    "money",
                    doc="财政拨款收入: the appropriation subtotal some templates print over its fund types "
                    "(上海, 烟台, 广州; money, 万元)",
                ),
                *_money(
                    "general_budget_wan_yuan",
                    "gov_fund_wan_yuan",
                    "state_capital_wan_yuan",
                    "fiscal_special_account_wan_yuan",
                    "business_income_wan_yuan",
                    "business_operating_income_wan_yuan",
                    "other_income_wan_yuan",
                    "prior_year_carryover_wan_yuan",
                ),
                col("is_total", "bool", False),
            ),
        ),
        RawTable(
            "raw_expenditure",
            "表三 支出总体情况表, 表五 一般公共预算支出情况表 and 表九 政府性基金预算支出情况表: "
            "expenditure by functional code × 基本支出/项目支出 (table_no tells which); 江苏's 支出预算总表 also "
            "prints 单位预留机动经费 (reserve) and 结转下年资金 (carry_forward) as parts of its 合计.",
            (
                col("table_no", "int", False),
                col("row_no", "int", False),
                col("functional_code", "str", pattern=FUNCTIONAL_CODE),
                col("functional_name", "str"),
                *_money(
                    "total_wan_yuan", "basic_wan_yuan", "project_wan_yuan", "reserve_wan_yuan", "carry_forward_wan_yuan"
                ),
                col("is_total", "bool", False),
            ),
        ),
        RawTable(
            "raw_basic_expenditure_economic",
            "表六 一般公共预算基本支出情况表: basic expenditure by economic code × 人员经费/公用经费.",
            (
                col("row_no", "int", False),
                col("economic_code", "str", pattern=ECONOMIC_CODE),
                col("economic_name", "str"),
                *_money("total_wan_yuan", "personnel_wan_yuan", "public_use_wan_yuan"),
                col("is_total", "bool", False),
            ),
        ),
        RawTable(
            "raw_project_expenditure",
            "表七 一般公共预算项目支出情况表: each project × functional code × economic-type columns.",
            (
                col("row_no", "int", False),
                col("functional_code", "str", pattern=FUNCTIONAL_CODE),
                col("functional_name", "str"),
                col("project_name", "str"),
                *_money(
                    "total_wan_yuan",
                    "wages_welfare_wan_yuan",
                    "goods_services_wan_yuan",
                    "individual_family_subsidy_wan_yuan",
                    "debt_interest_wan_yuan",
                    "capital_construction_wan_yuan",
                    "capital_wan_yuan",
                    "enterprise_subsidy_construction_wan_yuan",
                    "enterprise_subsidy_wan_yuan",
                    "social_security_fund_subsidy_wan_yuan",
                    "other_wan_yuan",
                ),
                col("is_total", "bool", False),
            ),
        ),
        RawTable(
            "raw_three_public",
            "表八 一般公共预算“三公”经费支出情况表 (one row per document).",
            (
                col("row_no", "int", False),
                *_money(
                    "total_wan_yuan",
                    "overseas_travel_wan_yuan",
                    "vehicle_total_wan_yuan",
                    "vehicle_purchase_wan_yuan",
                    "vehicle_operation_wan_yuan",
                    "official_reception_wan_yuan",
                ),
            ),
        ),
        RawTable(
            "raw_unit_profile",
            "单位概况: staffing and internal organisation (one row per document).",
            (
                col("authorized_staff", "int"),
                col("actual_staff", "int"),
                col("in_service_staff", "int"),
                col("in_service_change", "int"),
                col("retired_staff", "int"),
                col("retired_change", "int"),
                col("separated_staff", "int", doc="离休"),
                col("separated_change", "int"),
                col("internal_department_count", "int"),
                col("internal_department_names", "str", doc="names joined by '、' as printed"),
                col("subordinate_unit_count", "int"),
                col("sentence", "str"),
            ),
        ),
        RawTable(
            "raw_narrative_facts",
            "情况说明: every figure stated in the narrative, with the sentence it came from.",
            (
                col("fact_no", "int", False),
                col("section", "str"),
                col("fact_key", "str", False, r"[a-z0-9_.]+"),
                col("subject", "str"),
                col("value", "number", non_negative=False),
                col("value_unit", "str"),
                col("value_text", "str"),
                col("sentence", "str", False),
                col("line_no", "int"),
            ),
        ),
        RawTable(
            "raw_performance_targets",
            "项目支出绩效目标表: one row per project table.",
            (
                col("target_no", "int", False),
                col("project_name", "str", False),
                col("budget_unit_name", "str"),
                col("target_year", "int"),
                *_money("funds_total_wan_yuan", "funds_fiscal_wan_yuan", "funds_other_wan_yuan"),
                col("overall_goal", "str"),
            ),
        ),
        RawTable(
            "raw_performance_indicators",
            "项目支出绩效目标表 indicators: 一级/二级/三级 with target value as printed and parsed.",
            (
                col("target_no", "int", False),
                col("project_name", "str", False),
                col("indicator_no", "int", False),
                col("level1", "str"),
                col("level2", "str"),
                col("level3", "str"),
                col("target_value", "str"),
                col("comparator", "str", pattern=r"=|>=|<=|>|<|range"),
                col("target_number", "number", non_negative=False),
                col("target_number_high", "number", non_negative=False),
                col("target_unit", "str"),
            ),
        ),
        RawTable(
            "raw_findings",
            "Every validation finding: schema violations and reconciliation rules.",
            (
                col("finding_no", "int", False),
                col("rule_id", "str", False, r"[A-Z0-9-]+"),
                col("severity", "str", False, r"error|warning|info"),
                col("table_ref", "str"),
                col("location", "str"),
                col("expected", "number", non_negative=False),
                col("actual", "number", non_negative=False),
                col("difference", "number", non_negative=False),
                col("message", "str", False),
                col(
                    "companion_document_id",
                    "str",
                    pattern=r"[0-9a-f]{64}",
                    doc="for a finding computed across the two parts of a split publication (NR-* rules, recorded "
                    "on the narrative part): the tables part it was computed with; null otherwise",
                ),
            ),
        ),
        RawTable(
            "raw_rejected_rows",
            "Rows that failed their raw table's schema (a malformed code, text in an amount cell, a negative "
            "amount…): kept here with their values and the reason, and left out of the raw table they failed "
            "(ingest/validate/schemas.py), so they never reach the conformed facts as if valid. One row per "
            "rejected row; the SCHEMA findings name each failed value.",
            (
                col("rejected_no", "int", False, doc="int, not null: numbers the document's rejected rows"),
                col("raw_table", "str", False, r"raw_[a-z_]+", doc="the raw table the row failed"),
                col("table_ref", "str", doc="the printed table it came from (表一…表九), when known"),
                col("row_no", "int", doc="the row's own number in its raw table (row_no, fact_no, target_no…)"),
                col("location", "str", doc="where the row was printed (line or row), as the findings say"),
                col("rule_id", "str", False, r"[A-Z0-9-]+", doc="SCHEMA"),
                col("failed_columns", "str", False, doc="the columns whose values failed, joined by ','"),
                col("message", "str", False, doc="every failed check of the row, one per line"),
                col(
                    "row_values",
                    "str",
                    False,
                    doc="the row as JSON: every column of its raw table, amounts as exact decimal strings",
                ),
                col("functional_code", "str", doc="the row's printed functional (or economic) code, as text"),
                col("item_name", "str", doc="the row's printed name (functional/economic/item/project name)"),
                col(
                    "total_wan_yuan",
                    "money",
                    non_negative=False,
                    doc="the row's total amount when it is an exact decimal (null when that is the failed value)",
                ),
                col(
                    "amounts_wan_yuan",
                    "str",
                    doc="every amount column of the row that holds an exact decimal, as JSON {column: decimal string}",
                ),
            ),
        ),
        RawTable(
            "raw_final_lines",
            "决算 (final accounts) tables: one row per printed amount cell of every recognised 决算 table "
            "(ingest/recognize/final_accounts.py).",
            (
                col("table_no", "int", False, doc="the table's place among the document's 决算 tables, from 1"),
                col("table_kind", "str", False, r"final_[a-z_]+", doc="the table's kind (table_kinds.yaml)"),
                col("table_title", "str", doc="the printed title"),
                col("row_no", "int", False, doc="the line's place in its table, from 1"),
                col(
                    "side",
                    "str",
                    pattern=r"收入|支出|预算数|决算数",
                    doc="收入 | 支出 (a 收支 summary), 预算数 | 决算数 (the “三公” table), else null",
                ),
                col("line_label", "str", doc="the line's printed label (科目名称, 本年收入合计 …)"),
                col("functional_code", "str", pattern=FUNCTIONAL_CODE, doc="支出功能分类 code of a code table's line"),
                col(
                    "economic_code",
                    "str",
                    pattern=ECONOMIC_CODE,
                    doc="部门预算支出经济分类 code of a 基本支出决算表 line",
                ),
                col(
                    "column_meaning",
                    "str",
                    False,
                    r"[a-z_0-9]+",
                    doc="the column's meaning (final_columns: in table_kinds.yaml)",
                ),
                col("amount_wan_yuan", "money", non_negative=False, doc="the amount in 万元, exact"),
                col("printed_text", "str", False, doc="the cell as printed"),
                col("line_no", "int", doc="page * 1000 + printed line"),
            ),
        ),
        RawTable(
            "raw_final_evaluation_lines",
            "决算 项目支出绩效自评表 (project performance self-evaluations): one row per line of every form — its "
            "年度资金总额 lines by source, its 年度总体目标, each indicator and its 总分 "
            "(ingest/recognize/final_evaluation.py).",
            (
                col("evaluation_no", "int", False, doc="the form's place among the document's 自评表, from 1"),
                col("evaluation_title", "str", doc="the printed title (…项目绩效自评表)"),
                col("project_name", "str", False, doc="项目名称 as printed (else the title without 项目绩效自评表)"),
                col("department", "str", doc="主管部门 as printed"),
                col("implementing_unit", "str", doc="实施单位 as printed"),
                col("row_no", "int", False, doc="the line's place in its form, from 1"),
                col(
                    "line_kind",
                    "str",
                    False,
                    r"funds|goal|indicator|total",
                    doc="funds (a 年度资金总额 line), goal (年度总体目标), indicator (a 三级指标) or total (总分)",
                ),
                col(
                    "fund_source",
                    "str",
                    doc="a funds line's label: 年度资金总额 (the total), 财政拨款, 上年结转, 其他资金 … (其中 dropped)",
                ),
                col("initial_budget_wan_yuan", "money", doc="年初预算数, 万元"),
                col("full_year_budget_wan_yuan", "money", doc="全年预算数, 万元"),
                col("executed_wan_yuan", "money", doc="全年执行数, 万元"),
                col(
                    "execution_rate_pct",
                    "number",
                    doc="执行率 as printed, in percent (the 中央 form prints 0.0% on the lines by source: as printed)",
                ),
                col("level1", "str", doc="一级指标 (成本指标, 产出指标, 效益指标, 满意度指标)"),
                col("level2", "str", doc="二级指标 (数量指标, 质量指标, 社会效益指标 …)"),
                col("level3", "str", doc="三级指标: the indicator"),
                col("target_value", "str", doc="年度指标值 as printed; for the goal line: 预期目标"),
                col("actual_value", "str", doc="实际完成值 as printed; for the goal line: 实际完成情况"),
                col("weight", "number", doc="分值"),
                col("score", "number", doc="得分"),
                col("deviation_reason", "str", doc="偏差原因分析及改进措施 as printed"),
                col("line_no", "int", doc="page * 1000 + printed line"),
            ),
        ),
    )
}
