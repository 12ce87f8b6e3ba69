"""Every finding rule id, in one registry: who raises it, with which severities, what it means.

Reconciliation rules register themselves with ``@rule`` in ``ingest/validate/rules.py`` (id,
severity, description and the check); the ids raised elsewhere — by the readers and recognizers,
the Pandera schemas and dbt — are declared here. ``Finding`` refuses an id or a severity that is
not registered, ``docs/rules.md``'s rule tables are generated from this registry
(``python -m ingest.rule_ids --write-docs``; tests/test_rule_registry.py fails when they differ),
and a test checks that every id the code raises is registered.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class RuleId:
    rule_id: str
    severities: tuple[str, ...]  # the first is the usual one
    raised_by: str  # rule | recognizer | schema | dbt
    description: str


DECLARED = (
    RuleId(
        "SCHEMA",
        ("error",),
        "schema",
        "a raw table breaks its Pandera schema (`ingest/validate/schemas.py`, derived from `ingest/model.py`): wrong "
        "type, a code that does not match its pattern (functional `\\d{3}(\\d{2}(\\d{2})?)?`, economic "
        "`\\d{3}(\\d{2}){0,2}`: 类, 款 or a local 7-digit 目), a negative amount in a table, a required value missing; "
        "the row is set aside into `raw_rejected_rows` (core.fct_rejected_rows) after the rules ran, so it is in no "
        "fact",
    ),
    RuleId(
        "PARSE-CELL",
        ("error", "warning"),
        "recognizer",
        "an amount cell is not a number (error; the cell loads as empty and the text is in the message), or a value "
        "sits under a column with no known meaning (warning)",
    ),
    RuleId(
        "PARSE-COLUMN",
        ("warning",),
        "recognizer",
        "a table has a column header the recognizer does not know (its values are not loaded as a measure), or "
        "prints its rows by unit instead of by classification code (its rows are not loaded as code rows)",
    ),
    RuleId(
        "PARSE-ROW",
        ("warning", "error"),
        "recognizer",
        "a named row with neither code nor amount (warning); a 表八 data row of unexpected width whose columns "
        "cannot be read by their labels either (error)",
    ),
    RuleId(
        "CODE-MALFORMED", ("error",), "recognizer", "a classification code cell that is not digits of a valid length"
    ),
    RuleId(
        "CODE-MISSING",
        ("error",),
        "recognizer",
        "a code table row (not a 合计) that prints amounts but no classification code: the row is kept in its raw "
        "table, but its amounts reach no functional/economic item in the facts",
    ),
    RuleId(
        "CODE-SHORT",
        ("warning",),
        "recognizer",
        "a 款 or 项 printed in its own column with one digit (`301 | 2`): read zero-padded (30102), the printed "
        "form kept in the message",
    ),
    RuleId(
        "DOC-UNIT-SECTION",
        ("info",),
        "recognizer",
        "a 部门 disclosure prints a subordinate unit's own tables after the consolidated ones (their 编制单位 names "
        "another unit): the consolidated tables are loaded, the unit's section is not added to them",
    ),
    RuleId(
        "DOC-TABLE-DUPLICATE",
        ("warning",),
        "recognizer",
        "the same standard table appears twice (not a continuation of the same table); the first is used",
    ),
    RuleId("DOC-YEAR", ("error",), "recognizer", "no fiscal year in any title"),
    RuleId(
        "DOC-UNIT", ("error",), "recognizer", "no unit name (编制部门, 部门：, 预算单位：, the cover title …) anywhere"
    ),
    RuleId("DOC-UNIT-NAME", ("info",), "recognizer", "a table names the unit differently from the document"),
    RuleId(
        "DOC-PART",
        ("warning", "info"),
        "recognizer",
        "one part of a split publication (ingest/recognize/parts.py, ingest/publications.py): a narrative part whose "
        "sentences state amounts but none was recognised (warning); a part whose unit or fiscal year was taken from "
        "its companion, or whose companion names the unit differently (info)",
    ),
    RuleId(
        "NR-ROUNDED",
        ("info",),
        "rule",
        "a narrative-vs-table rule (NR-*) found the narrative's figure equal to the table's rounded to 0.01 万元 "
        "(北京's tables print 6 decimals, 上海's print 元): they agree at the narrative's printed precision, so "
        "the mismatch is this info, not an error (ingest/validate/rules.py rounded)",
    ),
    # 决算 (final accounts): checked by ingest/recognize/final_accounts.py when a 决算 file is recognised
    RuleId(
        "FA-TOTAL",
        ("error", "info"),
        "rule",
        "决算: a table's own identities — 收入支出决算总表 / 财政拨款收入支出决算总表: 总计 = 本年收入合计 + "
        "使用非财政拨款结余 + 年初结转和结余 = 本年支出合计 + 结余分配 + 年末结转和结余; the 合计 line of 收入决算表 "
        "(= 财政拨款收入 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他收入), 支出决算表 "
        "(= 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助支出) and 一般公共预算财政拨款支出决算表 "
        "(= 基本 + 项目); 0.01 万元 is the 尾数误差 of amounts rounded to 万元 (info)",
    ),
    RuleId(
        "FA-CROSS",
        ("error", "info"),
        "rule",
        "决算: the same figure in two tables — 收入支出决算总表 本年收入合计 / 本年支出合计 = "
        "收入决算表 / 支出决算表 合计; 财政拨款收入支出决算总表 本年支出合计 = the 合计 of the 一般公共预算, "
        "政府性基金 and 国有资本经营预算 财政拨款支出决算表; 人员经费合计 + 公用经费合计 = "
        "一般公共预算财政拨款 基本支出; each summary 支出 line by 类 = the 类 line of its code table "
        "(0.01 万元: info)",
    ),
    RuleId(
        "FA-NARRATIVE",
        ("error", "info"),
        "rule",
        "决算: the 情况说明 states a figure differently from the table printing it — 收入支出总计, 本年收入/支出合计, "
        "财政拨款收入支出总计, 一般公共预算财政拨款支出 and its 基本支出, 人员经费, 公用经费, "
        "the “三公”经费 预算 and 决算 and the 决算 of its parts (因公出国（境）费, 公务用车购置及运行费, "
        "公务接待费), each 项's 支出决算 (matched by name to its line of the 一般公共预算财政拨款支出决算表), "
        "each project's 自评得分 / 全年预算数 / 执行数 "
        "against its 项目绩效自评表 (by 项目名称) and the number of 自评表 it says it prints (a "
        "“三公” table whose 决算数 cells are blank counts as 0; 0.01 万元: info)",
    ),
    RuleId(
        "FA-COMPLETION",
        ("error",),
        "rule",
        "决算: a 情况说明 statement contradicts its own amounts — 完成(年初)预算的 x% ≠ 决算 / 预算 at the printed "
        "decimals (one unit of the last place allowed; the “三公” parts' against the “三公” table's 预算数, each "
        "project's 绩效自评 against the 全年预算数 and 执行数 it states), or 决算数大于/小于预算数 the other way round",
    ),
    RuleId(
        "FA-PLACEHOLDER",
        ("error",),
        "rule",
        "决算: template placeholders (XX, XXX, XXXXXXXX) left in the published text instead of the unit's name, "
        "amounts and reasons",
    ),
    RuleId(
        "FA-WORDING",
        ("error", "warning"),
        "rule",
        "决算: a 情况说明 statement's words against its own amounts — a change against the year before said to be "
        "增加 and 下降 (or 减少 and 增长) at once (error); its 增长/下降 x% ≠ the change over the year before's amount "
        "(this year's amount, the last stated before it, less the change) at the printed decimals, one unit of "
        "the last place allowed, or a change that leaves the year before at zero or below (warning: that amount "
        "is read from the sentence); 决算数与预算数持平 with two different amounts (error), 基本持平 more than 1% "
        "apart (warning)",
    ),
    RuleId(
        "FA-PARTS",
        ("error", "info"),
        "rule",
        "决算: the parts the 情况说明 lists against the total it states with them — 政府采购 货物 + 工程 + 服务 = "
        "政府采购 total; 授予 / 预留 小微企业 within 中小企业; the vehicles by kind add up to 共有车辆 (0.01 万元: "
        "info)",
    ),
    RuleId(
        "FA-EVALUATION",
        ("error", "warning"),
        "rule",
        "决算: a 项目绩效自评表's own arithmetic — 执行率 = 全年执行数 / 全年预算数 of 年度资金总额 at the printed "
        "decimals, one unit allowed (error); the sources (财政拨款, 上年结转, 其他资金) add up to 年度资金总额 in "
        "each column, a 得分 above its 分值, 总分 ≠ the 分值 / 得分 of 年度资金 and every indicator (error; within "
        "the rounding of each printed figure: warning); the 年度资金 得分 ≠ 分值 × 执行率 (warning: 财政部's form "
        "scores so, a local form may not)",
    ),
    RuleId(
        "UNIT-UNRESOLVED",
        ("error",),
        "dbt",
        "the printed unit name and its variants match no registry unit (int_warehouse_findings; the data stays "
        "under 'unregistered-…')",
    ),
    RuleId(
        "CODE-UNKNOWN-CLASS",
        ("error",),
        "dbt",
        "a 表三/表七 line prints a functional code that is malformed or whose 类 is not in the national standard "
        "(kept under the unknown member)",
    ),
    RuleId(
        "FA-THREE-PUBLIC-BUDGET",
        ("warning",),
        "dbt",
        "决算 vs 预算: the 预算数 a 决算's “三公”经费支出决算表 prints for an item (合计, 因公出国（境）费, "
        "公务用车购置费, 公务用车运行维护费, 公务接待费) differs from the unit's own 预算 disclosure of the same "
        "fiscal year (表八 of its current revision; a blank cell of either table is 0; the 预算's figure "
        "rounded to 0.01 万元 agrees) "
        "(int_warehouse_findings; on the 决算 document)",
    ),
)


@lru_cache(maxsize=1)
def registry() -> dict[str, RuleId]:
    """Every registered id: the reconciliation rules' and the declared ones."""
    from ingest.validate.rules import RULES  # imported late: the rules module imports Finding

    out = {r.rule_id: RuleId(r.rule_id, r.severities, "rule", r.description) for r in RULES.values()}
    for r in DECLARED:
        if r.rule_id in out:
            raise ValueError(f"rule id {r.rule_id} is both a reconciliation rule and declared")
        out[r.rule_id] = r
    return out


