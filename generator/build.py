"""Build the ground truth of a synthetic prefecture: regions × units × years, plus injected defects.

Everything is drawn from `random.Random` instances seeded by strings derived from the one
`seed`, the unit and the year, so the same arguments always give the same truths. A unit's
years are generated in sequence from BASE_YEAR, whatever range is asked for, so a unit-year
is the same whether 2021 alone or 2019–2023 is generated, and the stated changes against the
previous year are the exact differences between consecutive truths.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ingest.validate.rules import names_match

from generator import catalog as C
from generator.truth import (
    D,
    ZERO,
    Assets,
    Defect,
    DisclosureTruth,
    EconomicRow,
    ExpenditureRow,
    Indicator,
    LayoutVariant,
    PriorYear,
    Procurement,
    Profile,
    Project,
    ThreePublic,
    UnitInfo,
    Vehicle,
)

BASE_YEAR = 2017  # first (unwritten) year of every unit's series
TEMPLATES = ("changji", "national")  # template families the layout prints (generator/layout.py, national.py)


@dataclass
class Options:
    seed: int = 42
    defect_rate: float = 0.0
    layout_variants: bool = False
    text_layouts: tuple[str, ...] = ("cells",)
    encodings: tuple[str, ...] = ("utf-8",)
    formats: tuple[str, ...] = ("txt",)
    full_wording: bool = True  # parenthesised 款 names, grouped 成本指标 (see docs/generator.md)
    defect_kinds: tuple[str, ...] | None = None  # restrict the catalogue (None = all)
    # A TrueType CJK font file: half of the PDFs (drawn per unit-year) embed it, the others name
    # STSong-Light without embedding it, as both kinds are published (None: no PDF embeds a font).
    embed_font: str | None = None
    # Template families to print in, one drawn per unit-year (TEMPLATES; see generator/national.py).
    templates: tuple[str, ...] = ("changji",)


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


# ------------------------------------------------------------------ units


@dataclass
class UnitPlan:
    info: UnitInfo
    arch: C.Archetype
    projects: list[C.ProjectSpec]
    personnel_codes: list[str]
    public_codes: list[str]
    separate_housing_fund: bool
    has_pension_annuity: bool
    staff_base: int
    rates: dict[str, int]
    project_base: dict[str, int]
    building_area: int  # 0.01 m²
    building_value: int
    vehicles: dict[str, int]
    vehicle_unit_value: int
    subordinate: int
    departments: list[str]


def choose_archetypes(region: str, n: int, seed: int) -> list[tuple[C.Archetype, str]]:
    """n units for a region: distinct archetypes first, then numbered schools (第N小学)."""
    level = C.REGIONS[region][3]
    pool = [a for a in C.ARCHETYPES if level in a.levels]
    _rng(seed, "archetypes", region).shuffle(pool)
    out: list[tuple[C.Archetype, str]] = [(a, a.name) for a in pool[:n]]
    k = 1
    while len(out) < n:
        school = C.Archetype(
            "xiaoxue",
            f"第{_cn(k)}小学",
            f"{_cn(k)}小",
            "小学教育",
            "2050202",
            "2050202",
            None,
            (30, 80),
            ("办公室", "教务处", "德育处", "总务处"),
            (
                C._p("学生营养改善计划补助", "2050202", "individual", 20, 120, "受益学生人数（人）", "≥800"),
                C._p("校园安全设施维护经费", "2050202", "goods", 5, 40, "维护校园设施数量（处）", "≥20"),
            ),
        )
        out.append((school, school.name))
        k += 1
    return out


def _cn(k: int) -> str:
    digits = "零一二三四五六七八九"
    if k < 10:
        return digits[k]
    if k < 20:
        return "十" + (digits[k % 10] if k % 10 else "")
    return digits[k // 10] + "十" + (digits[k % 10] if k % 10 else "")


def plan_unit(region: str, index: int, arch: C.Archetype, seed: int, full_wording: bool) -> UnitPlan:
    rng = _rng(seed, "plan", region, index)
    name_r, prefix, alt_prefix, level, supervisor = C.REGIONS[region]
    name = f"{prefix}{arch.name}{C.SYNTHETIC_MARK}"
    alias = f"{prefix}{arch.abbreviation}{C.SYNTHETIC_MARK}"
    if alias == name:
        alias = f"{alt_prefix}{arch.name}{C.SYNTHETIC_MARK}"
    info = UnitInfo(
        unit_id=f"SYN-{region}-{index:03d}",
        name=name,
        aliases=[alias],
        region_code=region,
        region_name=name_r,
        level=level,
        supervising_department=supervisor,
        archetype=arch.key,
        index=index,
    )
    n_proj = rng.randint(1, len(arch.projects))
    projects = list(arch.projects[:n_proj])
    personnel = ["30101", "30102", "30103", "30107"]
    if rng.random() < 0.6:
        personnel.append("30106")
    if rng.random() < 0.3:
        personnel.append("30199")
    personnel += ["30309", "30399"] if rng.random() < 0.7 else ["30399"]
    if rng.random() < 0.2:
        personnel.append("30305")
    public = ["30201", "30205", "30206", "30207", "30208", "30211", "30216", "30217", "30228", "30229", "30299"]
    for code in ("30202", "30209", "30215", "30226", "30239"):
        if rng.random() < 0.4:
            public.append(code)
    if full_wording:
        if region == "652300" and rng.random() < 0.5:
            public.append("30212")
        if rng.random() < 0.5:
            public.append("30213")
    staff = rng.randint(*arch.staff)
    rates = {c: rng.randint(*C.PERSONNEL_RATES[c]) for c in C.PERSONNEL_RATES}
    rates.update({c: rng.randint(*C.PUBLIC_RATES[c]) for c in C.PUBLIC_RATES})
    rates["vehicle"] = rng.randint(*C.VEHICLE_RUNNING)
    vehicles = {k: 0 for k in C.VEHICLE_KINDS}
    vehicles["一般公务用车"] = rng.choice([0, 1, 1, 2, 2, 3])
    if arch.key in ("sifa", "jiaotong", "weijian", "zhujian") and rng.random() < 0.7:
        vehicles["执法执勤用车"] = rng.randint(1, 4)
    if rng.random() < 0.2:
        vehicles["其他车辆"] = 1
    sub = 0 if rng.random() < 0.6 else rng.randint(1, 12)
    depts = list(arch.departments)
    if level == "县市":
        depts = [d.replace("科", "股") if d.endswith("科") else d for d in depts]
    return UnitPlan(
        info=info,
        arch=arch,
        projects=projects,
        personnel_codes=personnel,
        public_codes=sorted(public),
        separate_housing_fund=rng.random() < 0.6,
        has_pension_annuity=rng.random() < 0.7,
        staff_base=staff,
        rates=rates,
        project_base={p.name: rng.randint(p.low, p.high) for p in projects},
        building_area=rng.randint(80000, 900000),
        building_value=rng.randint(30000, 300000),
        vehicles=vehicles,
        vehicle_unit_value=rng.randint(1500, 3000),
        subordinate=sub,
        departments=depts,
    )


# ------------------------------------------------------------------ one year


@dataclass
class YearState:
    year: int
    in_service: int
    authorized: int
    retired: int
    separated: int
    factor: float
    vehicles: dict[str, int]
    vehicle_values: dict[str, int]
    furniture: int
    other: int
    equipment50: int
    equipment100: int
    planned_vehicles: int = 0
    truth: DisclosureTruth | None = None
    income_general: Decimal = ZERO
    basic: Decimal = ZERO
    project: Decimal = ZERO
    public_use: Decimal = ZERO
    items: dict[str, Decimal] = field(default_factory=dict)
    three_public: ThreePublic | None = None


def _first_state(plan: UnitPlan, seed: int) -> YearState:
    rng = _rng(seed, "state0", plan.info.unit_id)
    return YearState(
        year=BASE_YEAR - 1,
        in_service=plan.staff_base,
        authorized=plan.staff_base + rng.randint(0, 5),
        retired=rng.randint(2, max(3, plan.staff_base)),
        separated=rng.choice([0, 0, 0, 1]),
        factor=1.0,
        vehicles=dict(plan.vehicles),
        vehicle_values={k: n * plan.vehicle_unit_value for k, n in plan.vehicles.items()},
        furniture=rng.randint(1000, 20000),
        other=rng.randint(2000, 200000),
        equipment50=rng.choice([0, 0, 1, 2]),
        equipment100=0,
    )


def _split(total: int, weights: list[float]) -> list[int]:
    """Split integer cents by weights; the parts add up exactly."""
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def next_year(plan: UnitPlan, prev: YearState, year: int, seed: int, opts: Options) -> YearState:
    rng = _rng(seed, "year", plan.info.unit_id, year)
    arch = plan.arch
    low = max(3, arch.staff[0] // 2)
    in_service = max(low, prev.in_service + rng.choice([-2, -1, 0, 0, 0, 1, 1, 2]))
    authorized = max(in_service, prev.authorized + rng.choice([0, 0, 0, 0, 1, -1]))
    retired = max(0, prev.retired + rng.choice([0, 0, 1, 1, 2, -1]))
    separated = max(0, prev.separated - (1 if prev.separated and rng.random() < 0.2 else 0))
    factor = prev.factor * (1 + rng.uniform(0.0, 0.04))
    # vehicles bought last year are counted at the end of last year
    vehicles = dict(prev.vehicles)
    values = dict(prev.vehicle_values)
    if prev.planned_vehicles:
        vehicles["一般公务用车"] += prev.planned_vehicles
        values["一般公务用车"] += prev.planned_vehicles * plan.vehicle_unit_value
    state = YearState(
        year=year,
        in_service=in_service,
        authorized=authorized,
        retired=retired,
        separated=separated,
        factor=factor,
        vehicles=vehicles,
        vehicle_values=values,
        furniture=prev.furniture + rng.randint(0, 800),
        other=prev.other + rng.randint(0, 3000),
        equipment50=prev.equipment50,
        equipment100=prev.equipment100,
    )
    state.planned_vehicles = 1 if (sum(vehicles.values()) and rng.random() < 0.15) else 0

    # ---- 表六: economic rows (cents)
    econ: dict[str, tuple[int, int]] = {}  # code → (personnel, public_use)

    def per_person(code: str, spread: float = 0.03) -> int:
        return int(plan.rates[code] * in_service * factor * rng.uniform(1 - spread, 1 + spread))

    wages = 0
    for code in plan.personnel_codes:
        amount = per_person(code)
        econ[code] = (amount, 0)
        if code in ("30101", "30102", "30103", "30107"):
            wages += amount
    econ["30108"] = (int(wages * 0.16), 0)
    if plan.has_pension_annuity:
        econ["30109"] = (int(wages * 0.08), 0)
    econ["30110"] = (int(wages * rng.uniform(0.10, 0.20)), 0)
    econ["30111"] = (int(wages * rng.uniform(0.05, 0.07)), 0)
    econ["30112"] = (max(1, int(wages * rng.uniform(0.002, 0.004))), 0)
    econ["30113"] = (int(wages * 0.12), 0)
    for code in plan.public_codes:
        if code == "30228":
            econ[code] = (0, int(wages * 0.02))
        else:
            econ[code] = (0, per_person(code, 0.08))
    n_vehicles = sum(vehicles.values())
    if n_vehicles:
        econ["30231"] = (0, int(plan.rates["vehicle"] * n_vehicles * factor * rng.uniform(0.95, 1.05)))
    economic = [EconomicRow(code, C.ECON_NAMES[code], D(p), D(u)) for code, (p, u) in sorted(econ.items()) if p or u]

    # ---- projects
    projects: list[Project] = []
    policy = C.POLICY_PREFIX[plan.info.region_code]
    for i, spec in enumerate(plan.projects, start=1):
        amount = int(plan.project_base[spec.name] * factor * rng.uniform(0.9, 1.1))
        projects.append(_project(spec, amount, year, policy, i, rng))
    if state.planned_vehicles:
        amount = rng.randint(1500, 2600)
        spec = C.ProjectSpec(
            "公务用车购置经费", arch.general_code, "capital", amount, amount, "购置公务用车数量（辆）", "1"
        )
        p = _project(spec, amount, year, policy, len(projects) + 1, rng)
        p.is_vehicle_purchase = True
        projects.append(p)

    # ---- 表三: functional rows
    basic: dict[str, int] = {}
    for code, (p, u) in econ.items():
        if code in C.COMMON_BASIC_CODES:
            target = C.COMMON_BASIC_CODES[code]
        elif code == "30113" and plan.separate_housing_fund:
            target = "2210201"
        else:
            target = arch.admin_code
        basic[target] = basic.get(target, 0) + p + u
    if arch.service_code:
        admin = basic[arch.admin_code]
        a, s = _split(admin, [0.7, 0.3])
        basic[arch.admin_code], basic[arch.service_code] = a, s
    project_by_code: dict[str, Decimal] = {}
    for p in projects:
        project_by_code[p.code] = project_by_code.get(p.code, ZERO) + p.amount
    codes = sorted(set(basic) | set(project_by_code))
    expenditure = [ExpenditureRow(c, C.ITEM_NAMES[c], D(basic.get(c, 0)), project_by_code.get(c, ZERO)) for c in codes]
    _check_names(expenditure)

    tp = ThreePublic(
        overseas_travel=D(econ.get("30212", (0, 0))[1]),
        vehicle_purchase=sum((p.amount for p in projects if p.is_vehicle_purchase), ZERO),
        vehicle_operation=D(econ.get("30231", (0, 0))[1]),
        official_reception=D(econ.get("30217", (0, 0))[1]),
    )
    state.basic = sum((r.basic for r in expenditure), ZERO)
    state.project = sum((r.project for r in expenditure), ZERO)
    state.income_general = state.basic + state.project
    state.public_use = sum((r.public_use for r in economic), ZERO)
    state.items = {r.code: r.total for r in expenditure}
    state.three_public = tp
    state._economic = economic  # type: ignore[attr-defined]
    state._expenditure = expenditure  # type: ignore[attr-defined]
    state._projects = projects  # type: ignore[attr-defined]
    return state


def _check_names(rows: list[ExpenditureRow]) -> None:
    """Two 项 of one unit must never be confusable by the rules' name matching."""
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if names_match(a.name, b.name):
                raise AssertionError(f"confusable 项 names in one unit: {a.code} {a.name} / {b.code} {b.name}")


