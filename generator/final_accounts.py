"""决算 (final accounts) with known answers, paired with the generated 预算 of the same unit and year.

`build_final(budget)` turns a generated 预算 (`DisclosureTruth` of year Y) into the unit's 部门决算 of
year Y (`FinalAccountsTruth`), as the central departments publish it (公开01表…公开09表, the real
example: ../shared/real-disclosures/final-accounts/cn-guojia-xinfangju-2024-juesuan.pdf). Every
amount is an exact `Decimal` in 万元 drawn as whole fen (0.01 万元), and everything adds up by
construction:

* each 预算 表三 line is spent at a seeded rate (基本 0.85–1.06, 项目 0.50–1.05 of its budget); about one
  line in twelve is not spent at all (absent from the 决算), and most units spend on one or two 项 the
  预算 did not print (行政单位离退休, 公务员医疗补助 …), so both one-sided cases of the execution marts occur;
* the 一般公共预算财政拨款 part of a line is what the 预算 line funds; a unit with 其他收入 spends it on
  its 行政运行 line's 基本支出 too (支出决算表 = 一般公共预算 + other funds);
* 财政拨款: 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余, the same for other funds, and the
  收入支出决算总表 / 财政拨款收入支出决算总表 identities hold (总计 both sides);
* 收入决算表 by functional line: each line's 财政拨款收入 is its 一般公共预算 spending, the line that
  carries most basic spending also takes the carry-forward difference and the 其他收入;
* 基本支出 by economic class (人员经费 301 + 303, 公用经费 302): the 预算's 款 spent at 0.85–1.08 each,
  the largest 款 taking the remainder, so 人员经费合计 + 公用经费合计 = the 一般公共预算 基本支出;
* “三公”: 预算数 = the 预算's 表八 (in about one 决算 in five one item's 预算数 is printed adjusted —
  `three_public_adjusted` —, which the warehouse's FA-THREE-PUBLIC-BUDGET warning must report);
  决算数 of 因公出国 / 运行维护 / 公务接待 = the 决算's 30212 / 30231 / 30217, 购置费 = what the vehicle
  purchase project spent;
* the 情况说明 states 收、支总计, 本年收入/支出合计, 财政拨款收支总决算, 财政拨款支出 with 年初预算 and
  完成年初预算的 x%, each 项's 年初预算 vs 支出决算 (完成 x%, 决算数大于/小于预算数), 基本支出 人员/公用经费,
  “三公” 预算 vs 决算, 机关运行经费, 政府采购 and 车辆 — each recorded as a `StatedFact` by the layout.

Defects (`FINAL_DEFECT_KINDS`) misprint one thing at print time, and record the FA-* rule ids that must
fire; the truth's numbers stay true. The layout is `generator/final_layout.py`; the paired corpus and
the expected rows of the execution marts are `generator/execution.py`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ingest.validate.rules import names_match

from generator import catalog as C
from generator.truth import (
    CENT,
    ZERO,
    D,
    Defect,
    DisclosureTruth,
    EconomicRow,
    LayoutVariant,
    StatedFact,
    ThreePublic,
    UnitInfo,
    to_plain,
)

FINAL_SUFFIX = "-juesuan"  # file name of the 决算 of a 预算 file name: SYNTHETIC-652301-003-2022-juesuan
FINAL_TEMPLATE = "central"  # the central 部门决算 公开01…09表 (the only 决算 template generated)
# 项 a unit may spend on although its 预算 did not print them (code → basic or project spending)
UNBUDGETED_ITEMS = {
    "2080501": "basic",
    "2101103": "basic",
    "2101199": "basic",
    "2080799": "project",
    "2080901": "project",
    "2100717": "project",
}


@dataclass
class FinalLine:
    """One functional 项 of the 决算: 支出决算表 (all funds), its 一般公共预算财政拨款 part, 收入决算表."""

    code: str
    name: str
    basic: Decimal  # 支出决算表 基本支出 (all funds)
    project: Decimal  # 支出决算表 项目支出
    gb_basic: Decimal  # 一般公共预算财政拨款支出决算表 基本支出
    gb_project: Decimal
    income_appropriation: Decimal  # 收入决算表 财政拨款收入
    income_other: Decimal  # 收入决算表 其他收入
    budget: Decimal | None  # the 预算's 表三 (= 表五) total of the line; None: not in the 预算

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def gb_total(self) -> Decimal:
        return self.gb_basic + self.gb_project

    @property
    def income_total(self) -> Decimal:
        return self.income_appropriation + self.income_other


@dataclass
class FinalAccountsTruth:
    unit: UnitInfo
    fiscal_year: int
    budget_file: str  # file name (no suffix) of the paired 预算
    lines: list[FinalLine]  # every 项 the 决算 prints, and the 预算's lines it does not (all amounts 0)
    economic: list[EconomicRow]  # 一般公共预算财政拨款基本支出 by economic 款
    appropriation_begin: Decimal  # 年初财政拨款结转和结余
    appropriation_end: Decimal  # 年末财政拨款结转和结余
    other_begin: Decimal  # 年初结转和结余 of other funds
    other_end: Decimal
    other_income: Decimal  # 其他收入 of the year
    budget_total: Decimal  # the 预算's 一般公共预算 total (表五 合计): 年初预算
    three_public_budget: ThreePublic  # 预算数 (= the 预算's 表八)
    three_public_final: ThreePublic  # 决算数
    procurement_total: Decimal
    procurement_goods: Decimal
    procurement_works: Decimal
    procurement_services: Decimal
    vehicles: int  # 年末 实有车辆
    signed: str
    defects: list[Defect] = field(default_factory=list)
    # “三公” items whose 预算数 the 决算 prints adjusted (按规定程序调整后的预算数), so it differs from the 预算
    # disclosure's 表八: the warehouse rule FA-THREE-PUBLIC-BUDGET (a warning) must report them
    three_public_adjusted: list[str] = field(default_factory=list)
    layout: LayoutVariant = field(default_factory=lambda: LayoutVariant(code_layout="joined", template=FINAL_TEMPLATE))
    facts: list[StatedFact] = field(default_factory=list)  # filled by the layout
    file_name: str = ""
    fmt: str = "txt"
    synthetic: bool = True
    disclosure_kind: str = "决算"

    # ---- derived (万元)
    @property
    def spent(self) -> list[FinalLine]:
        """The lines the 支出决算表 prints (nonzero)."""
        return [x for x in self.lines if x.total]

    @property
    def expenditure_total(self) -> Decimal:
        return sum((x.total for x in self.lines), ZERO)

    @property
    def basic_total(self) -> Decimal:
        return sum((x.basic for x in self.lines), ZERO)

    @property
    def project_total(self) -> Decimal:
        return sum((x.project for x in self.lines), ZERO)

    @property
    def gb_total(self) -> Decimal:
        return sum((x.gb_total for x in self.lines), ZERO)

    @property
    def gb_basic_total(self) -> Decimal:
        return sum((x.gb_basic for x in self.lines), ZERO)

    @property
    def gb_project_total(self) -> Decimal:
        return sum((x.gb_project for x in self.lines), ZERO)

    @property
    def appropriation_income(self) -> Decimal:
        return sum((x.income_appropriation for x in self.lines), ZERO)

    @property
    def income_total(self) -> Decimal:
        return self.appropriation_income + self.other_income

    @property
    def begin_total(self) -> Decimal:
        return self.appropriation_begin + self.other_begin

    @property
    def end_total(self) -> Decimal:
        return self.appropriation_end + self.other_end

    @property
    def total(self) -> Decimal:
        """收入支出决算总表 总计."""
        return self.income_total + self.begin_total

    @property
    def appropriation_total(self) -> Decimal:
        """财政拨款收入支出决算总表 总计."""
        return self.appropriation_income + self.appropriation_begin

    @property
    def personnel_total(self) -> Decimal:
        return sum((r.personnel for r in self.economic), ZERO)

    @property
    def public_use_total(self) -> Decimal:
        return sum((r.public_use for r in self.economic), ZERO)

    def by_class(self, gb: bool = False) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for x in self.lines:
            amount = x.gb_total if gb else x.total
            if amount:
                out[x.code[:3]] = out.get(x.code[:3], ZERO) + amount
        return dict(sorted(out.items()))

    def econ(self, code: str) -> Decimal:
        return next((r.total for r in self.economic if r.code == code), ZERO)

    def expected_rule_ids(self) -> set[str]:
        return {r for d in self.defects for r in d.rule_ids}

    def defect(self, kind: str) -> dict | None:
        return next((d.params for d in self.defects if d.kind == kind), None)

    def check(self) -> None:
        """The identities every table relies on (raises AssertionError naming the one that fails)."""
        assert self.income_total + self.begin_total == self.expenditure_total + self.end_total, "收入支出决算总表 总计"
        assert self.appropriation_income + self.appropriation_begin == self.gb_total + self.appropriation_end, (
            "财政拨款收入支出决算总表 总计"
        )
        assert self.other_income + self.other_begin == self.expenditure_total - self.gb_total + self.other_end, (
            "other funds"
        )
        assert self.personnel_total + self.public_use_total == self.gb_basic_total, "人员经费 + 公用经费 = 基本支出"
        assert all(
            min(x.basic, x.project, x.gb_basic, x.gb_project, x.income_appropriation, x.income_other) >= 0
            and x.gb_basic <= x.basic
            and x.gb_project <= x.project
            for x in self.lines
        ), "line amounts"
        assert min(self.appropriation_begin, self.appropriation_end, self.other_begin, self.other_end) >= 0
        assert all(r.total > 0 for r in self.economic), "economic rows"

    def to_json(self) -> str:
        plain = to_plain(self)
        for prop in (
            "expenditure_total",
            "basic_total",
            "project_total",
            "gb_total",
            "gb_basic_total",
            "gb_project_total",
            "appropriation_income",
            "income_total",
            "begin_total",
            "end_total",
            "total",
            "appropriation_total",
            "personnel_total",
            "public_use_total",
        ):
            plain[prop] = str(getattr(self, prop))
        plain = {"synthetic": True, **plain, "expected_rule_ids": sorted(self.expected_rule_ids())}
        return json.dumps(plain, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------ from JSON (truth files)


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(x)


def final_from_json(data: dict) -> FinalAccountsTruth:
    """A `FinalAccountsTruth` back from its `<file>.truth.json` (what `to_json` wrote)."""
    tp = lambda d: ThreePublic(  # noqa: E731
        *(
            Decimal(d[k])
            for k in (
                "overseas_travel",
                "vehicle_purchase",
                "vehicle_operation",
                "official_reception",
            )
        )
    )
    lines = [
        FinalLine(
            x["code"],
            x["name"],
            *(
                Decimal(x[k])
                for k in ("basic", "project", "gb_basic", "gb_project", "income_appropriation", "income_other")
            ),
            _dec(x["budget"]),
        )
        for x in data["lines"]
    ]
    economic = [
        EconomicRow(r["code"], r["name"], Decimal(r["personnel"]), Decimal(r["public_use"])) for r in data["economic"]
    ]
    lv = data["layout"]
    layout = LayoutVariant(**{k: v for k, v in lv.items()})
    t = FinalAccountsTruth(
        unit=UnitInfo(**data["unit"]),
        fiscal_year=data["fiscal_year"],
        budget_file=data["budget_file"],
        lines=lines,
        economic=economic,
        **{
            k: Decimal(data[k])
            for k in (
                "appropriation_begin",
                "appropriation_end",
                "other_begin",
                "other_end",
                "other_income",
                "budget_total",
                "procurement_total",
                "procurement_goods",
                "procurement_works",
                "procurement_services",
            )
        },
        three_public_budget=tp(data["three_public_budget"]),
        three_public_final=tp(data["three_public_final"]),
        vehicles=data["vehicles"],
        signed=data["signed"],
        defects=[Defect(d["kind"], d["rule_ids"], d["description"], d["params"]) for d in data["defects"]],
        three_public_adjusted=list(data.get("three_public_adjusted", [])),
        layout=layout,
        facts=[
            StatedFact(f["fact_key"], f["subject"], _dec(f["value"]), _dec(f["true_value"]), f.get("value_text"))
            for f in data["facts"]
        ],
        file_name=data["file_name"],
        fmt=data["fmt"],
    )
    for d in t.defects:  # Decimal params come back as strings
        for k in ("delta", "printed"):
            if k in d.params and d.params[k] is not None:
                d.params[k] = Decimal(d.params[k])
    return t


def is_final_truth(data: dict) -> bool:
    return data.get("disclosure_kind") == "决算"


def load_truth(path: Path):
    """A truth file as its truth object: a 决算's `FinalAccountsTruth`, or a 预算's plain dict."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return final_from_json(data) if is_final_truth(data) else data


