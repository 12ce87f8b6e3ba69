"""A generated 决算 (`FinalAccountsTruth`) → GridDocument, in the central 部门决算 template.

The layout imitates ../shared/real-disclosures/final-accounts/cn-guojia-xinfangju-2024-juesuan.pdf
(国家信访局 2024年度部门决算): a cover ({unit} / {Y}年度部门决算), 第一部分 概况, 第二部分 the nine 公开表,
each under its title, 公开0N表 and "部门：{unit} 金额单位：万元":

    公开01表 收入支出决算总表        项目 | 行次 | 金额 twice (收入 | 支出), 栏次 row, 八 income lines beside
                                     the 类 lines, 本年收入/支出合计, 使用非财政拨款结余 / 结余分配, 年初 / 年末
                                     结转和结余, 总计 on both sides
    公开02表 收入决算表              科目代码 | 科目名称 | 本年收入合计 | 财政拨款收入 | 上级补助收入 | 事业收入 |
                                     经营收入 | 附属单位上缴收入 | 其他收入; 合计 first, then 类/款/项 lines
    公开03表 支出决算表              … | 本年支出合计 | 基本支出 | 项目支出 | 上缴上级支出 | 经营支出 |
                                     对附属单位补助支出
    公开04表 财政拨款收入支出决算总表  收入 项目 | 行次 | 金额; 支出 项目 | 行次 | 合计 | 一般公共预算财政拨款 |
                                     政府性基金预算财政拨款 | 国有资本经营预算财政拨款
    公开05表 一般公共预算财政拨款支出决算表  本年支出 (小计 | 基本支出 | 项目支出)
    公开06表 一般公共预算财政拨款基本支出决算表  three groups of 科目代码 | 科目名称 | 决算数 side by side
                                     (301/303 | 302 | 307/310/399), closed by 人员经费合计 / 公用经费合计
    公开07表 政府性基金预算财政拨款收入支出决算表  empty, with its 说明
    公开08表 国有资本经营预算财政拨款支出决算表    empty, with its 说明
    公开09表 一般公共预算财政拨款“三公”经费支出决算表  预算数 block then 决算数 block (合计 | 因公出国（境）费 |
                                     公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费)

then 第三部分 情况说明 (its figures recorded as `StatedFact`s into `t.facts`) and 第四部分 名词解释.
Amounts print with two decimals (with thousands separators when the layout variant says so, as the
real file prints them); zero cells are blank, totals always print.

Left out although the real template prints it (docs/generator.md, "决算"): nothing yet — see the
list there when the recognizer misreads a variant.
"""

from __future__ import annotations

from decimal import Decimal

from generator import catalog as C
from generator.final_accounts import FinalAccountsTruth, FinalLine, item_lines, pct
from generator.layout import GeneratedGrid, Layout, number_lines, plain
from generator.national import cn_number
from generator.truth import ZERO

FINAL_NOTICE = "【模拟数据】本文件由生成器合成，用于测试，不是真实的决算公开文件。"
INCOME_LINES = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
SUMMARY_CLASSES = [(code, name) for code, name in C.CLASS_LIST if code not in ("209", "227", "230", "233")]
TITLES = {
    1: "收入支出决算总表",
    2: "收入决算表",
    3: "支出决算表",
    4: "财政拨款收入支出决算总表",
    5: "一般公共预算财政拨款支出决算表",
    6: "一般公共预算财政拨款基本支出决算表",
    7: "政府性基金预算财政拨款收入支出决算表",
    8: "国有资本经营预算财政拨款支出决算表",
    9: "一般公共预算财政拨款“三公”经费支出决算表",
}
THREE_PUBLIC_HEAD = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"]
THREE_PUBLIC_SUBHEAD = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]
GROUP3 = [("307", "债务利息及费用支出"), ("310", "资本性支出"), ("399", "其他支出")]


def class_label(code: str) -> str:
    """一般公共服务支出 → 一般公共服务 (as 情况说明 prints “一般公共服务（类）”)."""
    name = C.CLASS_NAMES[code]
    return name[:-2] if name.endswith("支出") else name