def _project(spec: C.ProjectSpec, cents: int, year: int, policy: str, i: int, rng: random.Random) -> Project:
    amount = D(cents)
    columns = {C.ECON_KIND_COLUMN[spec.kind]: amount}
    inds = [
        Indicator("产出指标", "数量指标", spec.measure, spec.measure_value, *_target(spec.measure_value, spec.measure)),
        Indicator("产出指标", "质量指标", "任务完成率（%）", "100%", "=", Decimal(100), None, "%"),
        Indicator("产出指标", "时效指标", "项目完成时间", "1-12月", "range", Decimal(1), Decimal(12), "月"),
        Indicator("产出指标", "成本指标", "完成此项工作所需经费（万元）", _plain(amount), "=", amount, None, "万元"),
        Indicator("效益指标", "社会效益指标", "相关工作服务水平", "提升", None, None, None, None),
        Indicator("满意度指标", "满意度指标", "服务对象满意度（%）", "≥95%", ">=", Decimal(95), None, "%"),
    ]
    return Project(
        name=spec.name,
        code=spec.code,
        code_name=C.ITEM_NAMES[spec.code],
        amount=amount,
        columns=columns,
        policy_basis=f"{policy}财预〔{year - 1}〕{rng.randint(3, 160)}号文件",
        allocation=f"用于{spec.name.removesuffix('经费').removesuffix('资金')}相关支出",
        goal=f"保障{spec.name.removesuffix('经费').removesuffix('资金')}工作顺利开展，全面完成年度工作任务。",
        indicators=inds,
    )