# ------------------------------------------------------------------ build


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def _cents(x: Decimal) -> int:
    return int((x * 100).to_integral_value())


def _scaled(cents: int, rate: float) -> int:
    return int((Decimal(cents) * Decimal(str(round(rate, 4)))).to_integral_value(rounding=ROUND_HALF_UP))


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole × 100, rounded half-up to two decimals (完成预算的 x%)."""
    return (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def build_final(
    budget: DisclosureTruth,
    seed: int,
    fmt: str = "txt",
    layout: LayoutVariant | None = None,
    defect_rate: float = 0.0,
    defect_kinds: tuple[str, ...] | None = None,
) -> FinalAccountsTruth:
    """The 决算 of the 预算 `budget` (same unit, same year), drawn from its own seeded streams."""
    rng = _rng(seed, "final", budget.unit.unit_id, budget.fiscal_year)
    keep = max(budget.expenditure, key=lambda e: (e.basic, e.total))  # the 行政运行-like line: never unspent
    lines: list[FinalLine] = []
    for e in budget.expenditure:
        budget_total = e.total
        if e is not keep and len(budget.expenditure) > 2 and rng.random() < 0.08:
            lines.append(FinalLine(e.code, e.name, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, budget_total))
            continue
        basic = _scaled(_cents(e.basic), rng.uniform(0.85, 1.06))
        project = 0 if rng.random() < 0.05 and basic else _scaled(_cents(e.project), rng.uniform(0.5, 1.05))
        if basic + project == 0:
            project = _cents(e.project) or 100
        lines.append(FinalLine(e.code, e.name, D(basic), D(project), D(basic), D(project), ZERO, ZERO, budget_total))
    # 项 the 预算 did not print
    extra = 0 if rng.random() < 0.3 else (1 if rng.random() < 0.75 else 2)
    pool = [c for c in UNBUDGETED_ITEMS if c not in {x.code for x in lines}]
    rng.shuffle(pool)
    for code in pool:
        if extra == 0:
            break
        name = C.ITEM_NAMES[code]
        if any(names_match(name, x.name) for x in lines):
            continue
        cents = rng.randint(50, 3000)  # 0.50–30.00 万元: a small line the year brought, not a second budget
        basic, project = (cents, 0) if UNBUDGETED_ITEMS[code] == "basic" else (0, cents)
        lines.append(FinalLine(code, name, D(basic), D(project), D(basic), D(project), ZERO, ZERO, None))
        extra -= 1
    lines.sort(key=lambda x: x.code)
    main = next(x for x in lines if x.code == keep.code)
    gb = sum((x.gb_total for x in lines), ZERO)

    # other funds: 其他收入 spent on the main line's 基本支出
    other_spent = other_begin = other_end = other_income = ZERO
    if rng.random() < 0.4:
        other_spent = D(max(100, _scaled(_cents(gb), rng.uniform(0.01, 0.05))))
        other_begin = D(_scaled(_cents(other_spent), rng.uniform(0, 0.5)))
        other_end = D(_scaled(_cents(other_spent), rng.uniform(0, 0.3)))
        other_income = other_spent + other_end - other_begin
        main.basic += other_spent
        main.income_other = other_income
    # 财政拨款 carry-forwards: begin + income = spent + end
    begin = D(_scaled(_cents(gb), rng.uniform(0, 0.06)))
    end = D(_scaled(_cents(gb), rng.uniform(0, 0.08)))
    for x in lines:
        x.income_appropriation = x.gb_total
    if main.income_appropriation + end - begin < 0:
        end = begin - main.income_appropriation
    main.income_appropriation += end - begin

    # 基本支出 by economic 款 (一般公共预算 part): the 预算's 款 at a rate each, the largest takes the rest
    target = _cents(sum((x.gb_basic for x in lines), ZERO))
    econ = [
        [r.code, r.name, r.personnel > 0, _scaled(_cents(r.total), rng.uniform(0.85, 1.08))] for r in budget.economic
    ]
    largest = max(econ, key=lambda r: r[3])
    largest[3] += target - sum(r[3] for r in econ)
    if largest[3] <= 0:
        raise AssertionError(
            f"{budget.unit.unit_id} {budget.fiscal_year}: economic rows cannot reach 基本支出 {target}"
        )
    economic = [
        EconomicRow(code, name, D(c) if personnel else ZERO, ZERO if personnel else D(c))
        for code, name, personnel, c in econ
        if c > 0
    ]
    final_econ = {r.code: r.total for r in economic}

    # “三公”
    tp = budget.three_public
    vp_final = ZERO
    vehicle = next((p for p in budget.projects if p.is_vehicle_purchase), None)
    if vehicle is not None:
        line = next(x for x in lines if x.code == vehicle.code)
        if line.gb_project and rng.random() < 0.85:
            vp_final = min(D(_scaled(_cents(vehicle.amount), rng.uniform(0.9, 1.0))), line.gb_project)
    three_final = ThreePublic(
        final_econ.get("30212", ZERO), vp_final, final_econ.get("30231", ZERO), final_econ.get("30217", ZERO)
    )

    # the 预算数 of one “三公” item adjusted during the year, now and then (its own stream: no other draw moves)
    three_budget = ThreePublic(tp.overseas_travel, tp.vehicle_purchase, tp.vehicle_operation, tp.official_reception)
    adjusted: list[str] = []
    adjust = _rng(seed, "final-three-public-adjusted", budget.unit.unit_id, budget.fiscal_year)
    if adjust.random() < 0.2:
        item = adjust.choice(["overseas_travel", "vehicle_operation", "official_reception"])
        delta = D(adjust.randint(50, 500))
        before = getattr(three_budget, item)
        setattr(three_budget, item, before - delta if before - delta > 0 and adjust.random() < 0.5 else before + delta)
        adjusted.append(item)

    goods = D(_scaled(_cents(budget.procurement.goods), rng.uniform(0.7, 1.1)))
    works = D(_scaled(_cents(budget.procurement.works), rng.uniform(0.7, 1.1)))
    services = D(_scaled(_cents(budget.procurement.services), rng.uniform(0.7, 1.1)))
    month, day = rng.choice([(7, rng.randint(1, 31)), (8, rng.randint(1, 31))])
    t = FinalAccountsTruth(
        unit=budget.unit,
        fiscal_year=budget.fiscal_year,
        budget_file=budget.file_name,
        lines=lines,
        economic=economic,
        appropriation_begin=begin,
        appropriation_end=end,
        other_begin=other_begin,
        other_end=other_end,
        other_income=other_income,
        budget_total=budget.total,
        three_public_budget=three_budget,
        three_public_adjusted=adjusted,
        three_public_final=three_final,
        procurement_total=goods + works + services,
        procurement_goods=goods,
        procurement_works=works,
        procurement_services=services,
        vehicles=budget.assets.vehicle_count + (1 if vp_final else 0),
        signed=f"{budget.fiscal_year + 1}-{month:02d}-{day:02d}",
        layout=layout or LayoutVariant(code_layout="joined", template=FINAL_TEMPLATE),
        file_name=(budget.file_name or f"{C.FILE_PREFIX}{budget.unit.unit_id}-{budget.fiscal_year}") + FINAL_SUFFIX,
        fmt=fmt,
    )
    t.check()
    t.defects = choose_final_defects(t, defect_rate, seed, defect_kinds)
    return t


# ------------------------------------------------------------------ defects

# kind → the FA-* rule ids it must fire (and no other)
FINAL_DEFECT_KINDS: dict[str, list[str]] = {
    # 情况说明 收、支总计 ≠ 收入支出决算总表 总计
    "narrative_total": ["FA-NARRATIVE"],
    # 支出决算表 合计 本年支出合计 ≠ 基本 + 项目 (and ≠ the summary's 本年支出合计)
    "wrong_total": ["FA-TOTAL", "FA-CROSS"],
    # a reason left as the template's XX
    "placeholder": ["FA-PLACEHOLDER"],
    # 完成年初预算的 x% of the 一般公共预算 total misprinted
    "completion_pct": ["FA-COMPLETION"],
    # “三公” 支出决算 in the 情况说明 ≠ the table's 决算数 合计 (its % stated from the printed figure)
    "three_public_narrative": ["FA-NARRATIVE"],
    # one 项's 支出决算 in the 情况说明 ≠ its 一般公共预算财政拨款支出决算表 line
    "item_narrative": ["FA-NARRATIVE"],
}


def _delta(rng: random.Random, value: Decimal, low: int = 2, high: int = 2000) -> Decimal:
    """A misprint of at least 0.02 万元 (0.01 is the 尾数误差 the rules take as info) keeping the value positive."""
    d = D(rng.randint(low, high))
    if value - d > 0 and rng.random() < 0.5:
        return -d
    return d


def item_lines(t: FinalAccountsTruth) -> list[FinalLine]:
    """The 项 the 情况说明 explains (五（三）): every 一般公共预算 line of the 决算 or the 预算."""
    return [x for x in t.lines if x.gb_total or x.budget]


def make_final_defect(kind: str, t: FinalAccountsTruth, rng: random.Random) -> Defect | None:
    rules = FINAL_DEFECT_KINDS[kind]
    if kind == "narrative_total":
        printed = t.total + _delta(rng, t.total)
        return Defect(kind, rules, f"情况说明 收、支总计 printed {printed} (公开01表 {t.total})", {"printed": printed})
    if kind == "wrong_total":
        delta = _delta(rng, t.expenditure_total)
        return Defect(kind, rules, f"支出决算表 合计 本年支出合计 printed off by {delta}", {"delta": delta})
    if kind == "placeholder":
        return Defect(kind, rules, "情况说明: a reason left as XX", {})
    if kind == "completion_pct":
        if not t.budget_total:
            return None
        true = pct(t.gb_total, t.budget_total)
        printed = true + D(rng.randint(50, 900)) * rng.choice([1, -1])
        if printed < 0:
            printed = true + D(rng.randint(50, 900))
        return Defect(kind, rules, f"完成年初预算的 {printed}% printed ({true}% true)", {"printed": printed})
    if kind == "three_public_narrative":
        true = t.three_public_final.total
        printed = true + _delta(rng, true, 2, 300)
        return Defect(kind, rules, f"“三公” 支出决算 printed {printed} (公开09表 {true})", {"printed": printed})
    if kind == "item_narrative":
        pool = [
            x
            for x in item_lines(t)
            if x.gb_total
            and "（" not in x.name
            and sum(names_match(x.name, y.name) for y in t.lines if y.gb_total) == 1
        ]
        if not pool:
            return None
        x = rng.choice(pool)
        printed = x.gb_total + _delta(rng, x.gb_total)
        return Defect(
            kind,
            rules,
            f"情况说明 {x.name} 支出决算 printed {printed} (公开05表 {x.gb_total})",
            {"code": x.code, "printed": printed},
        )
    raise ValueError(kind)


def choose_final_defects(
    t: FinalAccountsTruth, rate: float, seed: int, kinds: tuple[str, ...] | None = None
) -> list[Defect]:
    rng = _rng(seed, "final-defects", t.unit.unit_id, t.fiscal_year)
    if rate <= 0 or rng.random() >= rate:
        return []
    pool = list(kinds or FINAL_DEFECT_KINDS)
    for k in pool:
        if k not in FINAL_DEFECT_KINDS:
            raise ValueError(f"unknown 决算 defect kind {k!r} (known: {', '.join(FINAL_DEFECT_KINDS)})")
    n = 1 if rng.random() < 0.7 else 2
    out: list[Defect] = []
    while pool and len(out) < n:
        d = make_final_defect(pool.pop(rng.randrange(len(pool))), t, rng)
        if d is not None:
            out.append(d)
    return out


# ------------------------------------------------------------------ write


def write_final(t: FinalAccountsTruth, out: Path) -> Path:
    """Lay out and render one 决算; writes the file and `<file>.truth.json`. Returns the file."""
    from generator.final_layout import final_layout
    from generator.render import RENDERERS, render, suffix_for

    grid = final_layout(t)
    if t.fmt not in RENDERERS:
        raise ValueError(f"unknown format {t.fmt!r}")
    path = Path(out) / f"{t.file_name}{suffix_for(t.fmt)}"
    if t.fmt == "txt":
        from generator.render.text import render_text

        render_text(grid, path, layout=t.layout.text_layout, encoding=t.layout.encoding)
    else:
        options = {"embed_font": Path(t.layout.pdf_font)} if t.fmt == "pdf" and t.layout.pdf_font else {}
        render(grid, path, t.fmt, **options)
    path.with_name(path.name + ".truth.json").write_text(t.to_json(), encoding="utf-8")
    return path
