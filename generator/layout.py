"""Ground truth → GridDocument, following the template of the real seed
(tests/fixtures/seed_changji_waishiban_2021.txt): 第一部分 单位概况, 第二部分 表一…表九,
第三部分 情况说明 (with the 项目支出绩效目标表), 第四部分 名词解释; the same table titles,
header rows (uneven, merged cells) and narrative sentences, so `ingest.recognize` reads
every fact.

While it writes the narrative, the layout records each figure as a `StatedFact` (what the
recognizer must read: the printed value, and the true value when a defect misprints it)
into `truth.facts`. Injected defects are applied here, at print time; the truth's numbers
are never changed.

`layout(t)` prints in the truth's template family (`t.layout.template`): this module's
`Layout` is the 昌吉 one; `generator/national.py` subclasses it for the national family
(部门公开表1…9), sharing the profile, the narrative and the 绩效目标表.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.grid import GridDocument, Paragraph, Table

from generator import catalog as C
from generator.truth import ZERO, DisclosureTruth, StatedFact

WAN = Decimal(10000)
SYNTHETIC_NOTICE = "【模拟数据】本文件由生成器合成，用于测试，不是真实的预算公开文件。"


@dataclass
class GeneratedGrid(GridDocument):
    """A GridDocument plus where the amounts are (for renderers that print thousands separators)
    and which short rows are merged at their start: a row with fewer cells than its table's widest
    row is drawn with its LAST cell spanning the columns it lacks, except the rows listed in
    `first_cell_spans`, whose FIRST cell spans them (a 合计 across 科目编码 and 科目名称). Either way a
    reader gives the row back with the merged cell once."""

    amount_cells: set[tuple[int, int, int]] = field(default_factory=set)  # (block, row, cell)
    first_cell_spans: set[tuple[int, int]] = field(default_factory=set)  # (block, row)


def plain(x: Decimal) -> str:
    """Decimal as the tables print it: no trailing zeros (172.30 → 172.3, 36.00 → 36)."""
    s = f"{x:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def signed_change(delta: Decimal, unit: str = "万元") -> tuple[str, str]:
    """(direction, magnitude) as printed: 增加/减少/增加（减少）."""
    if delta > 0:
        return "增加", plain(delta)
    if delta < 0:
        return "减少", plain(-delta)
    return "增加（减少）", "0"


def pct(delta: Decimal, prior: Decimal) -> Decimal | None:
    if not prior:
        return None
    return (abs(delta) / prior * 100).quantize(Decimal("0.01"))


def share(amount: Decimal, total: Decimal) -> Decimal:
    return (amount / total * 100).quantize(Decimal("0.01"))


class Layout:
    def __init__(self, t: DisclosureTruth):
        self.t = t
        self.blocks: list = []
        self.amount_cells: set[tuple[int, int, int]] = set()
        self.first_cell_spans: set[tuple[int, int]] = set()
        self.facts: list[StatedFact] = []
        self.U = t.unit.name
        self.Y = t.fiscal_year
        self.joined = t.layout.code_layout == "joined"

    # ---------------------------------------------------------------- helpers
    def defect(self, kind: str) -> dict | None:
        return next((d.params for d in self.t.defects if d.kind == kind), None)

    def missing(self, table_no: int) -> bool:
        p = self.defect("missing_table")
        return bool(p and p["table"] == table_no)

    def para(self, text: str) -> None:
        self.blocks.append(Paragraph(text=text, line=0))

    def table(
        self,
        rows: list[list[str]],
        amounts: set[tuple[int, int]] = frozenset(),
        first_cell_spans: set[int] = frozenset(),
    ) -> None:
        b = len(self.blocks)
        self.blocks.append(Table(rows=rows, line=0))
        self.amount_cells.update((b, r, c) for r, c in amounts)
        self.first_cell_spans.update((b, r) for r in first_cell_spans)

    def fact(
        self,
        key: str,
        subject: str | None,
        value: Decimal | None,
        printed: Decimal | None = None,
        text: str | None = None,
    ) -> str:
        shown = value if printed is None else printed
        self.facts.append(StatedFact(key, subject, shown, value, text))
        return plain(shown) if shown is not None else ""

    def money_unit(self, table_no: int) -> str:
        return "元" if self.t.layout.yuan_table == table_no else "万元"

    def amt(self, x: Decimal | None, table_no: int, blank_zero: bool = True) -> str:
        if x is None or (blank_zero and x == 0):
            return ""
        return plain(x * WAN) if self.money_unit(table_no) == "元" else plain(x)

    def unit_line(self, table_no: int) -> str:
        return f"编制部门（单位）：{self.U}                              单位：{self.money_unit(table_no)}"

    def code_cells(self, code: str) -> list[str]:
        if self.joined:
            return [code]
        if len(code) == 5:  # economic 类/款
            return [code[:3], code[3:]]
        return [code[:3], code[3:5], code[5:]]

    # ---------------------------------------------------------------- document
    def build(self) -> GeneratedGrid:
        self.cover()
        self.profile()
        self.tables()
        self.narrative()
        self.glossary()
        self.para(self.U)
        y, m, d = self.t.signed.split("-")
        self.para(f"{int(y)}年{int(m)}月{int(d)}日")
        self.t.facts = self.facts
        grid = GeneratedGrid(
            source_name=self.t.file_name,
            blocks=self.blocks,
            reader="text",
            encoding=self.t.layout.encoding,
            amount_cells=self.amount_cells,
            first_cell_spans=self.first_cell_spans,
        )
        number_lines(grid)
        return grid

    def tables(self) -> None:
        """第二部分: the heading and 表一…表九 (a missing_table defect leaves one out)."""
        self.para(f"第二部分  {self.Y}年部门（单位）预算公开表")
        for no, fn in enumerate((self.t1, self.t2, self.t3, self.t4, self.t5, self.t6, self.t7, self.t8, self.t9), 1):
            if not self.missing(no):
                fn()

    # ---------------------------------------------------------------- 第一部分
    def cover(self) -> None:
        self.para(SYNTHETIC_NOTICE)

    def profile(self) -> None:
        p = self.t.profile
        self.para(f"第一部分  {self.U}单位概况")
        self.para("一、主要职能")
        for line in p.functions:
            self.para(line)
        self.para("二、机构设置及人员情况")
        depts = "、".join(p.internal_department_names)
        room = "科室" if self.t.unit.level == "州本级" else "股室"
        sub = "无下属预算单位" if not p.subordinate_unit_count else f"下属预算单位{p.subordinate_unit_count}个"
        self.para(f"{self.U}{sub}，下设{len(p.internal_department_names)}个{room}，分别是：{depts}。")

        def chg(n: int) -> str:
            return f"增加{n}人" if n > 0 else (f"减少{-n}人" if n < 0 else "增加或减少0人")

        self.para(
            f"{self.U}编制数{p.authorized_staff}人，实有人数{p.actual_staff}人，其中：在职{p.in_service_staff}人，"
            f"{chg(p.in_service_change)}；退休{p.retired_staff}人，{chg(p.retired_change)}；"
            f"离休{p.separated_staff}人，{chg(p.separated_change)}。"
        )

    # ---------------------------------------------------------------- 表一 / 表四
    def t1(self) -> None:
        t = self.t
        T = t.total
        self.para("表一：")
        self.para("部门（单位）收支总体情况表")
        self.para(self.unit_line(1))
        income = [
            ("财政拨款（补助）", T),
            ("一般公共预算", T),
            ("政府性基金预算", None),
            ("国有资本经营预算", None),
            ("教育收费（财政专户）", None),
            ("事业收入", None),
            ("事业单位经营收入", None),
            ("单位其他资金收入", None),
        ]
        classes = t.by_class()
        rows = [["收     入", "支     出"], ["项     目", "预算数", "功能分类", "预算数"]]
        amounts = set()
        for i, (code, name) in enumerate(C.CLASS_LIST):
            inc_name, inc_amt = income[i] if i < len(income) else ("", None)
            r = len(rows)
            rows.append([inc_name, self.amt(inc_amt, 1), f"{code} {name}", self.amt(classes.get(code), 1)])
            amounts |= {(r, 1), (r, 3)}
        rows.append(["", "", "", ""])
        r = len(rows)
        rows.append(["收  入  总  计", self.amt(T, 1, False), "支  出  总  计", self.amt(T, 1, False)])
        amounts |= {(r, 1), (r, 3)}
        self.table(rows, amounts)

    def t4(self) -> None:
        t = self.t
        T = t.total
        self.para("表四：")
        self.para("财政拨款收支预算总体情况表")
        self.para(self.unit_line(4))
        income = [("财政拨款（补助）", T), ("一般公共预算", T), ("政府性基金预算", None), ("国有资本经营预算", None)]
        classes = t.by_class()
        rows = [
            ["财政拨款收入", "财政拨款支出"],
            ["项    目", "合  计", "功  能  分  类", "合 计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        ]
        amounts = set()
        for i, (code, name) in enumerate(C.CLASS_LIST):
            inc_name, inc_amt = income[i] if i < len(income) else ("", None)
            r = len(rows)
            a = classes.get(code)
            rows.append([inc_name, self.amt(inc_amt, 4), f"{code} {name}", self.amt(a, 4), self.amt(a, 4), "", ""])
            amounts |= {(r, 1), (r, 3), (r, 4)}
        rows.append([""] * 7)
        r = len(rows)
        rows.append(
            [
                "收  入  总  计",
                self.amt(T, 4, False),
                "支  出  总  计",
                self.amt(T, 4, False),
                self.amt(T, 4, False),
                "",
                "",
            ]
        )
        amounts |= {(r, 1), (r, 3), (r, 4)}
        self.table(rows, amounts)

    # ---------------------------------------------------------------- code tables
    def _total_row(self, n_code: int, n_name: int, values: list[str]) -> list[str]:
        """合计 row: split layout keeps the empty code cells; joined merges code+name into one cell."""
        if self.joined:
            return ["合  计"] + [""] * (n_name - 1) + values
        return [""] * n_code + [""] * (n_name - 1) + ["合  计"] + values

    def _wrong(self, table_no: int, column: str, value: Decimal) -> Decimal:
        p = self.defect("wrong_total")
        if p and p["table"] == table_no and column in p["columns"]:
            return value + p["delta"]
        return value

    def t2(self) -> None:
        t = self.t
        self.para("表二：")
        self.para("部门（单位）收入总体情况表")
        self.para(self.unit_line(2))
        head = [
            "功能分类科目编码",
            "功能分类科目名称",
            "总  计",
            "一般公共预算拨款",
            "政府性基金预算拨款",
            "国有资本经营预算",
            "财政专户（教育收费）",
            "事业收入",
            "事业单位经营收入",
            "单位其他资金收入",
        ]
        rows = [head]
        nc = 1 if self.joined else 3
        if not self.joined:
            rows.append(["类", "款", "项"] + [""] * 9)
        amounts = set()
        for e in t.expenditure:
            r = len(rows)
            rows.append(self.code_cells(e.code) + [e.name, self.amt(e.total, 2), self.amt(e.total, 2)] + [""] * 6)
            amounts |= {(r, nc + 1), (r, nc + 2)}
        rows += [[""] * (nc + 9)] * 2
        total = self._wrong(2, "total_wan_yuan", t.total)
        general = self._wrong(2, "general_budget_wan_yuan", t.total)
        r = len(rows)
        row = self._total_row(nc, 1, [self.amt(total, 2, False), self.amt(general, 2, False)] + [""] * 6)
        rows.append(row)
        off = len(row) - 8
        amounts |= {(r, off), (r, off + 1)}
        self.table(rows, amounts)

    def _expenditure_table(self, table_no: int, label: str) -> tuple[list[list[str]], set]:
        t = self.t
        nc = 1 if self.joined else 3
        rows = [["项    目", label], ["功能分类科目编码", "功能分类科目名称", "合  计", "基本支出", "项目支出"]]
        if not self.joined:
            rows.append(["类", "款", "项", "", "", "", ""])
        amounts = set()
        for e in t.expenditure:
            r = len(rows)
            rows.append(
                self.code_cells(e.code)
                + [
                    e.name,
                    self.amt(e.total, table_no, False),
                    self.amt(e.basic, table_no),
                    self.amt(e.project, table_no),
                ]
            )
            amounts |= {(r, nc + 1), (r, nc + 2), (r, nc + 3)}
        rows += [[""] * (nc + 4)] * 2
        total = self._wrong(table_no, "total_wan_yuan", t.total)
        basic = self._wrong(table_no, "basic_wan_yuan", t.basic_total)
        project = self._wrong(table_no, "project_wan_yuan", t.project_total)
        r = len(rows)
        row = self._total_row(
            nc,
            1,
            [self.amt(total, table_no, False), self.amt(basic, table_no, False), self.amt(project, table_no, False)],
        )
        rows.append(row)
        off = len(row) - 3
        amounts |= {(r, off), (r, off + 1), (r, off + 2)}
        return rows, amounts

    def t3(self) -> None:
        self.para("表三：")
        self.para("部门（单位）支出总体情况表")
        self.para(self.unit_line(3))
        rows, amounts = self._expenditure_table(3, "支出预算")
        self.table(rows, amounts)

    def _titled(self, title: str, table_no: int, rows: list[list[str]], amounts: set) -> None:
        """表五/六/七 as the seed prints them: the title and 编制部门 line are the grid's first rows."""
        head = [[title], [f"编制部门（单位）：{self.U}", "", "", f"单位：{self.money_unit(table_no)}"]]
        self.table(head + rows, {(r + 2, c) for r, c in amounts})

    def t5(self) -> None:
        self.para("表五：")
        rows, amounts = self._expenditure_table(5, "一般公共预算支出")
        self._titled("一般公共预算支出情况表", 5, rows, amounts)

    def t6(self) -> None:
        t = self.t
        self.para("表六：")
        nc = 1 if self.joined else 2
        rows = [
            ["项目", "一般公共预算基本支出"],
            ["经济分类科目编码", "经济分类科目名称", "合  计", "人员经费", "公用经费"],
        ]
        if not self.joined:
            rows.append(["类", "款", "", "", "", ""])
        amounts = set()
        for e in t.economic:
            r = len(rows)
            rows.append(
                self.code_cells(e.code)
                + [e.name, self.amt(e.total, 6, False), self.amt(e.personnel, 6), self.amt(e.public_use, 6)]
            )
            amounts |= {(r, nc + 1), (r, nc + 2), (r, nc + 3)}
        total = self._wrong(6, "total_wan_yuan", t.basic_total)
        pers = self._wrong(6, "personnel_wan_yuan", t.personnel_total)
        pub = self._wrong(6, "public_use_wan_yuan", t.public_use_total)
        r = len(rows)
        row = self._total_row(nc, 1, [self.amt(total, 6, False), self.amt(pers, 6, False), self.amt(pub, 6, False)])
        rows.append(row)
        off = len(row) - 3
        amounts |= {(r, off), (r, off + 1), (r, off + 2)}
        self._titled("一般公共预算基本支出情况表", 6, rows, amounts)

    def t7(self) -> None:
        t = self.t
        self.para("表七：")
        nc = 1 if self.joined else 3
        labels = [label for label, _ in C.PROJECT_COLUMNS]
        cols = [c for _, c in C.PROJECT_COLUMNS]
        rows = [["科 目 编 码", "科目", "项目名称"] + labels]
        if not self.joined:
            rows.append(["类", "款", "项"] + [""] * 13)
        amounts = set()
        for p in t.projects:
            r = len(rows)
            values = [self.amt(p.amount, 7, False)] + [self.amt(p.columns.get(c), 7) for c in cols[1:]]
            rows.append(self.code_cells(p.code) + [p.code_name, p.name] + values)
            amounts |= {(r, nc + 2 + j) for j in range(len(values))}
        rows += [[""] * (nc + 2 + len(cols))] * 2
        totals = []
        for c in cols:
            true = t.project_total if c == "total_wan_yuan" else sum((p.columns.get(c, ZERO) for p in t.projects), ZERO)
            totals.append(self.amt(self._wrong(7, c, true), 7, c != "total_wan_yuan"))
        r = len(rows)
        # joined: the code and 科目 cells merge into one empty cell and 合计 sits under 项目名称 (with 合计
        # under 科目 the recognizer keeps "合  计" as the total row's functional_name)
        row = ["", "合  计"] + totals if self.joined else self._total_row(nc, 2, totals)
        rows.append(row)
        off = len(row) - len(cols)
        amounts |= {(r, off + j) for j in range(len(cols))}
        self._titled("一般公共预算项目支出情况表", 7, rows, amounts)

    def t8(self) -> None:
        tp = self.t.three_public
        self.para("表八：")
        self.para("一般公共预算“三公”经费支出情况表")
        self.para(self.unit_line(8))
        rows = [
            ["合  计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
            ["", "合计", "合  计", "公务用车购置费", "公务用车运行费", ""],
            [
                self.amt(x, 8, False)
                for x in (
                    tp.total,
                    tp.overseas_travel,
                    tp.vehicle_total,
                    tp.vehicle_purchase,
                    tp.vehicle_operation,
                    tp.official_reception,
                )
            ],
            [""] * 6,
            [""] * 6,
        ]
        self.table(rows, {(2, c) for c in range(6)})

    def t9(self) -> None:
        self.para("表九：")
        self.para("政府性基金预算支出情况表")
        self.para(self.unit_line(9))
        nc = 1 if self.joined else 3
        rows = [
            ["项  目", "政府性基金预算支出"],
            ["功能分类科目编码", "功能分类科目名称", "合 计", "基本支出", "项目支出"],
        ]
        if not self.joined:
            rows.append(["类", "款", "项", "", "", "", ""])
        rows += [[""] * (nc + 4)] * 3
        rows.append(self._total_row(nc, 1, ["", "", ""]))
        self.table(rows)
        self.para("备注：本单位无政府性基金预算，此表为空表。")

    # ---------------------------------------------------------------- 第三部分
    def narrative(self) -> None:
        t, U, Y = self.t, self.U, self.Y
        T = t.total
        self.para(f"第三部分  {Y}年{U}预算情况说明")
        classes = t.by_class()
        # 一
        self.para(f"一、关于{U}{Y}年收支预算情况的总体说明")
        self.para(
            f"按照全口径预算的原则，{U}{Y}年所有收入和支出均纳入部门（单位）预算管理。"
            f"收支总预算{self.fact('budget.total', None, T)}万元。"
        )
        self.para(f"收入预算包括：一般公共预算{self.fact('income.by_source', '一般公共预算', T)}万元。")
        bad = self.defect("narrative_class")
        parts = []
        for code, a in classes.items():
            printed = bad["printed"] if bad and bad["class_code"] == code else None
            parts.append(
                f"{C.CLASS_NAMES[code]}{self.fact('expenditure.by_class', C.CLASS_NAMES[code], a, printed)}万元"
            )
        self.para("支出预算包括：" + "、".join(parts) + "。")
        # 二
        self.para(f"二、关于{U}{Y}年收入预算情况说明")
        self.para(f"{U}收入预算{self.fact('income.total', None, T)}万元，其中：")
        bad = self.defect("narrative_income")
        g = self.fact("income.by_source", "一般公共预算", T, bad["printed"] if bad else None)
        s = self.fact("income.by_source.share_pct", "一般公共预算", share(T, T))
        self.para(
            f"一般公共预算{g}万元，占{s}%，"
            f"{self.change('income.by_source', T - t.prior.income_general, '一般公共预算')}。"
        )
        for src in ("政府性基金预算", "国有资本经营预算"):
            self.fact("income.by_source", src, ZERO, text="未安排")
            self.para(f"{src}未安排。")
        # 三
        self.para(f"三、关于{U}{Y}年支出预算情况说明")
        self.para(f"{U}{Y}年支出预算{self.fact('expenditure.total', None, T)}万元，其中：")
        for label, key, value, prior in (
            ("基本支出", "expenditure.basic", t.basic_total, t.prior.basic),
            ("项目支出", "expenditure.project", t.project_total, t.prior.project),
        ):
            a = self.fact(key, None, value)
            s = self.fact(f"{key}.share_pct", None, share(value, T))
            self.para(f"{label}{a}万元，占{s}%，{self.change(key, value - prior, None)}。")
        # 四
        self.para(f"四、关于{U}{Y}年财政拨款收支预算情况的总体说明")
        self.para(f"{Y}年财政拨款收支总预算{self.fact('appropriation.total', None, T)}万元。")
        self.para("收入全部为一般公共预算拨款，无政府性基金预算和国有资本经营预算拨款。")
        self.para(
            f"收入预算包括：一般公共预算拨款{self.fact('appropriation.income.by_source', '一般公共预算拨款', T)}万元。"
        )
        parts = [
            f"{C.CLASS_NAMES[c]}{self.fact('appropriation.by_class', C.CLASS_NAMES[c], a)}万元"
            for c, a in classes.items()
        ]
        self.para("一般公共预算支出包括：" + "、".join(parts) + "。")
        # 五
        self.para(f"五、关于{U}{Y}年一般公共预算当年拨款情况说明")
        self.para("（一）一般公共预算当年拨款规模变化情况")
        total = self.fact("general_budget.total", None, T)
        b = self.fact("general_budget.basic", None, t.basic_total)
        cb = self.change("general_budget.basic", t.basic_total - t.prior.basic, None, prior=t.prior.basic, budget=True)
        p = self.fact("general_budget.project", None, t.project_total)
        cp = self.change(
            "general_budget.project", t.project_total - t.prior.project, None, prior=t.prior.project, budget=True
        )
        self.para(f"{U}{Y}年一般公共预算拨款合计{total}万元，其中：基本支出{b}万元，{cb}。项目支出{p}万元，{cp}。")
        self.para("（二）一般公共预算当年拨款结构情况")
        n = 0
        for code, a in classes.items():
            n += 1
            name = C.CLASS_NAMES[code]
            self.para(
                f"{n}.{name}{self.fact('general_budget.by_class', name, a)}万元，"
                f"占{self.fact('general_budget.by_class.share_pct', name, share(a, T))}%。其中："
            )
            for k, e in enumerate([e for e in t.expenditure if e.code[:3] == code], start=1):
                self.para(
                    f"（{k}）{e.name}{self.fact('general_budget.by_item', e.name, e.total)}万元，"
                    f"占一般预算支出的{self.fact('general_budget.by_item.share_pct', e.name, share(e.total, T))}%。"
                )
        p = self.fact("general_budget.project", None, t.project_total)
        self.para(
            f"{n + 1}.项目支出{p}万元，占一般预算支出的"
            f"{self.fact('general_budget.project.share_pct', None, share(t.project_total, T))}%。"
        )
        self.para("（三）一般公共预算当年拨款具体使用情况")
        bad = self.defect("narrative_item")
        for k, e in enumerate(t.expenditure, start=1):
            cls = C.CLASS_NAMES[e.code[:3]].removesuffix("支出")
            kuan = C.KUAN_NAMES[e.code[:5]]
            printed = bad["printed"] if bad and bad["code"] == e.code else None
            a = self.fact("general_budget.item_detail", e.name, e.total, printed, text=f"{cls}/{kuan}/{e.name}")
            prior = t.prior.items.get(e.code, ZERO)
            c = self.change(
                "general_budget.item_detail",
                e.total - prior,
                e.name,
                prior=prior,
                budget=True,
                number=True,
                template_zero=True,
            )
            self.para(f"{k}.{cls}（类）{kuan}（款）{e.name}（项）：{Y}年预算数为{a}万元，{c}。")
        # 六
        self.para(f"六、关于{U}{Y}年一般公共预算基本支出情况说明")
        self.para(f"{U}{Y}年一般公共预算基本支出{self.fact('basic.total', None, t.basic_total)}万元，其中：")
        for label, key, attr in (
            ("人员经费", "basic.personnel", "personnel"),
            ("公用经费", "basic.public_use", "public_use"),
        ):
            value = t.personnel_total if attr == "personnel" else t.public_use_total
            head = self.fact(key, None, value)
            items = [
                f"{e.name}{self.fact(f'{key}.item', e.name, getattr(e, attr))}万元"
                for e in t.economic
                if getattr(e, attr)
            ]
            self.para(f"{label}{head}万元，主要包括：" + "、".join(items) + "。")
        # 七
        self.para(f"七、关于{U}{Y}年一般公共预算项目支出情况说明")
        bad = self.defect("project_name_narrative")
        region = "州" if t.unit.region_code == "652300" else t.unit.region_name
        for i, p in enumerate(t.projects):
            name = bad["variant"] if bad and bad["project"] == i else p.name
            self.fact("project.name", name, None, text=name)
            self.para(f"{i + 1}、项目名称：{name}")
            self.fact("project.policy_basis", name, None, text=p.policy_basis)
            self.para(f"设立的政策依据：{p.policy_basis}")
            self.para(
                f"预算安排规模：{region}本级财力项目支出预算安排{self.fact('project.amount', name, p.amount)}万元"
            )
            undertaker = self.unit_variant_or(U)
            self.fact("project.undertaking_unit", name, None, text=undertaker)
            self.para(f"项目承担单位：{undertaker}")
            self.fact("project.allocation", name, None, text=p.allocation)
            self.para(f"资金分配情况：{p.allocation}")
            self.fact("project.period", name, None, text=f"{Y}年1月-12月")
            self.para(f"资金执行时间：{Y}年1月-12月")
        # 八
        self.three_public()
        # 九
        self.para(f"九、关于{self.unit_variant_or(U)}{Y}年政府性基金预算拨款情况说明")
        self.fact("gov_fund.total", None, ZERO, text="没有使用政府性基金预算拨款安排的支出")
        self.para(f"{U}{Y}年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。")
        # 十
        self.para("十、其他重要事项的情况说明")
        self.para("（一）机关运行经费情况")
        bad = self.defect("operating_cost")
        oc = self.fact("operating_cost.total", None, t.public_use_total, bad["printed"] if bad else None)
        c = self.change(
            "operating_cost", t.public_use_total - t.prior.public_use, None, prior=t.prior.public_use, budget=True
        )
        self.para(f"{Y}年，{U}的机关运行经费财政拨款预算{oc}万元，{c}。")
        self.procurement()
        self.assets()
        self.performance()
        self.para("（五）其他需说明的事项")
        self.para("无其他需要说明的事项。")

    def unit_variant_or(self, name: str) -> str:
        p = self.defect("unit_variant")
        return p["variant"] if p else name

    def change(
        self,
        key: str,
        delta: Decimal,
        subject: str | None,
        prior: Decimal | None = None,
        budget: bool = False,
        number: bool = False,
        template_zero: bool = False,
    ) -> str:
        """比上年增加/减少 X万元[，增长/下降 Y%]，主要原因是…; records the change (and %) facts."""
        basis = "比上年预算数" if number else ("比上年预算" if budget else "比上年")
        if delta == 0 and not template_zero:
            self.fact(f"{key}.change", subject, ZERO, text="无变化")
            return "与上年相比无变化"
        direction, magnitude = signed_change(delta)
        self.fact(f"{key}.change", subject, delta)
        text = f"{basis}{direction}{magnitude}万元"
        if delta == 0:
            self.fact(f"{key}.change_pct", subject, ZERO)
            return text + "，增长（下降）0%，主要原因是：无增减变化"
        p = pct(delta, prior) if prior is not None else None
        if p is not None:
            self.fact(f"{key}.change_pct", subject, p if delta > 0 else -p)
            text += f"，{'增长' if delta > 0 else '下降'}{plain(p)}%"
        reasons = C.REASONS_UP if delta > 0 else C.REASONS_DOWN
        return text + f"，主要原因是：{reasons[len(key) % len(reasons)]}"

    def three_public(self) -> None:
        t, U, Y = self.t, self.U, self.Y
        tp, prior = t.three_public, t.prior.three_public
        self.para(f"八、关于{U}{Y}年一般公共预算“三公”经费预算情况说明")
        bad = self.defect("three_public_part")

        def part(key: str, value: Decimal, subject: str) -> str:
            printed = bad["printed"] if bad and bad["part"] == key else None
            return self.fact(f"three_public.{key}", subject, value, printed)

        total = self.fact("three_public.total", None, tp.total)
        self.para(
            f"{U}{Y}年一般公共预算“三公”经费数为{total}万元，其中："
            f"因公出国（境）费{part('overseas_travel', tp.overseas_travel, '因公出国（境）费')}万元，"
            f"公务用车购置{part('vehicle_purchase', tp.vehicle_purchase, '公务用车购置')}万元，"
            f"公务用车运行费{part('vehicle_operation', tp.vehicle_operation, '公务用车运行费')}万元，"
            f"公务接待费{part('official_reception', tp.official_reception, '公务接待费')}万元。"
        )
        change = tp.total - prior.total
        if change == 0:
            self.fact("three_public.change.total", None, ZERO, text="无变化")
            head = f"{Y}年一般公共预算“三公”经费与上年持平，其中："
        else:
            d, m = signed_change(change)
            self.fact("three_public.change.total", None, change)
            head = f"{Y}年一般公共预算“三公”经费比上年{d}{m}万元，其中："
        bad_change = self.defect("three_public_change")
        clauses = []
        for key, label in (
            ("overseas_travel", "因公出国（境）费"),
            ("vehicle_purchase", "公务用车购置费"),
            ("vehicle_operation", "公务用车运行费"),
            ("official_reception", "公务接待费"),
        ):
            delta = getattr(tp, key) - getattr(prior, key)
            printed = delta + bad_change["delta"] if bad_change and bad_change["part"] == key else delta
            if key == "vehicle_purchase" and not getattr(tp, key) and not getattr(prior, key) and printed == 0:
                clauses.append("公务用车购置费为0万元，未安排预算")
                continue
            self.fact(f"three_public.change.{key}", label, delta, printed if printed != delta else None)
            d, m = signed_change(printed)
            why = "无增减变化" if printed == 0 else ("工作需要" if printed > 0 else "厉行节约")
            clauses.append(f"{label}比上年{d}{m}万元，主要原因是{why}")
        self.para(head + "；".join(clauses) + "。")

    def procurement(self) -> None:
        t, U, Y = self.t, self.U, self.Y
        pr = t.procurement
        self.para("（二）政府采购情况")
        bad = self.defect("procurement")
        total = self.fact("procurement.total", None, pr.total)
        g = self.fact("procurement.goods", "政府采购货物预算", pr.goods)
        w = self.fact("procurement.works", "政府采购工程预算", pr.works)
        s = self.fact(
            "procurement.services", "政府采购服务预算", pr.services, pr.services + bad["delta"] if bad else None
        )
        self.para(
            f"{Y}年，{U}政府采购预算{total}万元，其中：政府采购货物预算{g}万元，政府采购工程预算{w}万元，"
            f"政府采购服务预算{s}万元。"
        )
        sme = self.fact("procurement.sme_reserved", None, pr.sme_reserved)
        small = self.fact("procurement.small_micro_reserved", None, pr.small_micro_reserved)
        self.para(
            f"{Y}年度本部门（单位）面向中小企业预留政府采购项目预算金额{sme}万元，其中：面向小微企业预留政府采购项目预算金额"
            f"{small}万元。"
        )

    def assets(self) -> None:
        t, U, Y = self.t, self.U, self.Y
        a = t.assets
        self.para("（三）国有资产占用使用情况")
        self.fact("assets.as_of_date", None, None, text=f"{a.as_of_year}-12-31")
        self.para(f"截至{a.as_of_year}年底，{U}占用使用国有资产总体情况为")
        area = self.fact("assets.building.area_m2", None, a.building_area_m2)
        value = self.fact("assets.building.value", None, a.building_value)
        self.para(f"1.房屋{area}平方米，价值{value}万元。")
        bad = self.defect("vehicle_kinds")
        n = self.fact("assets.vehicle.count", None, Decimal(a.vehicle_count))
        v = self.fact("assets.vehicle.value", None, a.vehicle_value)
        kinds = []
        for veh in a.vehicles:
            printed = Decimal(veh.count + bad["delta"]) if bad and bad["vehicle_kind"] == veh.kind else None
            c = self.fact("assets.vehicle_kind.count", veh.kind, Decimal(veh.count), printed)
            kinds.append((veh.kind, c, veh.value))
        parts = []
        for kind, c, val in kinds:  # the recognizer emits count then value per kind
            parts.append(f"{kind}{c}辆，价值{plain(val)}万元")
        # re-order the facts: count, value per kind (as the recognizer reads them)
        kind_facts = self.facts[-len(kinds) :]
        del self.facts[-len(kinds) :]
        for f, veh in zip(kind_facts, a.vehicles):
            self.facts.append(f)
            self.fact("assets.vehicle_kind.value", veh.kind, veh.value)
        self.para(f"2.车辆{n}辆，价值{v}万元；其中：" + "；".join(parts) + "。")
        self.para(f"3.办公家具价值{self.fact('assets.furniture.value', None, a.furniture_value)}万元。")
        self.para(f"4.其他资产价值{self.fact('assets.other.value', None, a.other_value)}万元。")
        e50 = self.fact("assets.equipment_over_500k.count", None, Decimal(a.equipment_over_500k))
        e100 = self.fact("assets.equipment_over_1m.count", None, Decimal(a.equipment_over_1m))
        self.para(f"单位价值50万元以上大型设备{e50}台（套），单位价值100万元以上大型设备{e100}台（套）。")
        if a.planned_vehicles:
            pv = f"安排购置车辆{self.fact('assets.planned.vehicle.count', None, Decimal(a.planned_vehicles))}辆"
        else:
            self.fact("assets.planned.vehicle.count", None, ZERO, text="未安排购置车辆经费")
            pv = "未安排购置车辆经费"
        p50 = self.fact("assets.planned.equipment_over_500k.count", None, Decimal(a.planned_equipment_over_500k))
        p100 = self.fact("assets.planned.equipment_over_1m.count", None, Decimal(a.planned_equipment_over_1m))
        self.para(
            f"{Y}年{U}部门预算{pv}，安排购置50万元以上大型设备{p50}台（套），单位价值100万元以上大型设备{p100}台（套）。"
        )

    def performance(self) -> None:
        t, Y = self.t, self.Y
        self.para("（四）预算绩效情况")
        bad = self.defect("performance_count")
        n = Decimal(len(t.projects))
        count = self.fact("performance.project_count", None, n, n + bad["delta"] if bad else None)
        amount = self.fact("performance.amount", None, t.project_total)
        self.para(
            f"{Y}年度，本年度实行绩效管理的一般公共预算项目{count}个，涉及预算金额{amount}万元。具体情况见下表（按项目分别填报）："
        )
        bad_name = self.defect("project_name_target")
        bad_cost = self.defect("cost_indicator")
        for i, p in enumerate(t.projects):
            name = bad_name["variant"] if bad_name and bad_name["project"] == i else p.name
            self.para("项  目  支  出  绩  效  目  标  表")
            F = plain(p.amount)
            rows = [
                [f"（{Y}年）"],
                ["预算单位", self.U, "项目名称", name],
                ["项目资金（万元）", "年度资金总额：", F, "其中：财政拨款", F, "其他资金", ""],
                ["项目总体目标", p.goal],
                ["一级指标", "二级指标", "三级指标", "指标值（包含数字及文字描述）"],
            ]
            amounts = {(2, 2), (2, 4)}
            last1 = None
            for ind in p.indicators:
                value = ind.target_value
                if ind.level2 == "成本指标" and bad_cost and bad_cost["project"] == i:
                    value = plain(bad_cost["printed"])
                r = len(rows)
                rows.append([ind.level1 if ind.level1 != last1 else "", ind.level2, ind.level3, value])
                if ind.level2 == "成本指标" and t.layout.full_wording:
                    amounts.add((r, 3))
                last1 = ind.level1
            self.table(rows, amounts)

    def glossary(self) -> None:
        scope = "州本级" if self.t.unit.region_code == "652300" else f"{self.t.unit.region_name}本级"
        self.para("第四部分  名词解释")
        self.para("名词解释：")
        for line in (
            "一、财政拨款：指由一般公共预算、政府性基金预算安排的财政拨款数。",
            "二、一般公共预算：包括公共财政拨款（补助）资金、专项收入。",
            "三、财政专户管理资金：包括专户管理行政事业性收费（主要是教育收费）、其他非税收入。",
            "四、其他资金：包括事业收入、事业经营收入、其他收入等。",
            "五、基本支出：包括人员经费、商品和服务支出（定额）。其中，人员经费包括工资福利支出、对个人和家庭的补助。",
            f"六、项目支出：部门（单位）支出预算的组成部分，是{scope}部门（单位）为完成其特定的行政任务或事业发展目标，"
            "在基本支出预算之外编制的年度项目支出计划。",
            f"七、“三公”经费：指{scope}部门（单位）用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
            "八、机关运行经费：指各部门（单位）的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、"
            "专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费及其他费用。",
        ):
            self.para(line)


def number_lines(grid: GridDocument) -> None:
    """Set line numbers as the 'cells' text layout places them (what ingest.readers.text reports)."""
    line = 1
    for b in grid.blocks:
        if isinstance(b, Paragraph):
            b.line = line
            line += 1
        else:
            b.line = line
            b.row_lines = []
            for row in b.rows:
                b.row_lines.append(line)
                line += len(row) + 1


def layout(t: DisclosureTruth) -> GeneratedGrid:
    """Lay the truth out as a grid in its template family (`t.layout.template`); fills `t.facts`
    with every figure the narrative states."""
    if t.layout.template == "national":
        from generator.national import NationalLayout

        return NationalLayout(t).build()
    if t.layout.template != "changji":
        raise ValueError(f"unknown template family {t.layout.template!r} (known: changji, national)")
    return Layout(t).build()
