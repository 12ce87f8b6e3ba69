"""The national (财政部 / 中央部门) template family of 部门预算 disclosures.

The same truth as the 昌吉 template (the same amounts, narrative and 绩效目标表), with the tables
printed as the central departments print them (the real example:
../shared/real-disclosures/budget/cn-guojia-xinfangju-2026-dept.pdf, 国家信访局 2026):

    部门公开表1 部门收支总表            numbered 一、 income and 类 lines, 本年收入合计 / 本年支出合计,
                                        使用非财政拨款结余 / 结转下年, 上年结转, 收入总计 / 支出总计
    部门公开表2 部门收入总表            one header over a single line of totals (合计 | 上年结转 | 一般公共
                                        预算拨款收入 | … | 事业收入 (金额, 其中：教育收费) | …), no codes
    部门公开表3 部门支出总表            科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出, 类/款/项 lines
    部门公开表4 财政拨款收支总表        一、本年收入 (（一）…（三） fund types) / 二、上年结转;
                                        一、本年支出 (（一） 类 lines) / 二、结转下年
    部门公开表5 一般公共预算支出表      功能分类科目 | {year}年预算数 (小计, 基本支出, 项目支出), 类/款/项
    部门公开表6 一般公共预算基本支出表  部门预算支出经济分类科目 | {year}年基本支出 (合计, 人员经费,
                                        公用经费), 类 (301/302/303) and 款 lines
    部门公开表7 政府性基金预算支出表    empty, with its note
    部门公开表8 国有资本经营预算支出表  empty, with its note (a kind the warehouse does not load)
    部门公开表9 财政拨款预算“三公”经费支出表  {year}年预算数 over 合计 | 因公出国（境）费 | 公务用车
                                        购置及运行费 (小计, 购置费, 运行费) | 公务接待费

No 一般公共预算项目支出表 (the 昌吉 表七): the template does not print one. Amounts print with two
decimals (16474.82, 341.00), zeros as blank cells (totals always). Codes stand in one cell
(科目编码), so the split/joined code variant does not apply. Tables carry no 编制部门 line; the
document opens (after the synthetic notice) with its cover title "{unit}{year}年度部门预算",
as the real one does, and its 第二部分 is "{unit}部门预算表". The 情况说明 is the 昌吉 one.

Left out although the real template prints them, because the recognizers misread them today
(docs/generator.md, "National template"):

* 部门支出总表's 上缴上级支出 / 事业单位经营支出 / 对附属单位补助支出 columns (PARSE-COLUMN: no known
  meaning, even when empty);
* 一般公共预算支出表's previous-year 执行数 and 增减 columns (the whole table is read as empty);
* a 合计 cell spanning 科目编码 and 科目名称 in the empty 政府性基金/国有资本经营 tables (the amount labels
  are then taken from the group label "{year}年政府性基金预算支出": PARSE-COLUMN); 合计 is printed in
  the 科目编码 cell with an empty 科目名称 cell instead.

In the truth and the raw tables every table keeps its 昌吉 slot (表一…表九 = kinds of
ingest/recognize/table_kinds.yaml): 部门公开表7 is slot 9, 部门公开表9 is slot 8, and a
`missing_table` defect names the slot.
"""

from __future__ import annotations

from decimal import Decimal

from generator import catalog as C
from generator.layout import WAN, Layout
from generator.truth import CENT, ZERO, DisclosureTruth

# printed number → (title, slot); slot None: a kind the warehouse recognises but does not load
TABLES: dict[int, tuple[str, int | None]] = {
    1: ("部门收支总表", 1),
    2: ("部门收入总表", 2),
    3: ("部门支出总表", 3),
    4: ("财政拨款收支总表", 4),
    5: ("一般公共预算支出表", 5),
    6: ("一般公共预算基本支出表", 6),
    7: ("政府性基金预算支出表", 9),
    8: ("国有资本经营预算支出表", None),
    9: ("财政拨款预算“三公”经费支出表", 8),
}
SLOTS = tuple(sorted(slot for _, slot in TABLES.values() if slot))  # 1…6, 8, 9: no 表七
INCOME_LINES = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "事业单位经营收入", "其他收入")
APPROPRIATION_FUNDS = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")
# 部门收入总表: top header cells; 事业收入 has two columns under it (金额, 其中：教育收费)
INCOME_HEAD = (
    "合计",
    "上年结转",
    "一般公共预算拨款收入",
    "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
    "使用非财政拨款结余",
)
INCOME_SUBHEAD = ("", "", "", "", "", "金额", "其中：教育收费", "", "", "", "", "")
_DIGITS = "零一二三四五六七八九"