def _target(value: str, label: str):
    from ingest.recognize.performance import parse_target  # the same reading the recognizer applies

    return parse_target(value, label)


def _plain(x: Decimal) -> str:
    s = f"{x:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def truth_for(plan: UnitPlan, state: YearState, prev: YearState, seed: int) -> DisclosureTruth:
    rng = _rng(seed, "truth", plan.info.unit_id, state.year)
    economic, expenditure, projects = state._economic, state._expenditure, state._projects  # type: ignore[attr-defined]
    profile = Profile(
        authorized_staff=state.authorized,
        actual_staff=state.in_service,
        in_service_staff=state.in_service,
        in_service_change=state.in_service - prev.in_service,
        retired_staff=state.retired,
        retired_change=state.retired - prev.retired,
        separated_staff=state.separated,
        separated_change=state.separated - prev.separated,
        internal_department_names=plan.departments,
        subordinate_unit_count=plan.subordinate,
        functions=_functions(plan.arch),
    )
    vehicles = [
        Vehicle(k, state.vehicles[k], D(state.vehicle_values[k]) if state.vehicles[k] else ZERO)
        for k in C.VEHICLE_KINDS
    ]
    assets = Assets(
        as_of_year=state.year - 1,
        building_area_m2=D(plan.building_area),
        building_value=D(plan.building_value),
        vehicles=vehicles,
        furniture_value=D(state.furniture),
        other_value=D(state.other),
        equipment_over_500k=state.equipment50,
        equipment_over_1m=state.equipment100,
        planned_vehicles=state.planned_vehicles,
        planned_equipment_over_500k=0,
        planned_equipment_over_1m=0,
    )
    goods_base = int((state.public_use * 100) * Decimal(rng.uniform(0.1, 0.35)))
    proj_goods = sum((p.amount for p in projects if "goods_services_wan_yuan" in p.columns), ZERO)
    goods = goods_base + int(proj_goods * 100 * Decimal(rng.uniform(0.1, 0.4)))
    goods += sum(int(p.amount * 100) for p in projects if p.is_vehicle_purchase)
    services = int(proj_goods * 100 * Decimal(rng.uniform(0.05, 0.3)))
    works = 0
    cap = sum((p.amount for p in projects if "capital_wan_yuan" in p.columns and not p.is_vehicle_purchase), ZERO)
    if cap:
        works = int(cap * 100 * Decimal(rng.uniform(0.5, 0.9)))
    total = goods + works + services
    sme = int(total * rng.uniform(0.4, 1.0))
    small = int(sme * rng.uniform(0.5, 1.0))
    procurement = Procurement(D(goods), D(works), D(services), D(sme), D(small))
    prior = PriorYear(
        prev.year, prev.income_general, prev.basic, prev.project, prev.public_use, dict(prev.items), prev.three_public
    )
    month, day = rng.choice([(1, rng.randint(10, 31)), (2, rng.randint(1, 20))])
    return DisclosureTruth(
        unit=plan.info,
        fiscal_year=state.year,
        expenditure=expenditure,
        economic=economic,
        projects=projects,
        three_public=state.three_public,
        profile=profile,
        assets=assets,
        procurement=procurement,
        prior=prior,
        signed=f"{state.year}-{month:02d}-{day:02d}",
    )