class FinalLayout(Layout):
    def __init__(self, t: FinalAccountsTruth):
        super().__init__(t)  # type: ignore[arg-type]
        self.t: FinalAccountsTruth = t  # type: ignore[assignment]

    # ---------------------------------------------------------------- helpers
    in_yuan = False  # the table being laid out prints 元 (the layout variant's yuan_table)

    def amt(self, x: Decimal | None, blank_zero: bool = True) -> str:
        if x is None or (blank_zero and x == 0):
            return ""
        if self.in_yuan:
            x = x * 10000
        return f"{x:,.2f}" if self.t.layout.thousands else f"{x:.2f}"

    def heading(self, no: int) -> None:
        """A table's title lines; the table prints 元 when the layout variant names it (as district templates
        print some tables: 金额单位：元), 万元 otherwise."""
        self.in_yuan = self.t.layout.yuan_table == no
        self.para(TITLES[no])
        self.para(f"公开{no:02d}表")
        self.para(f"部门：{self.U} 金额单位：{'元' if self.in_yuan else '万元'}")

    def code_lines(self, lines: list[FinalLine], values) -> list[tuple[str, str, list[Decimal]]]:
        """(code, name, amounts) of each 类, then each of its 款, then that 款's 项: each line with its sums
        (`values(line)` → the 项's amounts)."""
        out = []
        for cls in sorted({x.code[:3] for x in lines}):
            in_cls = [x for x in lines if x.code[:3] == cls]
            out.append((cls, C.CLASS_NAMES[cls], _sums(in_cls, values)))
            for kuan in sorted({x.code[:5] for x in in_cls}):
                in_kuan = [x for x in in_cls if x.code[:5] == kuan]
                out.append((kuan, C.KUAN_NAMES[kuan], _sums(in_kuan, values)))
                out += [(x.code, x.name, list(values(x))) for x in in_kuan]
        return out

    def code_table(self, head: list[list[str]], total: list[Decimal], lines, width: int) -> None:
        """The header rows, 合计 (spanning 科目代码 and 科目名称), then the code lines; `width` amount columns.
        With the `split` code layout (as 上海's 区 决算 print them) the code stands in 类 | 款 | 项 cells, the
        header has no 栏次 row and the 合计 line carries the 类/款/项 labels."""
        amounts = (
            [self.amt(total[0], blank_zero=False)] + [self.amt(x) for x in total[1:]] + [""] * (width - len(total))
        )
        if self.t.layout.code_layout == "split":
            rows = [
                ["项目", "", "", ""] + head[0][2:],
                ["功能分类科目编码", "", "", "科目名称"] + head[1][2:],
                ["类", "款", "项", "合计"] + amounts,
            ]
            for code, name, values in lines:
                rows.append(
                    [code[:3], code[3:5], code[5:], name] + [self.amt(x) for x in values] + [""] * (width - len(values))
                )
            self.table(rows)
            return
        rows = [list(r) for r in head]
        first = {len(rows)}
        rows.append(["合计"] + amounts)
        for code, name, values in lines:
            rows.append([code, name] + [self.amt(x) for x in values] + [""] * (width - len(values)))
        self.table(rows, first_cell_spans=first)

    # ---------------------------------------------------------------- document
    def build(self) -> GeneratedGrid:
        t = self.t
        self.para(FINAL_NOTICE)
        self.para(self.U)
        self.para(f"{self.Y}年度部门决算")
        self.profile()
        self.para(f"第二部分  {self.U}{self.Y}年度部门决算表")
        for fn in (self.t1, self.t2, self.t3, self.t4, self.t5, self.t6, self.t7, self.t8, self.t9):
            fn()
        self.narrative()
        self.glossary()
        self.para(self.U)
        y, m, d = t.signed.split("-")
        self.para(f"{int(y)}年{int(m)}月{int(d)}日")
        t.facts = self.facts
        grid = GeneratedGrid(
            source_name=t.file_name,
            blocks=self.blocks,
            reader="text",
            encoding=t.layout.encoding,
            amount_cells=self.amount_cells,
            first_cell_spans=self.first_cell_spans,
        )
        number_lines(grid)
        return grid

    def profile(self) -> None:
        self.para(f"第一部分  {self.U}概况")
        self.para("一、部门职责")
        self.para(f"{self.U}负责本地区相关领域的综合协调、监督管理和公共服务工作，完成党委、政府交办的其他任务。")
        self.para("二、机构设置")
        self.para(f"{self.U}部门决算包括：本级决算。")

    def t1(self) -> None:
        t = self.t
        self.heading(1)
        income = {INCOME_LINES[0]: t.appropriation_income, "其他收入": t.other_income}
        classes = t.by_class()
        rows = [
            ["收入", "", "", "支出"],
            ["项目", "行次", "金额", "项目", "行次", "金额"],
            ["栏次", "", "1", "栏次", "", "2"],
        ]
        n = len(SUMMARY_CLASSES)
        for i in range(n):
            left = (
                [f"{cn_number(i + 1)}、{INCOME_LINES[i]}", str(i + 1), self.amt(income.get(INCOME_LINES[i]))]
                if i < len(INCOME_LINES)
                else ["", str(i + 1), ""]
            )
            code, name = SUMMARY_CLASSES[i]
            rows.append(left + [f"{cn_number(i + 1)}、{name}", str(n + 5 + i), self.amt(classes.get(code))])
        k = n + 1
        rows += [
            [
                "本年收入合计",
                str(k),
                self.amt(t.income_total, blank_zero=False),
                "本年支出合计",
                str(2 * n + 5),
                self.amt(t.expenditure_total, blank_zero=False),
            ],
            ["使用非财政拨款结余", str(k + 1), "", "结余分配", str(2 * n + 6), ""],
            [
                "年初结转和结余",
                str(k + 2),
                self.amt(t.begin_total),
                "年末结转和结余",
                str(2 * n + 7),
                self.amt(t.end_total),
            ],
            [
                "总计",
                str(k + 3),
                self.amt(t.total, blank_zero=False),
                "总计",
                str(2 * n + 8),
                self.amt(t.total, blank_zero=False),
            ],
        ]
        self.table(rows)
        self.para("注：本表反映部门本年度的总收支和年末结转结余情况。")

    def t2(self) -> None:
        t = self.t
        self.heading(2)
        head = [
            [
                "项目",
                "",
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ],
            ["科目代码", "科目名称", "", "", "", "", "", "", ""],
            ["栏次", "", "1", "2", "3", "4", "5", "6", "7"],
        ]
        lines = [x for x in t.lines if x.income_total]
        self.code_table(
            head,
            [t.income_total, t.appropriation_income, ZERO, ZERO, ZERO, ZERO, t.other_income],
            self.code_lines(
                lines, lambda x: [x.income_total, x.income_appropriation, ZERO, ZERO, ZERO, ZERO, x.income_other]
            ),
            7,
        )
        self.para("注：本表反映部门本年度取得的各项收入情况。")

    def t3(self) -> None:
        t = self.t
        self.heading(3)
        head = [
            ["项目", "", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
            ["科目代码", "科目名称", "", "", "", "", "", ""],
            ["栏次", "", "1", "2", "3", "4", "5", "6"],
        ]
        bad = t.defect("wrong_total")
        total = t.expenditure_total + (bad["delta"] if bad else ZERO)
        self.code_table(
            head,
            [total, t.basic_total, t.project_total],
            self.code_lines(t.spent, lambda x: [x.total, x.basic, x.project]),
            6,
        )
        self.para("注：本表反映部门本年度各项支出情况。")

    def t4(self) -> None:
        t = self.t
        self.heading(4)
        classes = t.by_class(gb=True)
        funds = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
        rows = [["收入", "", "", "支出"], ["项目", "行次", "金额", "项目", "行次", "合计", *funds]]
        n = len(SUMMARY_CLASSES)
        for i in range(n):
            left = (
                [f"{cn_number(i + 1)}、{funds[i]}", str(i + 1), self.amt(t.appropriation_income if i == 0 else None)]
                if i < 3
                else ["", str(i + 1), ""]
            )
            code, name = SUMMARY_CLASSES[i]
            a = classes.get(code)
            rows.append(left + [f"{cn_number(i + 1)}、{name}", str(n + 7 + i), self.amt(a), self.amt(a), "", ""])
        k, j = n + 1, 2 * n + 7
        S, E, B, T = t.gb_total, t.appropriation_end, t.appropriation_begin, t.appropriation_total
        rows += [
            [
                "本年收入合计",
                str(k),
                self.amt(t.appropriation_income, blank_zero=False),
                "本年支出合计",
                str(j),
                self.amt(S, blank_zero=False),
                self.amt(S, blank_zero=False),
                "",
                "",
            ],
            [
                "年初财政拨款结转和结余",
                str(k + 1),
                self.amt(B),
                "年末财政拨款结转和结余",
                str(j + 1),
                self.amt(E),
                self.amt(E),
                "",
                "",
            ],
            [funds[0], str(k + 2), self.amt(B), "", str(j + 2), "", "", "", ""],
            [funds[1], str(k + 3), "", "", str(j + 3), "", "", "", ""],
            [funds[2], str(k + 4), "", "", str(j + 4), "", "", "", ""],
            [
                "总计",
                str(k + 5),
                self.amt(T, blank_zero=False),
                "总计",
                str(j + 5),
                self.amt(T, blank_zero=False),
                self.amt(T, blank_zero=False),
                "",
                "",
            ],
        ]
        self.table(rows)
        self.para(
            "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末"
            "结转结余情况。"
        )

    def t5(self) -> None:
        t = self.t
        self.heading(5)
        head = [
            ["项目", "", "本年支出", "", ""],
            ["科目代码", "科目名称", "小计", "基本支出", "项目支出"],
            ["栏次", "", "1", "2", "3"],
        ]
        lines = [x for x in t.lines if x.gb_total]
        self.code_table(
            head,
            [t.gb_total, t.gb_basic_total, t.gb_project_total],
            self.code_lines(lines, lambda x: [x.gb_total, x.gb_basic, x.gb_project]),
            3,
        )
        self.para("注：本表反映部门本年度一般公共预算财政拨款支出情况。")

    def t6(self) -> None:
        t = self.t
        self.heading(6)
        groups: list[list[tuple[str, str, Decimal | None]]] = [[], [], []]
        for cls in ("301", "303", "302"):
            rows = [r for r in t.economic if r.code[:3] == cls]
            if not rows:
                continue
            target = groups[1] if cls == "302" else groups[0]
            target.append((cls, C.ECON_CLASS_NAMES[cls], sum((r.total for r in rows), ZERO)))
            target += [(r.code, r.name, r.total) for r in rows]
        groups[2] = [(code, name, None) for code, name in GROUP3]
        n = max(len(g) for g in groups)
        rows = [["人员经费", "", "", "公用经费", "", "", "", "", ""], ["科目代码", "科目名称", "决算数"] * 3]
        for i in range(n):
            row: list[str] = []
            for g in groups:
                row += [g[i][0], g[i][1], self.amt(g[i][2])] if i < len(g) else ["", "", ""]
            rows.append(row)
        rows.append(
            [
                "",
                "人员经费合计",
                self.amt(t.personnel_total, blank_zero=False),
                "",
                "公用经费合计",
                self.amt(t.public_use_total, blank_zero=False),
                "",
                "",
                "",
            ]
        )
        self.table(rows)
        self.para("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")

    def t7(self) -> None:
        self.heading(7)
        self.table(
            [
                ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                ["功能分类科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
                ["栏次", "", "1", "2", "3", "4", "5", "6"],
                ["合计", "", "", "", "", "", "", ""],
            ]
        )
        self.para("注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。")
        self.para(f"说明：{self.U}没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。")

    def t8(self) -> None:
        self.heading(8)
        self.table(
            [
                ["项目", "", "本年支出", "", ""],
                ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                ["栏次", "", "1", "2", "3"],
                ["合计", "", "", "", ""],
            ]
        )
        self.para("注：本表反映部门本年度国有资本经营预算财政拨款支出情况。")
        self.para(f"说明：{self.U}没有国有资本经营预算，也没有使用国有资本经营预算安排的支出，故本表无数据。")

    def t9(self) -> None:
        t = self.t
        self.heading(9)

        def block(tp) -> list[str]:
            return [self.amt(tp.total, blank_zero=False)] + [
                self.amt(x)
                for x in (
                    tp.overseas_travel,
                    tp.vehicle_total,
                    tp.vehicle_purchase,
                    tp.vehicle_operation,
                    tp.official_reception,
                )
            ]

        self.table(
            [
                ["预算数", "", "", "", "", "", "决算数"],
                THREE_PUBLIC_HEAD * 2,
                THREE_PUBLIC_SUBHEAD * 2,
                [str(k) for k in range(1, 13)],
                block(t.three_public_budget) + block(t.three_public_final),
            ]
        )
        self.para(
            "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后"
            "的预算数；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。"
        )

    # ---------------------------------------------------------------- 第三部分
    def reason(self, bigger: bool, what: str = "") -> str:
        if self.placeholder_pending:
            self.placeholder_pending = False
            return "XX"
        return f"{what}预算执行中追加了预算，相应增加支出" if bigger else f"{what}严格控制支出，部分工作未按计划开展"

    def narrative(self) -> None:
        self.in_yuan = False
        t, U, Y = self.t, self.U, self.Y
        self.placeholder_pending = t.defect("placeholder") is not None
        self.shanghai = t.layout.code_layout == "split"
        self.para(f"第三部分  {U}{Y}年度部门决算情况说明")
        # 一
        self.para("一、收入支出决算总体情况说明")
        bad = t.defect("narrative_total")
        # the 上海 区 wording with the split-code variant (收入支出总计, 财政拨款收入支出总计, 年初预算为), the
        # central one otherwise (收、支总计, 财政拨款收、支总决算, 预算为)
        total_words = "收入支出总计" if self.shanghai else "收、支总计"
        self.para(
            f"{U}{Y}年度{total_words}{self.fact('final.total', None, t.total, bad['printed'] if bad else None)}万元。"
        )
        self.para("（一）收入决算具体情况")
        k = 1
        self.para(f"{k}.一般公共预算财政拨款收入{plain(t.appropriation_income)}万元，为{U}当年从本级财政取得的资金。")
        if t.other_income:
            k += 1
            self.para(f"{k}.其他收入{plain(t.other_income)}万元，为{U}在财政拨款收入之外取得的收入。")
        self.para(
            f"{k + 1}.年初结转和结余{plain(t.begin_total)}万元，为{U}以前年度支出预算尚未完成，结转到本年仍按原规定"
            "用途继续使用的资金。"
        )
        self.para("（二）支出决算具体情况")
        classes = t.by_class()
        for k, (code, amount) in enumerate(classes.items(), 1):
            self.para(f"{k}.{class_label(code)}（类）支出{plain(amount)}万元。")
        self.para(
            f"{len(classes) + 1}.年末结转和结余{plain(t.end_total)}万元，为本年度或以前年度预算尚未完成，需要延迟到以后"
            "年度按有关规定继续使用的资金。"
        )
        # 二、三
        self.para("二、收入决算情况说明")
        income = (
            f"{U}{Y}年度本年收入合计{self.fact('final.income_total', None, t.income_total)}万元，其中："
            f"一般公共预算财政拨款收入{plain(t.appropriation_income)}万元，"
            f"占{pct(t.appropriation_income, t.income_total)}%"
        )
        if t.other_income:
            income += f"；其他收入{plain(t.other_income)}万元，占{pct(t.other_income, t.income_total)}%"
        self.para(income + "。")
        self.para("三、支出决算情况说明")
        E = t.expenditure_total
        self.para(
            f"{U}{Y}年度本年支出合计{self.fact('final.expenditure_total', None, E)}万元，其中：基本支出"
            f"{plain(t.basic_total)}万元，占比{pct(t.basic_total, E)}%；项目支出{plain(t.project_total)}万元，占比"
            f"{pct(t.project_total, E)}%；无经营支出。"
        )
        # 四
        self.para("四、财政拨款收入支出决算总体情况说明")
        words = "财政拨款收入支出总计" if self.shanghai else "财政拨款收、支总决算"
        self.para(f"{U}{Y}年度{words}{self.fact('final.appropriation_total', None, t.appropriation_total)}万元。")
        # 五
        self.para("五、一般公共预算财政拨款支出决算情况说明")
        self.para("（一）财政拨款支出决算总体情况")
        G = t.gb_total
        self.para(
            f"{U}{Y}年度财政拨款支出{self.fact('final.general_budget.actual', None, G)}万元，占本年支出合计的"
            f"{pct(G, E)}%。"
        )
        self.para("（二）财政拨款支出决算结构情况")
        gb_classes = t.by_class(gb=True)
        self.para(
            f"{U}{Y}年度财政拨款支出主要用于以下方面："
            + "；".join(f"{class_label(c)}（类）支出{plain(a)}万元，占{pct(a, G)}%" for c, a in gb_classes.items())
            + "。"
        )
        self.para("（三）财政拨款支出决算具体情况")
        B = t.budget_total
        total_line = (
            f"{U}{Y}年度财政拨款支出年初预算为{self.fact('final.general_budget.budget', None, B)}万元，"
            f"支出决算为{plain(G)}万元"
        )
        if B:
            bad = t.defect("completion_pct")
            total_line += f"，完成年初预算的{self._pct_fact('final.general_budget.completion_pct', None, G, B, bad)}%"
        self.para(total_line + "。其中：")
        bad = t.defect("item_narrative")
        for k, x in enumerate(item_lines(t), 1):
            kuan = C.KUAN_NAMES[x.code[:5]]
            subject = f"{class_label(x.code[:3])}（类）{kuan}（款）{x.name}（项）"
            folded = _fold(subject)
            budget = x.budget or ZERO
            printed = bad["printed"] if bad and bad["code"] == x.code else None
            actual = x.gb_total if printed is None else printed
            text = (
                f"{k}.{subject}。年初预算为{self.fact('final.item.budget', folded, budget)}万元，支出决算为"
                f"{self.fact('final.item.actual', folded, x.gb_total, printed)}万元"
            )
            if budget:
                text += f"，完成年初预算的{self._pct_fact('final.item.completion_pct', folded, actual, budget)}%"
            text += "。"
            if actual != budget:
                bigger = actual > budget
                text += f"决算数{'大于' if bigger else '小于'}预算数的主要原因是{self.reason(bigger)}。"
            self.para(text)
        # 六
        self.para("六、一般公共预算财政拨款基本支出决算情况说明")
        econ_names = "、".join(r.name for r in t.economic if r.personnel)
        public_names = "、".join(r.name for r in t.economic if r.public_use)
        self.para(
            f"{U}{Y}年度财政拨款基本支出{self.fact('final.basic.total', None, t.gb_basic_total)}万元，其中：人员经费"
            f"{self.fact('final.basic.personnel', None, t.personnel_total)}万元，主要包括：{econ_names}；公用经费"
            f"{self.fact('final.basic.public', None, t.public_use_total)}万元，主要包括：{public_names}。"
        )
        # 七
        self.para("七、一般公共预算财政拨款“三公”经费支出决算情况说明")
        self.para("（一）“三公”经费财政拨款支出决算总体情况说明")
        tb, tf = t.three_public_budget, t.three_public_final
        bad = t.defect("three_public_narrative")
        shown = tf.total if bad is None else bad["printed"]
        text = (
            f"{U}{Y}年度“三公”经费财政拨款支出{'年初' if self.shanghai else ''}"
            f"预算为{self.fact('final.three_public.budget', None, tb.total)}万元，"
            f"{Y}年度支出决算为{self.fact('final.three_public.total', None, tf.total, shown if bad else None)}万元"
        )
        if tb.total:
            text += f"，完成预算的{self._pct_fact('final.three_public.completion_pct', None, shown, tb.total)}%"
        parts = []
        for key, label, b, f in (
            ("outbound", "因公出国（境）费", tb.overseas_travel, tf.overseas_travel),
            ("vehicle_total", "公务用车购置及运行费", tb.vehicle_total, tf.vehicle_total),
            ("reception", "公务接待费", tb.official_reception, tf.official_reception),
        ):
            key = f"final.three_public.{key}"
            parts.append(
                f"{label}支出决算为{self.fact(key, None, f)}万元"
                + (f"，完成预算的{self._pct_fact(key + '.completion_pct', None, f, b)}%" if b else "")
            )
        text += "。其中：" + "；".join(parts) + "。"
        if shown != tb.total:
            bigger = shown > tb.total
            text += f"“三公”经费支出决算数{'大于' if bigger else '小于'}预算数的主要原因是{self.reason(bigger)}。"
        self.para(text)
        self.para("（二）“三公”经费财政拨款支出决算具体情况说明")
        self.para(
            f"{Y}年度，{U}"
            + (f"购置公务用车1辆，支出{plain(tf.vehicle_purchase)}万元；" if tf.vehicle_purchase else "没有购置车辆；")
            + f"全年公务用车运行维护费支出{plain(tf.vehicle_operation)}万元，"
            f"公务接待费支出{plain(tf.official_reception)}万元。"
        )
        # 八、九、十
        self.para("八、机关运行经费支出说明")
        self.para(f"{Y}年度机关运行经费支出{self.fact('final.office_operation', None, t.public_use_total)}万元。")
        self.para("九、政府采购支出说明")
        self.para(
            f"{Y}年度{U}政府采购支出总额{self.fact('final.procurement.total', None, t.procurement_total)}万元，其中："
            f"政府采购货物支出{self.fact('final.procurement.goods', None, t.procurement_goods)}万元、"
            f"政府采购工程支出{self.fact('final.procurement.works', None, t.procurement_works)}万元、"
            f"政府采购服务支出{self.fact('final.procurement.services', None, t.procurement_services)}万元。"
        )
        self.para("十、国有资产占用情况说明")
        self.para(f"截至{Y}年12月31日，{U}共有车辆{self.fact('final.assets.vehicles', None, Decimal(t.vehicles))}辆。")
        if self.placeholder_pending:  # no reason was printed: the placeholder stands in the last section
            self.para(f"十一、其他需要说明的情况：{self.reason(True)}。")

    def _pct_fact(
        self, key: str, subject: str | None, actual: Decimal, budget: Decimal, bad: dict | None = None
    ) -> str:
        """完成预算的 x%: computed from the printed 决算 figure (so a misprinted figure does not also misstate
        the %), or the `completion_pct` defect's printed %."""
        true = pct(actual, budget)
        shown = bad["printed"] if bad else true
        self.facts.append(_stated(key, subject, shown, true))
        return f"{shown:.2f}"

    def glossary(self) -> None:
        self.para("第四部分  名词解释")
        self.para("一、财政拨款收入：指本级财政当年拨付的资金。")
        self.para("二、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。")


def _stated(key, subject, shown, true):
    from generator.truth import StatedFact

    return StatedFact(key, subject, shown, true, f"{shown:.2f}")


def _fold(text: str) -> str:
    from ingest.recognize.kinds import fold

    return fold(text)


def _sums(lines: list[FinalLine], values) -> list[Decimal]:
    out: list[Decimal] = []
    for x in lines:
        v = list(values(x))
        out = v if not out else [a + b for a, b in zip(out, v)]
    return out


def final_layout(t: FinalAccountsTruth) -> GeneratedGrid:
    """Lay the 决算 out as a grid in the central template; fills `t.facts`."""
    return FinalLayout(t).build()