def cn_number(k: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (outline numbering 一、 （一）)."""
    if k < 10:
        return _DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def functional_lines(t: DisclosureTruth) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    """(code, name, total, basic, project) of 部门支出总表 / 一般公共预算支出表: each 类, then each of its
    款, then that 款's 项, every line with its own sums."""
    out = []
    for cls in sorted({e.code[:3] for e in t.expenditure}):
        in_cls = [e for e in t.expenditure if e.code[:3] == cls]
        out.append(_line(cls, C.CLASS_NAMES[cls], in_cls))
        for kuan in sorted({e.code[:5] for e in in_cls}):
            in_kuan = [e for e in in_cls if e.code[:5] == kuan]
            out.append(_line(kuan, C.KUAN_NAMES[kuan], in_kuan))
            out += [(e.code, e.name, e.total, e.basic, e.project) for e in in_kuan]
    return out


def _line(code: str, name: str, rows) -> tuple[str, str, Decimal, Decimal, Decimal]:
    basic = sum((e.basic for e in rows), ZERO)
    project = sum((e.project for e in rows), ZERO)
    return code, name, basic + project, basic, project


def economic_lines(t: DisclosureTruth) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    """(code, name, total, 人员经费, 公用经费) of 一般公共预算基本支出表: each economic 类 (301/302/303) with
    its sums, then its 款."""
    out = []
    for cls in sorted({e.code[:3] for e in t.economic}):
        rows = [e for e in t.economic if e.code[:3] == cls]
        personnel = sum((e.personnel for e in rows), ZERO)
        public_use = sum((e.public_use for e in rows), ZERO)
        out.append((cls, C.ECON_CLASS_NAMES[cls], personnel + public_use, personnel, public_use))
        out += [(e.code, e.name, e.total, e.personnel, e.public_use) for e in rows]
    return out


class NationalLayout(Layout):
    """The national template's 第二部分 (see the module docstring); everything else is the 昌吉 layout."""

    def __init__(self, t: DisclosureTruth):
        super().__init__(t)
        self.joined = True  # one 科目编码 cell

    # ---------------------------------------------------------------- helpers
    def amt(self, x: Decimal | None, table_no: int, blank_zero: bool = True) -> str:
        """Two decimals, as the central template prints every amount (341.00); blank for zero."""
        if x is None or (blank_zero and x == 0):
            return ""
        value = x * WAN if self.money_unit(table_no) == "元" else x
        return f"{value.quantize(CENT):f}"

    def heading(self, printed: int) -> None:
        """部门公开表N and the title (on one line for 表5/表6, as printed), then the 单位 line."""
        title, slot = TABLES[printed]
        if printed in (5, 6):
            self.para(f"部门公开表{printed} {title}")
        else:
            self.para(f"部门公开表{printed}")
            self.para(title)
        self.para(f"单位：{self.money_unit(slot) if slot else '万元'}")

    def code_table(self, slot: int, head: list[list[str]], lines, total: list[Decimal]) -> None:
        """A grid of code lines (code, name, amount, amount, amount) under `head`, then 合  计 (its cell
        spans 科目编码 and 科目名称)."""
        rows = [list(r) for r in head]
        amounts = set()
        for code, name, a, b, c in lines:
            r = len(rows)
            rows.append([code, name, self.amt(a, slot, False), self.amt(b, slot), self.amt(c, slot)])
            amounts |= {(r, 2), (r, 3), (r, 4)}
        r = len(rows)
        rows.append(["合  计"] + [self.amt(x, slot, False) for x in total])
        amounts |= {(r, 1), (r, 2), (r, 3)}
        self.table(rows, amounts, first_cell_spans={r})

    def empty_fund_table(self, label: str, total_label: str, fund: str) -> None:
        """政府性基金 / 国有资本经营 预算支出表: the header and an empty 合  计 line, then the note."""
        rows = [
            ["科目编码", "科目名称", f"{self.Y}年{label}"],
            ["", "", total_label, "基本支出", "项目支出"],
            *[[""] * 5] * 3,
            ["合  计", "", "", "", ""],
        ]
        self.table(rows)
        self.para(f"注：{self.Y}年{self.U}部门预算中没有使用{fund}安排的支出。")

    # ---------------------------------------------------------------- document
    def cover(self) -> None:
        super().cover()
        self.para(f"{self.U}{self.Y}年度部门预算")

    def tables(self) -> None:
        self.para(f"第二部分  {self.U}部门预算表")
        printers = {
            1: self.t1,
            2: self.t2,
            3: self.t3,
            4: self.t4,
            5: self.t5,
            6: self.t6,
            7: self.t7_fund,
            8: self.t8_state_capital,
            9: self.t9_three_public,
        }
        for printed, (_, slot) in TABLES.items():
            if slot is None or not self.missing(slot):
                printers[printed]()

    def t1(self) -> None:
        t, T = self.t, self.t.total
        self.heading(1)
        left = [
            [f"{cn_number(i)}、{name}", self.amt(T if name == INCOME_LINES[0] else None, 1)]
            for i, name in enumerate(INCOME_LINES, 1)
        ]
        right = [
            [f"{cn_number(i)}、{C.CLASS_NAMES[code]}", self.amt(a, 1)]
            for i, (code, a) in enumerate(t.by_class().items(), 1)
        ]
        body = _side_by_side(left, right)
        body += [
            ["本年收入合计", self.amt(T, 1, False), "本年支出合计", self.amt(T, 1, False)],
            ["使用非财政拨款结余", "", "结转下年", ""],
            ["上年结转", "", "", ""],
            ["收  入  总  计", self.amt(T, 1, False), "支  出  总  计", self.amt(T, 1, False)],
        ]
        head = [["收    入", "支    出"], ["项    目", "预算数", "项    目", "预算数"]]
        self.table(head + body, {(len(head) + r, c) for r in range(len(body)) for c in (1, 3)})

    def t2(self) -> None:
        self.heading(2)
        total = self._wrong(2, "total_wan_yuan", self.t.total)
        general = self._wrong(2, "general_budget_wan_yuan", self.t.total)
        line = [self.amt(total, 2, False), "", self.amt(general, 2)] + [""] * 9
        self.table([list(INCOME_HEAD), list(INCOME_SUBHEAD), line], {(2, c) for c in range(len(line))})

    def t3(self) -> None:
        t = self.t
        self.heading(3)
        total = [
            self._wrong(3, "total_wan_yuan", t.total),
            self._wrong(3, "basic_wan_yuan", t.basic_total),
            self._wrong(3, "project_wan_yuan", t.project_total),
        ]
        self.code_table(3, [["科目编码", "科目名称", "合  计", "基本支出", "项目支出"]], functional_lines(t), total)

    def t4(self) -> None:
        t, T = self.t, self.t.total
        self.heading(4)
        this_year = [["一、本年收入", self.amt(T, 4, False)]] + [
            [f"（{cn_number(i)}）{fund}", self.amt(T if i == 1 else None, 4)]
            for i, fund in enumerate(APPROPRIATION_FUNDS, 1)
        ]
        spent = [["一、本年支出", self.amt(T, 4, False)]] + [
            [f"（{cn_number(i)}）{C.CLASS_NAMES[code]}", self.amt(a, 4)]
            for i, (code, a) in enumerate(t.by_class().items(), 1)
        ]
        carried = [["二、上年结转", ""]] + [
            [f"（{cn_number(i)}）{fund}", ""] for i, fund in enumerate(APPROPRIATION_FUNDS, 1)
        ]
        body = _side_by_side(this_year, spent) + _side_by_side(carried, [["", ""], ["二、结转下年", ""]])
        body.append(["收  入  总  计", self.amt(T, 4, False), "支  出  总  计", self.amt(T, 4, False)])
        head = [["收    入", "支    出"], ["项    目", "预算数", "项    目", "预算数"]]
        self.table(head + body, {(len(head) + r, c) for r in range(len(body)) for c in (1, 3)})

    def t5(self) -> None:
        t = self.t
        self.heading(5)
        head = [["功能分类科目", "", f"{self.Y}年预算数"], ["科目编码", "科目名称", "小  计", "基本支出", "项目支出"]]
        total = [
            self._wrong(5, "total_wan_yuan", t.total),
            self._wrong(5, "basic_wan_yuan", t.basic_total),
            self._wrong(5, "project_wan_yuan", t.project_total),
        ]
        self.code_table(5, head, functional_lines(t), total)

    def t6(self) -> None:
        t = self.t
        self.heading(6)
        head = [
            ["部门预算支出经济分类科目", "", f"{self.Y}年基本支出"],
            ["科目编码", "科目名称", "合  计", "人员经费", "公用经费"],
        ]
        total = [
            self._wrong(6, "total_wan_yuan", t.basic_total),
            self._wrong(6, "personnel_wan_yuan", t.personnel_total),
            self._wrong(6, "public_use_wan_yuan", t.public_use_total),
        ]
        self.code_table(6, head, economic_lines(t), total)

    def t7_fund(self) -> None:
        self.heading(7)
        self.empty_fund_table("政府性基金预算支出", "合  计", "政府性基金预算拨款")

    def t8_state_capital(self) -> None:
        self.heading(8)
        self.empty_fund_table("国有资本经营预算支出", "小  计", "国有资本经营预算拨款")

    def t9_three_public(self) -> None:
        tp = self.t.three_public
        self.heading(9)
        values = [self.amt(tp.total, 8, False)] + [
            self.amt(x, 8)
            for x in (
                tp.overseas_travel,
                tp.vehicle_total,
                tp.vehicle_purchase,
                tp.vehicle_operation,
                tp.official_reception,
            )
        ]
        rows = [
            [f"{self.Y}年预算数"],
            ["合  计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
            ["", "", "小  计", "公务用车购置费", "公务用车运行费", ""],
            values,
        ]
        self.table(rows, {(3, c) for c in range(6)})


def _side_by_side(left: list[list[str]], right: list[list[str]]) -> list[list[str]]:
    """Two columns of (label, amount) lines printed next to each other, the shorter padded with blanks."""
    n = max(len(left), len(right))
    pad = [["", ""]] * n
    return [a + b for a, b in zip((left + pad)[:n], (right + pad)[:n])]