def _functions(arch: C.Archetype) -> list[str]:
    d = arch.domain
    return [
        f"1、贯彻执行党和国家关于{d}工作的方针政策和法律法规，拟订本地区{d}工作的规划和规章制度并组织实施。",
        f"2、负责本地区{d}领域的综合协调、监督管理和公共服务工作。",
        "3、负责本系统财务、资产和内部审计工作，指导所属单位业务工作。",
        "4、完成党委、政府交办的其他任务。",
    ]


# ------------------------------------------------------------------ defects

DEFECT_KINDS = (
    "wrong_total",
    "narrative_income",
    "narrative_class",
    "narrative_item",
    "three_public_part",
    "three_public_change",
    "vehicle_kinds",
    "procurement",
    "performance_count",
    "operating_cost",
    "cost_indicator",
    "unit_variant",
    "project_name_narrative",
    "project_name_target",
    "missing_table",
)
WRONG_TOTAL_RULES = {
    2: ["SUM-ROWS", "XT-TOTALS"],
    3: ["SUM-ROWS", "XT-TOTALS", "NR-TOTALS"],
    6: ["SUM-ROWS", "XT-TOTALS", "NR-TOTALS"],
    7: ["SUM-ROWS", "XT-TOTALS"],
}
# The national 部门收入总表 prints its totals alone (no code lines to add up): only XT-TOTALS can see it.
WRONG_TOTAL_RULES_NATIONAL = {**WRONG_TOTAL_RULES, 2: ["XT-TOTALS"]}
# Defects the national template cannot show, because the rules that must find them compare with a
# table or line it does not print: 表七 (no 一般公共预算项目支出表: NR-PROJECT, PT-PROJECT-NAME), the
# 类 codes of 表一 (NR-CLASS compares by code) and a 表一 income line named 一般公共预算 (NR-INCOME
# matches names; the national line is 一、一般公共预算拨款收入).
NOT_IN_NATIONAL = ("narrative_income", "narrative_class", "project_name_narrative", "project_name_target")