def check(rule_id: str, severity: str) -> None:
    """Raise ValueError unless `rule_id` is registered with `severity`."""
    known = registry().get(rule_id)
    if known is None:
        raise ValueError(
            f"unknown rule id {rule_id!r}: register it (ingest/rule_ids.py, or @rule in ingest/validate/rules.py)"
        )
    if severity not in known.severities:
        raise ValueError(f"rule {rule_id} is registered with severities {known.severities}, not {severity!r}")


# ---- docs/rules.md ------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
BEGIN, END = (
    "<!-- rule table: {} (generated by python -m ingest.rule_ids --write-docs) -->",
    "<!-- end of rule table -->",
)
SECTIONS = {"reconciliation": ("rule",), "reading": ("schema", "recognizer", "dbt")}


def table(section: str) -> str:
    rows = [r for r in registry().values() if r.raised_by in SECTIONS[section]]
    if section == "reading":
        rows.sort(key=lambda r: SECTIONS[section].index(r.raised_by))
    lines = ["| rule id | severity | raised by | what it checks |", "|---|---|---|---|"]
    for r in rows:
        description = r.description.replace("|", "\\|")
        lines.append(f"| {r.rule_id} | {' / '.join(r.severities)} | {r.raised_by} | {description} |")
    return "\n".join(lines)


def render_docs(text: str) -> str:
    """`text` (docs/rules.md) with each generated table replaced by the registry's."""
    for section in SECTIONS:
        begin = BEGIN.format(section)
        start = text.index(begin) + len(begin)
        stop = text.index(END, start)
        text = text[:start] + "\n" + table(section) + "\n" + text[stop:]
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    current = DOCS.read_text(encoding="utf-8")
    wanted = render_docs(current)
    if "--write-docs" in args:
        DOCS.write_text(wanted, encoding="utf-8")
        print(f"wrote {DOCS}")
        return 0
    print(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
