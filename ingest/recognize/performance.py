"""项目支出绩效目标表: project, funds, overall goal and every indicator with a parsed target."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.amounts import normalize_number_text
from ingest.disclosure import Disclosure
from ingest.recognize.common import money_cell, squash
from ingest.recognize.tables import FoundTable

_COMPARATORS = {
    "≥": ">=",
    ">=": ">=",
    "＞": ">",
    ">": ">",
    "≤": "<=",
    "<=": "<=",
    "＜": "<",
    "<": "<",
    "=": "=",
    "＝": "=",
}
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # 1,984.38 as well as 95
_TARGET = re.compile(rf"^(≥|>=|＞|>|≤|<=|＜|<|=|＝)?\s*{_NUM}\s*([^\d\s,].*)?$")
_RANGE = re.compile(rf"^{_NUM}\s*[-~～—至]\s*{_NUM}\s*(\S*)$")
_LABEL_UNIT = re.compile(r"[（(]([^（）()]+)[)）]\s*$")


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def parse_target(value: str, label: str | None) -> tuple[str | None, Decimal | None, Decimal | None, str | None]:
    """'≥95%' → ('>=', 95, None, '%'); '1-12月' → ('range', 1, 12, '月'); '提升' → (None, None, None, None)."""
    v = normalize_number_text(value or "").replace("％", "%")
    label_unit = None
    if label:
        m = _LABEL_UNIT.search(label)
        if m:
            label_unit = m.group(1)
    m = _RANGE.match(v)
    if m:
        return "range", _dec(m.group(1)), _dec(m.group(2)), m.group(3) or label_unit
    m = _TARGET.match(v)
    if m:
        unit = (m.group(3) or "").strip() or label_unit
        return _COMPARATORS.get(m.group(1) or "=", "="), _dec(m.group(2)), None, unit
    return None, None, None, None


def _after(row: list[str], label: str) -> str | None:
    for i, c in enumerate(row):
        if label in squash(c):
            for nxt in row[i + 1 :]:
                return nxt
    return None


_YEAR_LINE = re.compile(r"^[（(](\d{4})年?[)）]$")


def parse_performance(d: Disclosure, ft: FoundTable, target_no: int) -> None:
    rec: dict = {
        "target_no": target_no,
        "project_name": None,
        "budget_unit_name": None,
        "target_year": None,
        "funds_total_wan_yuan": None,
        "funds_fiscal_wan_yuan": None,
        "funds_other_wan_yuan": None,
        "overall_goal": None,
    }
    indicators: list[dict] = []
    starts: list[int] | None = None  # where the indicator columns start, once their header row is read
    level1 = level2 = None
    for row, line in zip(ft.rows, ft.row_lines):
        cells = [c for c in row]
        s = [squash(c) for c in cells]
        if not "".join(s) or _form_field(d, ft, rec, cells, s, line):
            continue
        if "一级指标" in s and "三级指标" in s:
            # where each of the four columns starts: a wide (aligned) row puts its cells
            # under these, a plain row has them at 0..3
            starts = [s.index(label) for label in ("一级指标", "二级指标", "三级指标")]
            starts.append(next((i for i, c in enumerate(s) if c.startswith("指标值")), starts[-1] + 1))
            continue
        if starts is None:
            continue
        cells = _indicator_cells(cells, starts)
        if cells[0]:
            level1, level2 = cells[0], None
        if cells[1]:
            level2 = cells[1]
        if not cells[2] and not cells[3]:
            continue
        comparator, number, high, unit = parse_target(cells[3], cells[2])
        indicators.append(
            {
                "target_no": target_no,
                "indicator_no": len(indicators) + 1,
                "level1": level1,
                "level2": level2,
                "level3": cells[2] or None,
                "target_value": cells[3] or None,
                "comparator": comparator,
                "target_number": number,
                "target_number_high": high,
                "target_unit": unit,
            }
        )
    if rec["target_year"] is None:  # the （2021年） line may sit above the grid
        years = [m.group(1) for t in ft.context for m in [_YEAR_LINE.match(squash(t))] if m]
        rec["target_year"] = int(years[-1]) if years else None
    rec["project_name"] = rec["project_name"] or f"(未命名项目 {target_no})"
    d.add("raw_performance_targets", rec)
    for ind in indicators:
        ind["project_name"] = rec["project_name"]
        d.add("raw_performance_indicators", ind)


def _form_field(d: Disclosure, ft: FoundTable, rec: dict, cells: list[str], s: list[str], line) -> bool:
    """Read a line of the form's head into `rec`: the （year） line, 项目名称 / 预算单位, 项目资金 and
    项目总体目标. False for any other row."""
    m = _YEAR_LINE.match("".join(s))
    if m:
        rec["target_year"] = int(m.group(1))
    elif "项目名称" in s:
        rec["project_name"] = _after(cells, "项目名称")
        rec["budget_unit_name"] = _after(cells, "预算单位")
    elif s[0].startswith("项目资金"):
        loc = f"line {line}"
        rec["funds_total_wan_yuan"] = money_cell(d, _after(cells, "年度资金总额") or "", "万元", ft.ref, loc)
        rec["funds_fiscal_wan_yuan"] = money_cell(d, _after(cells, "财政拨款") or "", "万元", ft.ref, loc)
        rec["funds_other_wan_yuan"] = money_cell(d, _after(cells, "其他资金") or "", "万元", ft.ref, loc)
    elif s[0] == "项目总体目标":
        rec["overall_goal"] = next((c for c in cells[1:] if c), None)
    else:
        return False
    return True


def _indicator_cells(cells: list[str], starts: list[int]) -> list[str]:
    """An indicator row as its four columns (一级 / 二级 / 三级指标, 指标值): each cell joins the
    column whose start is at or left of it."""
    parts = ["", "", "", ""]
    for j, c in enumerate(cells):
        if c:
            k = max((k for k, x in enumerate(starts) if x <= j), default=0)
            parts[k] = f"{parts[k]}{c}" if parts[k] else c
    return parts