def defect_kinds_for(template: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """The defect kinds (of `kinds`, default all) a document of this template family can carry."""
    pool = list(kinds or DEFECT_KINDS)
    return [k for k in pool if k not in NOT_IN_NATIONAL] if template == "national" else pool


def share(amount: Decimal, total: Decimal) -> Decimal:
    """The printed share, as rule NR-SHARE recomputes it (amount ÷ 表五 total × 100, 2 decimals)."""
    return (amount / total * 100).quantize(Decimal("0.01"))


def _delta(rng: random.Random, value: Decimal, low: int = 1, high: int = 2000) -> Decimal:
    """A nonzero misprint that keeps the printed value positive."""
    d = D(rng.randint(low, high))
    if value - d > 0 and rng.random() < 0.5:
        return -d
    return d


def choose_defects(t: DisclosureTruth, rate: float, seed: int, kinds: tuple[str, ...] | None) -> list[Defect]:
    rng = _rng(seed, "defects", t.unit.unit_id, t.fiscal_year)
    if rate <= 0 or rng.random() >= rate:
        return []
    pool = defect_kinds_for(t.layout.template, kinds)
    n = 1 if rng.random() < 0.6 else 2
    chosen: list[str] = []
    while pool and len(chosen) < n:
        k = pool.pop(rng.randrange(len(pool)))
        if k == "missing_table" and chosen:
            continue
        chosen.append(k)
        if k == "missing_table":
            break
    return [make_defect(k, t, rng) for k in chosen]


def make_defect(kind: str, t: DisclosureTruth, rng: random.Random) -> Defect:
    national = t.layout.template == "national"
    if kind == "wrong_total":
        return wrong_total_defect(t, rng.choice([2, 3, 6] if national else [2, 3, 6, 7]), rng)
    if kind == "narrative_income":
        total = t.total
        for _ in range(20):
            delta = _delta(rng, total, 1, 50)
            if abs(share(total + delta, total) - share(total, total)) <= Decimal("0.1"):
                break
        rules = ["NR-INCOME"]
        if abs(share(total + delta, total) - share(total, total)) > Decimal("0.1"):
            rules.append("NR-SHARE")
        return Defect(
            kind,
            rules,
            f"二、收入预算: 一般公共预算 printed {total + delta} (表一 {total})",
            {"printed": total + delta},
        )
    if kind == "narrative_class":
        code, amount = rng.choice(sorted(t.by_class().items()))
        printed = amount + _delta(rng, amount)
        return Defect(
            kind,
            ["NR-CLASS"],
            f"一、总体说明: {C.CLASS_NAMES[code]} printed {printed} (表一 {amount})",
            {"class_code": code, "printed": printed},
        )
    if kind == "narrative_item":
        row = rng.choice(t.expenditure)
        printed = row.total + _delta(rng, row.total)
        return Defect(
            kind,
            ["NR-ITEM"],
            f"五（三）具体使用: {row.name} printed {printed} (表三 {row.total})",
            {"code": row.code, "printed": printed},
        )
    if kind == "three_public_part":
        part = rng.choice(["official_reception", "vehicle_operation"])
        true = getattr(t.three_public, part)
        printed = true + _delta(rng, true, 1, 300)
        return Defect(
            kind,
            ["NR-THREE-PUBLIC"],
            f"八、三公: {part} printed {printed} (表八 {true})",
            {"part": part, "printed": printed},
        )
    if kind == "three_public_change":
        part = rng.choice(["official_reception", "vehicle_operation", "overseas_travel"])
        delta = D(rng.randint(1, 200)) * rng.choice([1, -1])
        return Defect(
            kind,
            ["NR-THREE-PUBLIC-CHANGE"],
            f"八、三公: change of {part} misprinted by {delta}",
            {"part": part, "delta": delta},
        )
    if kind == "vehicle_kinds":
        kind_name = rng.choice(list(C.VEHICLE_KINDS))
        return Defect(
            kind,
            ["NR-ASSET-VEHICLE"],
            f"国有资产: {kind_name} count printed one too many",
            {"vehicle_kind": kind_name, "delta": 1},
        )
    if kind == "procurement":
        delta = D(rng.randint(1, 500))
        return Defect(kind, ["NR-PROCUREMENT"], f"政府采购: 服务 printed {delta} too high", {"delta": delta})
    if kind == "performance_count":
        return Defect(kind, ["NR-PERFORMANCE-COUNT"], "预算绩效: project count printed one too many", {"delta": 1})
    if kind == "operating_cost":
        true = t.public_use_total
        printed = true + _delta(rng, true)
        return Defect(
            kind, ["NR-TOTALS"], f"机关运行经费 printed {printed} (表六 公用经费 {true})", {"printed": printed}
        )
    if kind == "cost_indicator":
        i = rng.randrange(len(t.projects))
        p = t.projects[i]
        printed = p.amount + _delta(rng, p.amount)
        return Defect(
            kind,
            ["PT-COST"],
            f"绩效目标表 {p.name}: 成本指标 {printed} ≠ 资金 {p.amount}",
            {"project": i, "printed": printed},
        )
    if kind == "unit_variant":
        return Defect(
            kind, ["DOC-UNIT-VARIANT"], f"unit also written {t.unit.aliases[0]}", {"variant": t.unit.aliases[0]}
        )
    if kind in ("project_name_narrative", "project_name_target"):
        i = rng.randrange(len(t.projects))
        variant = _name_variant(t.projects[i].name, rng)
        rule = "NR-PROJECT" if kind == "project_name_narrative" else "PT-PROJECT-NAME"
        where = "七、项目支出" if kind == "project_name_narrative" else "绩效目标表"
        return Defect(
            kind,
            [rule],
            f"{where}: project {t.projects[i].name} printed as {variant}",
            {"project": i, "variant": variant},
        )
    if kind == "missing_table":
        if national:
            from generator.national import SLOTS

            return missing_table_defect(rng.choice(SLOTS))
        return missing_table_defect(rng.randint(1, 9))
    raise ValueError(kind)


def wrong_total_defect(t: DisclosureTruth, table: int, rng: random.Random) -> Defect:
    """The 合计 row of 表二/三/六/七 misprinted: its total and one part column by the same amount
    (so the row itself still adds up: no ROW-PARTS), and every rule that reads that total fires
    (WRONG_TOTAL_RULES, or WRONG_TOTAL_RULES_NATIONAL for the national template, which has no 表七)."""
    national = t.layout.template == "national"
    if national and table == 7:
        raise ValueError("the national template prints no 表七 (一般公共预算项目支出表)")
    column = {2: "general_budget_wan_yuan", 3: "basic_wan_yuan", 6: "personnel_wan_yuan"}.get(table)
    base = {2: t.total, 3: t.basic_total, 6: t.personnel_total, 7: t.project_total}[table]
    if table == 7:
        column = next(iter(t.projects[0].columns))
        base = sum((p.columns.get(column, ZERO) for p in t.projects), ZERO)
    delta = _delta(rng, base)
    rules = (WRONG_TOTAL_RULES_NATIONAL if national else WRONG_TOTAL_RULES)[table]
    return Defect(
        "wrong_total",
        rules,
        f"表{'一二三四五六七八九'[table - 1]} 合计 printed off by {delta}",
        {"table": table, "columns": ["total_wan_yuan", column], "delta": delta},
    )


def missing_table_defect(table: int) -> Defect:
    rules = ["DOC-TABLE-MISSING"]  # rules that need the missing table stay silent
    return Defect("missing_table", rules, f"表{'一二三四五六七八九'[table - 1]} left out", {"table": table})


def _name_variant(name: str, rng: random.Random) -> str:
    for old, new in (("工作经费", "经费"), ("补助资金", "资金"), ("经费", "专项经费"), ("资金", "专项资金")):
        if name.endswith(old):
            return name[: -len(old)] + new
    return name + "项目"


# ------------------------------------------------------------------ corpus


def parse_regions(spec: str) -> list[str]:
    if spec in ("all", ""):
        return list(C.REGIONS)
    out = [r.strip() for r in spec.split(",") if r.strip()]
    for r in out:
        if r not in C.REGIONS:
            raise ValueError(f"unknown region {r!r} (known: {', '.join(C.REGIONS)})")
    return out


def parse_years(spec: str) -> list[int]:
    if "-" in spec:
        a, b = spec.split("-", 1)
        return list(range(int(a), int(b) + 1))
    return [int(y) for y in spec.split(",")]


def build_corpus(regions: list[str], units_per_region: int, years: list[int], opts: Options) -> list[DisclosureTruth]:
    """Every (unit, year) truth, with defects and layout variants chosen; not yet laid out."""
    if min(years) < BASE_YEAR + 1:
        raise ValueError(f"years start at {BASE_YEAR + 1}")
    out: list[DisclosureTruth] = []
    for region in regions:
        for index, (arch, _) in enumerate(choose_archetypes(region, units_per_region, opts.seed), start=1):
            plan = plan_unit(region, index, arch, opts.seed, opts.full_wording)
            prev = _first_state(plan, opts.seed)
            prev = next_year(plan, prev, BASE_YEAR, opts.seed, opts)
            for year in range(BASE_YEAR + 1, max(years) + 1):
                state = next_year(plan, prev, year, opts.seed, opts)
                if year in years:
                    t = truth_for(plan, state, prev, opts.seed)
                    t.layout = choose_layout(t, opts)
                    t.fmt = _rng(opts.seed, "format", plan.info.unit_id, year).choice(list(opts.formats))
                    if (
                        t.fmt == "pdf"
                        and opts.embed_font
                        and _rng(opts.seed, "embed", plan.info.unit_id, year).random() < 0.5
                    ):
                        t.layout = replace(t.layout, pdf_font=opts.embed_font)
                    t.defects = choose_defects(t, opts.defect_rate, opts.seed, opts.defect_kinds)
                    t.file_name = f"{C.FILE_PREFIX}{region}-{index:03d}-{year}"
                    out.append(t)
                prev = state
    return out


def choose_layout(t: DisclosureTruth, opts: Options) -> LayoutVariant:
    rng = _rng(opts.seed, "layout", t.unit.unit_id, t.fiscal_year)
    lv = LayoutVariant(
        text_layout=rng.choice(list(opts.text_layouts)),
        encoding=rng.choice(list(opts.encodings)),
        full_wording=opts.full_wording,
    )
    if opts.layout_variants:
        lv = replace(
            lv,
            code_layout=rng.choice(["split", "joined"]),
            yuan_table=rng.choice([None, None, 2, 3, 5, 6, 7, 8]),
            thousands=rng.random() < 0.5,
        )
    template = choose_template(t, opts)
    if template == "national":  # codes in one 科目编码 cell; no 表七 to print in 元
        lv = replace(
            lv, template=template, code_layout="joined", yuan_table=None if lv.yuan_table == 7 else lv.yuan_table
        )
    return lv


def choose_template(t: DisclosureTruth, opts: Options) -> str:
    """The unit-year's template family, drawn from `opts.templates` by its own random stream (so
    adding families to the list changes no other draw)."""
    if not opts.templates:
        raise ValueError(f"no template family to draw from (known: {', '.join(TEMPLATES)})")
    for name in opts.templates:
        if name not in TEMPLATES:
            raise ValueError(f"unknown template family {name!r} (known: {', '.join(TEMPLATES)})")
    if len(opts.templates) == 1:
        return opts.templates[0]
    return _rng(opts.seed, "template", t.unit.unit_id, t.fiscal_year).choice(list(opts.templates))
