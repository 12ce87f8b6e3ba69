"""项目支出绩效自评表 (a 决算's project performance self-evaluations): read into ``raw_final_evaluation_lines``.

A 中央部门决算 prints one 自评表 per project after its 情况说明 (财政部's form: 项目名称, 主管部门 / 实施单位;
the 年度资金总额 block — 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 — by source 财政拨款 / 上年结转 /
其他资金; the 年度总体目标, 预期目标 against 实际完成情况; the indicators 一级 / 二级 / 三级指标 with 年度指标值,
实际完成值, 分值, 得分 and 偏差原因分析及改进措施; the 总分). Every line becomes a row (``line_kind`` funds | goal |
indicator | total); the column meanings come from ``final_columns:`` (evaluation_funds, evaluation_indicators)
in table_kinds.yaml, read right-aligned from the header row that names them.

A form runs over pages. Its next page is a grid of its own with no title; and the label of a merged cell
(一级指标 产出指标 spanning rows, over a page break) is printed by the PDF after the grid, as loose lines
("效益指 社会效益指" / "标 标"), while the rows it spans lose that cell. Such a row is read right-aligned
(三级指标 … 得分 … 偏差原因 are its last cells), its missing 一级 / 二级指标 taken from those loose labels
(一级 by name: 成本指标, 产出指标, 效益指标, 满意度指标; one label per run of rows that miss it), and a row
whose level cells are printed blank continues the one above (a merged cell's later rows).

The FA-EVALUATION rule checks each form's own arithmetic; the 情况说明's statement of each project
(项目自评得分, 全年预算数, 执行数, 完成预算的 %) is checked against its form in final_accounts.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.amounts import NotANumber, money_unit_in, parse_decimal, to_wan_yuan
from ingest.disclosure import Finding
from ingest.grid import GridDocument, Paragraph
from ingest.recognize.common import squash
from ingest.recognize.figures import titled_kind
from ingest.recognize.kinds import fold

KIND = "final_performance_self_evaluation"
LEVEL1_NAMES = ("成本指标", "产出指标", "效益指标", "满意度指标")  # the four 一级指标 of the form
HEAD_LABELS = {"项目名称": "project_name", "主管部门": "department", "实施单位": "implementing_unit"}
MONEY = ("initial_budget", "full_year_budget", "executed")
TOTAL_SOURCE = "年度资金总额"
_DASHES = re.compile(r"^[-—－–]+$")
_LABEL_TOKEN = re.compile(r"^[\u4e00-\u9fff]{1,12}$")


def _columns(family: str) -> dict[str, str]:
    from ingest.recognize.final_accounts import final_columns  # the catalogue's final_columns: section

    return final_columns()[family]


def _meaning(cell: str, family: str) -> str | None:
    folded = fold(cell)
    return next((m for fragment, m in _columns(family).items() if fragment in folded), None)


@dataclass
class EvaluationRow:
    line_kind: str  # funds | goal | indicator | total
    line: int
    values: dict = field(default_factory=dict)  # raw column → value (amounts in 万元, numbers, texts)
    texts: dict = field(default_factory=dict)  # raw column → the number as printed
    bad: list = field(default_factory=list)  # (column, printed text) of number cells that are not numbers


@dataclass
class SelfEvaluation:
    title: str
    line: int
    money_unit: str = "万元"
    head: dict = field(default_factory=dict)  # project_name, department, implementing_unit as printed
    rows: list[EvaluationRow] = field(default_factory=list)

    @property
    def project_name(self) -> str:
        name = self.head.get("project_name")
        return name or re.sub(r"(?:项目)?(?:支出)?绩效自评表.*$", "", squash(self.title)) or squash(self.title)

    def funds(self, source: str = TOTAL_SOURCE) -> EvaluationRow | None:
        return next((r for r in self.rows if r.line_kind == "funds" and r.values.get("fund_source") == source), None)

    @property
    def indicators(self) -> list[EvaluationRow]:
        return [r for r in self.rows if r.line_kind == "indicator"]

    @property
    def total(self) -> EvaluationRow | None:
        return next((r for r in self.rows if r.line_kind == "total"), None)


# ---- cells ------------------------------------------------------------------------------------


def _number(row: EvaluationRow, column: str, text: str, money_unit: str | None = None) -> None:
    """A number cell into row.values[column] (万元 for money columns; a percentage without its %), as
    printed in row.texts; blank, "-" and "--" are no value; any other text is a bad cell (PARSE-CELL)."""
    t = (text or "").strip()
    row.texts[column] = t
    if not t or _DASHES.match(t):
        return
    body = t[:-1] if t.endswith(("%", "％")) else t[:-1] if t.endswith("分") else t
    try:
        value = parse_decimal(body)
    except NotANumber:
        row.bad.append((column, t))
        return
    row.values[column] = to_wan_yuan(value, money_unit) if money_unit and value is not None else value


def _text(cell: str | None) -> str:
    """A text cell with its whitespace runs made one space (a wrapped cell's pieces are joined by one)."""
    return " ".join((cell or "").split())


def _right(row: list[str], offset: int) -> str:
    """The cell `offset` places from the end (1 = the last), or '' when the row is shorter."""
    return row[len(row) - offset] if offset <= len(row) else ""


# ---- the loose labels of merged cells ---------------------------------------------------------


def loose_labels(paragraphs: list[str]) -> list[str]:
    """The labels of merged 一级 / 二级指标 cells printed after a grid as loose lines: "效益指 社会效益指" /
    "标 标" (two cells side by side, each wrapped: read column-wise) → 效益指标, 社会效益指标; "产出指" / "标"
    / "质量指标" (one cell per line) → 产出指标, 质量指标. Only lines of CJK words count, from the first, and
    only when every label read ends in 指标; else none."""
    lines: list[list[str]] = []
    for p in paragraphs:
        tokens = p.split()
        if not tokens or not all(_LABEL_TOKEN.match(t) for t in tokens):
            break
        lines.append(tokens)
    if not lines:
        return []
    widths = {len(t) for t in lines}
    if len(widths) == 1 and len(lines[0]) > 1:
        labels = ["".join(column) for column in zip(*lines)]
    else:
        joined = "".join(t for tokens in lines for t in tokens)
        labels = re.findall(r".+?指标", joined)
        if "".join(labels) != joined:
            return []
    return labels if labels and all(x.endswith("指标") for x in labels) else []


def _only_labels(lines: list[str]) -> bool:
    """Nothing printed between two grids but the loose labels of merged cells: the form goes on."""
    return not lines or (
        all(all(_LABEL_TOKEN.match(t) for t in c.split()) for c in lines) and bool(loose_labels(lines))
    )


def _paragraphs_after(grid: GridDocument) -> dict[int, list[str]]:
    """For each grid table, by the line of its last row: the paragraphs printed right after it."""
    out: dict[int, list[str]] = {}
    blocks = grid.blocks
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            continue
        after = []
        for nb in blocks[i + 1 :]:
            if not isinstance(nb, Paragraph):
                break
            after.append(nb.text)
        out[(b.row_lines or [b.line])[-1]] = after
    return out


# ---- one form ---------------------------------------------------------------------------------


class _Reader:
    """Reads the rows of one 自评表, fragment by fragment (a page each), keeping its column positions."""

    def __init__(self, ev: SelfEvaluation):
        self.ev = ev
        self.funds_cols: list[tuple[int, str]] | None = None  # (offset from the row's end, meaning)
        self.indicator_cols: list[tuple[int, str]] | None = None
        self.indicator_left = 0  # cells left of 三级指标 in the indicator header (block label, 一级, 二级)
        self.section: str | None = None  # funds | goal | indicators | done

    def fragment(self, rows: list[list[str]], lines: list[int], loose: list[str]) -> None:
        levels: list[tuple[EvaluationRow, dict]] = []  # indicator rows of this fragment, how each level was printed
        for row, line in zip(rows, lines):
            if self.section == "done" or not any((c or "").strip() for c in row):
                continue
            folded = [fold(c) for c in row]
            got = self._head(row, folded) or self._header(row, folded) or self._goal(row, line, folded)
            if got:
                continue
            if self.section == "funds":
                self._funds(row, line)
            elif self.section == "indicators":
                r = self._indicator(row, line, folded)
                if r is not None and r[0].line_kind == "indicator":
                    levels.append(r)
        self._resolve_levels(levels, loose)

    def _head(self, row, folded) -> bool:
        found = False
        for i, f in enumerate(folded):
            key = HEAD_LABELS.get(f)
            if key is None:
                continue
            found = True
            value = next((squash(c) for c, g in zip(row[i + 1 :], folded[i + 1 :]) if g and g not in HEAD_LABELS), None)
            if value:
                self.ev.head.setdefault(key, value)
        return found

    def _header(self, row, folded) -> bool:
        funds = [(len(row) - i, m) for i, c in enumerate(row) if (m := _meaning(c, "evaluation_funds"))]
        if len(funds) >= 3 and any(m in ("full_year_budget", "executed") for _, m in funds):
            self.funds_cols, self.section = funds, "funds"
            unit = next((u for c in row if (u := money_unit_in(c or ""))), None)
            self.ev.money_unit = unit or self.ev.money_unit
            return True
        marks = [(len(row) - i, m) for i, c in enumerate(row) if (m := _meaning(c, "evaluation_indicators"))]
        if len(marks) >= 5 and any(m == "level3" for _, m in marks):
            self.indicator_cols, self.section = marks, "indicators"
            self.indicator_left = len(row) - next(off for off, m in marks if m == "level3")
            return True
        return False

    def _goal(self, row, line, folded) -> bool:
        """年度总体目标: its 预期目标 and 实际完成情况 in the row after a header naming them, or in its own row."""
        if self.section == "goal":
            self._goal_row([_text(c) for c in row if (c or "").strip()], line)
            return True
        at = next((i for i, f in enumerate(folded) if f.endswith("总体目标") and len(f) <= 8), None)
        if at is None:
            return False
        rest = [_text(c) for c in row[at + 1 :] if (c or "").strip()]
        if any(f in ("预期目标", "实际完成情况") for f in folded):
            self.section = "goal"
        else:
            self._goal_row(rest, line)
        return True

    def _goal_row(self, texts: list[str], line: int) -> None:
        expected, actual = (texts[-2], texts[-1]) if len(texts) >= 2 else (texts[0] if texts else None, None)
        self.ev.rows.append(EvaluationRow("goal", line, {"target_value": expected, "actual_value": actual}))
        self.section = None

    def _funds(self, row, line) -> None:
        first = len(row) - max(off for off, _ in self.funds_cols)
        label = next((fold(c) for c in reversed(row[: max(first, 0)]) if (c or "").strip()), "")
        label = re.sub(r"^其中[:：]?", "", label).rstrip(":：")
        r = EvaluationRow("funds", line, {"fund_source": label if label and "项目资金" not in label else None})
        for off, m in self.funds_cols:
            _number(r, m, _right(row, off), self.ev.money_unit if m in MONEY else None)
        if any(m in r.values for m in MONEY) or r.bad:
            self.ev.rows.append(r)

    def _indicator(self, row, line, folded):
        if any(f.startswith("总分") for f in folded):
            r = EvaluationRow("total", line)
            for off, m in self.indicator_cols:
                if m in ("weight", "score"):
                    _number(r, m, _right(row, off))
            self.ev.rows.append(r)
            self.section = "done"
            return r, {}
        r = EvaluationRow("indicator", line)
        level3_off = len(row) + 1
        for off, m in self.indicator_cols:
            if m in ("level1", "level2"):
                continue
            text = _right(row, off)
            if m in ("weight", "score"):
                _number(r, m, text)
            else:
                r.values[m] = (squash(text) if m == "level3" else _text(text)) or None
            if m == "level3":
                level3_off = off
        left = row[: max(len(row) - level3_off, 0)]
        how: dict[str, str] = {}
        if len(left) == self.indicator_left:  # every level cell printed (blank: a merged cell's later row)
            for off, m in self.indicator_cols:
                if m in ("level1", "level2"):
                    text = squash(_right(row, off))
                    r.values[m] = text or None
                    how[m] = "printed" if text else "above"
        else:  # cells of merged levels lost: what is left is named by what it says
            named = [squash(c) for c in left if squash(c) and fold(c) != "绩效指标"]
            for text in named:
                key = "level1" if text in LEVEL1_NAMES or "level2" in how else "level2"
                r.values[key], how[key] = text, "printed"
            for m in ("level1", "level2"):
                how.setdefault(m, "lost")
        if not any(r.values.get(m) for m in ("level3", "target_value", "actual_value")) and not r.texts.get("score"):
            return None  # a row of nothing but level labels
        self.ev.rows.append(r)
        return r, how

    def _resolve_levels(self, levels: list[tuple[EvaluationRow, dict]], loose: list[str]) -> None:
        """Lost levels from the loose labels (one per run of rows missing that level, in order, or one for
        all), blank ones from the row above; a blank 二级 under a printed 一级 is no 二级."""
        given = {
            "level1": [x for x in loose if x in LEVEL1_NAMES],
            "level2": [x for x in loose if x not in LEVEL1_NAMES],
        }
        for m in ("level1", "level2"):
            runs: list[list[EvaluationRow]] = []
            previous_lost = False
            for r, how in levels:
                lost = how.get(m) == "lost"
                if lost and not previous_lost:
                    runs.append([])
                if lost:
                    runs[-1].append(r)
                previous_lost = lost
            labels = given[m]
            if len(labels) == 1:
                runs = [[r for run in runs for r in run]]
            if len(runs) == len(labels):
                for run, label in zip(runs, labels):
                    for r in run:
                        r.values[m] = label
        indicators = self.ev.indicators
        for r, how in levels:
            k = next(i for i, x in enumerate(indicators) if x is r)
            above = indicators[k - 1] if k else None
            for m in ("level1", "level2"):
                if how.get(m) != "above":
                    continue
                if m == "level2" and how.get("level1") == "printed":
                    continue
                r.values[m] = above.values.get(m) if above else None


def read_evaluations(grid: GridDocument, found: list) -> list[SelfEvaluation]:
    """Every 自评表 of the document, with the untitled grids that continue it on the next pages."""
    after = _paragraphs_after(grid)
    out: list[SelfEvaluation] = []
    reader: _Reader | None = None
    for ft in found:
        titled = titled_kind(ft.context)
        if titled and titled[0].id == KIND:
            ev = SelfEvaluation(titled[1], ft.line, ft.money_unit or "万元")
            out.append(ev)
            reader = _Reader(ev)
        elif not (titled is None and reader is not None and reader.section != "done" and _only_labels(ft.context)):
            reader = None
            continue
        loose = loose_labels(after.get(ft.row_lines[-1], [])) if ft.row_lines else []
        reader.fragment(ft.rows, ft.row_lines, loose)
    return out


# ---- rows of the lake -------------------------------------------------------------------------

COLUMNS = (
    "fund_source",
    "initial_budget",
    "full_year_budget",
    "executed",
    "execution_rate",
    "level1",
    "level2",
    "level3",
    "target_value",
    "actual_value",
    "weight",
    "score",
    "deviation_reason",
)
RAW_NAMES = {
    "initial_budget": "initial_budget_wan_yuan",
    "full_year_budget": "full_year_budget_wan_yuan",
    "executed": "executed_wan_yuan",
    "execution_rate": "execution_rate_pct",
}


def evaluation_rows(evaluations: list[SelfEvaluation]) -> list[dict]:
    """The rows of raw_final_evaluation_lines: every line of every form."""
    out = []
    for no, ev in enumerate(evaluations, start=1):
        for row_no, r in enumerate(ev.rows, start=1):
            rec = {
                "evaluation_no": no,
                "evaluation_title": ev.title,
                "project_name": ev.project_name,
                "department": ev.head.get("department"),
                "implementing_unit": ev.head.get("implementing_unit"),
                "row_no": row_no,
                "line_kind": r.line_kind,
            }
            rec.update({RAW_NAMES.get(c, c): r.values.get(c) for c in COLUMNS})
            rec["line_no"] = r.line
            out.append(rec)
    return out


def bad_cells(evaluations: list[SelfEvaluation]) -> list[Finding]:
    return [
        Finding(
            "PARSE-CELL",
            "error",
            f"{ev.title} line {r.line}: {column} cell {text!r} is not a number; loaded as empty",
            table_ref=ev.title,
            location=f"line {r.line}",
        )
        for ev in evaluations
        for r in ev.rows
        for column, text in r.bad
    ]


# ---- FA-EVALUATION: each form's own arithmetic ------------------------------------------------


def _unit(text: str | None) -> Decimal:
    """One unit of the last printed place of a number ("77.13%" → 0.01, "10" → 1)."""
    t = (text or "").rstrip("%％分")
    return Decimal(1).scaleb(-len(t.split(".")[1])) if "." in t else Decimal(1)


def _sum_finding(
    ev: SelfEvaluation, what: str, parts: list[tuple[Decimal, str]], total: Decimal, total_text: str, location: str
) -> Finding | None:
    """Σ parts = total, exactly; a difference within the rounding of the printed places of each part and
    of the total (half a unit each) is a warning, more is an error."""
    s = sum((p for p, _ in parts), Decimal(0))
    if s == total:
        return None
    unit = min([_unit(t) for _, t in parts] + [_unit(total_text)])
    slack = unit * (len(parts) + 1) / 2
    severity = "warning" if abs(s - total) <= slack else "error"
    return Finding(
        "FA-EVALUATION",
        severity,
        f"{ev.title}: {what}: {total_text} printed, the lines add up to {s}"
        + (" (within the rounding of each printed figure)" if severity == "warning" else ""),
        table_ref=ev.title,
        location=location,
        expected=s,
        actual=total,
    )


def check_evaluation(ev: SelfEvaluation) -> list[Finding]:
    out: list[Finding | None] = []
    ref = ev.title
    funds = ev.funds()
    if funds is not None:
        v, t, loc = funds.values, funds.texts, f"line {funds.line}"
        budget, executed, rate = v.get("full_year_budget"), v.get("executed"), v.get("execution_rate")
        if budget and executed is not None and rate is not None:
            unit = _unit(t.get("execution_rate"))
            computed = (executed / budget * 100).quantize(unit)
            if abs(computed - rate) > unit:
                out.append(
                    Finding(
                        "FA-EVALUATION",
                        "error",
                        f"{ref}: 执行率 {t['execution_rate']}, but 全年执行数 "
                        f"{executed} / 全年预算数 {budget} = {computed}%",
                        table_ref=ref,
                        location=loc,
                        expected=computed,
                        actual=rate,
                    )
                )
        weight, score = v.get("weight"), v.get("score")
        if weight is not None and score is not None and rate is not None:
            unit = _unit(t.get("score"))
            expected = min(weight, weight * rate / 100).quantize(unit)
            if abs(expected - score) > unit:
                out.append(
                    Finding(
                        "FA-EVALUATION",
                        "warning",
                        f"{ref}: 年度资金 得分 {t['score']}, but 分值 {t['weight']} × "
                        f"执行率 {t['execution_rate']} = {expected} (财政部's form scores 分值 × 执行率)",
                        table_ref=ref,
                        location=loc,
                        expected=expected,
                        actual=score,
                    )
                )
        sources = [r for r in ev.rows if r.line_kind == "funds" and r is not funds]
        for m, name in (
            ("initial_budget", "年初预算数"),
            ("full_year_budget", "全年预算数"),
            ("executed", "全年执行数"),
        ):
            parts = [(r.values[m], r.texts[m]) for r in sources if r.values.get(m) is not None]
            if parts and v.get(m) is not None:
                listed = " + ".join(r.values.get("fund_source") or "?" for r in sources)
                out.append(_sum_finding(ev, f"年度资金总额 {name} = {listed}", parts, v[m], t[m], loc))
    scored = [r for r in [funds, *ev.indicators] if r is not None]
    for r in scored:
        if (
            r.values.get("score") is not None
            and r.values.get("weight") is not None
            and r.values["score"] > r.values["weight"]
        ):
            what = r.values.get("level3") or "年度资金"
            out.append(
                Finding(
                    "FA-EVALUATION",
                    "error",
                    f"{ref}: {what}: 得分 {r.texts['score']} above its 分值 {r.texts['weight']}",
                    table_ref=ref,
                    location=f"line {r.line}",
                    expected=r.values["weight"],
                    actual=r.values["score"],
                )
            )
    total = ev.total
    if total is not None:
        for m, name in (("weight", "分值"), ("score", "得分")):
            parts = [(r.values[m], r.texts[m]) for r in scored if r.values.get(m) is not None]
            if parts and total.values.get(m) is not None:
                out.append(
                    _sum_finding(
                        ev,
                        f"总分 {name} = 年度资金 + every indicator's",
                        parts,
                        total.values[m],
                        total.texts[m],
                        f"line {total.line}",
                    )
                )
    return [f for f in out if f is not None]
