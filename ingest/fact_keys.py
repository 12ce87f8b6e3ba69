"""Every narrative fact key (raw_narrative_facts.fact_key), declared once: key, unit, meaning.

The 情况说明 recogniser (ingest/recognize/narrative.py) emits facts under these keys; the rules
(NR-*, ingest/validate/rules.py) and the dbt models (fct_narrative_facts, the 三公 / assets /
procurement marts) read them by key. A key emitted with another unit than declared, or not declared
at all, is refused where it is emitted (``check``), so a typo in a recogniser cannot reach the lake
as a fact nobody reads. ``tests/test_fact_keys.py`` also parses the seed, generated documents of
every template and the real disclosures and checks every key they produce.

Units are as stored in ``value_unit``: 万元, % (percent points), 平方米, 辆, 台（套）, 个, 分 (a score), or None for a
text fact (a name, a date, a period).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactKey:
    key: str
    unit: str | None
    meaning: str


_AMOUNT = "万元"


def _family(
    key: str,
    meaning: str,
    *,
    change: bool = False,
    change_pct: bool = False,
    share: bool = False,
    unit: str | None = _AMOUNT,
) -> list[FactKey]:
    """A stated amount and the figures stated with it: 比上年增加/减少 x 万元, 增长/下降 x%, 占 x%."""
    out = [FactKey(key, unit, meaning)]
    if change:
        out.append(FactKey(f"{key}.change", _AMOUNT, f"{meaning}: change against last year as stated (减少 negative)"))
    if change_pct:
        out.append(FactKey(f"{key}.change_pct", "%", f"{meaning}: change against last year in percent as stated"))
    if share:
        out.append(FactKey(f"{key}.share_pct", "%", f"{meaning}: share of the total in percent as stated"))
    return out


_DECLARED: list[FactKey] = [
    # 收支预算总体情况
    *_family("income.total", "收入预算总计 stated in the 情况说明", change=True, change_pct=True),
    *_family(
        "income.by_source",
        "收入预算 of one source (subject: 一般公共预算拨款, 事业收入 …)",
        change=True,
        change_pct=True,
        share=True,
    ),
    *_family("expenditure.total", "支出预算总计 stated in the 情况说明", change=True, change_pct=True),
    *_family("expenditure.basic", "支出预算: 基本支出", change=True, change_pct=True, share=True),
    *_family("expenditure.project", "支出预算: 项目支出", change=True, change_pct=True, share=True),
    *_family(
        "expenditure.by_class",
        "支出预算 of one functional 类 (subject: the 类 name)",
        change=True,
        change_pct=True,
        share=True,
    ),
    *_family("budget.total", "收支预算总计 (one figure for both sides)", change=True, change_pct=True),
    # 财政拨款收支
    *_family("appropriation.total", "财政拨款收支总预算", change=True, change_pct=True),
    *_family(
        "appropriation.income.by_source",
        "财政拨款收入 of one source (subject)",
        change=True,
        change_pct=True,
        share=True,
    ),
    *_family(
        "appropriation.by_class",
        "财政拨款支出 of one functional 类 (subject)",
        change=True,
        change_pct=True,
        share=True,
    ),
    # 一般公共预算当年拨款
    *_family("general_budget.total", "一般公共预算当年拨款 total", change=True, change_pct=True),
    *_family("general_budget.basic", "一般公共预算: 基本支出", change=True, change_pct=True, share=True),
    *_family("general_budget.project", "一般公共预算: 项目支出", change=True, change_pct=True, share=True),
    *_family(
        "general_budget.by_class",
        "一般公共预算 of one functional 类 (subject)",
        change=True,
        change_pct=True,
        share=True,
    ),
    *_family(
        "general_budget.by_item",
        "一般公共预算 of one functional 项 (subject), 结构 paragraph",
        change=True,
        change_pct=True,
        share=True,
    ),
    *_family(
        "general_budget.item_detail",
        "一般公共预算 of one functional 项 (subject), 具体使用 paragraph",
        change=True,
        change_pct=True,
        share=True,
    ),
    # 基本支出
    *_family("basic.total", "一般公共预算基本支出 total", change=True, change_pct=True),
    *_family("basic.personnel", "基本支出: 人员经费", change=True, change_pct=True, share=True),
    *_family("basic.personnel.item", "人员经费 of one economic item (subject)"),
    *_family("basic.public_use", "基本支出: 公用经费", change=True, change_pct=True, share=True),
    *_family("basic.public_use.item", "公用经费 of one economic item (subject)"),
    # 政府性基金
    FactKey("gov_fund.total", _AMOUNT, "政府性基金预算支出 (0 when the unit states it has none)"),
    # “三公”经费
    *_family("three_public.total", "“三公”经费 total"),
    *_family("three_public.overseas_travel", "因公出国（境）费"),
    *_family("three_public.vehicle_total", "公务用车购置及运行费"),
    *_family("three_public.vehicle_purchase", "公务用车购置费"),
    *_family("three_public.vehicle_operation", "公务用车运行费"),
    *_family("three_public.official_reception", "公务接待费"),
    FactKey("three_public.change.total", _AMOUNT, "“三公”经费 total: change against last year as stated"),
    FactKey("three_public.change.overseas_travel", _AMOUNT, "因公出国（境）费: change as stated"),
    FactKey("three_public.change.vehicle_total", _AMOUNT, "公务用车购置及运行费: change as stated"),
    FactKey("three_public.change.vehicle_purchase", _AMOUNT, "公务用车购置费: change as stated"),
    FactKey("three_public.change.vehicle_operation", _AMOUNT, "公务用车运行费: change as stated"),
    FactKey("three_public.change.official_reception", _AMOUNT, "公务接待费: change as stated"),
    # 机关运行经费, 政府采购, 绩效
    FactKey("operating_cost.total", _AMOUNT, "机关运行经费"),
    FactKey("operating_cost.change", _AMOUNT, "机关运行经费: change against last year as stated (减少 negative)"),
    FactKey("operating_cost.change_pct", "%", "机关运行经费: change against last year in percent as stated"),
    FactKey("procurement.total", _AMOUNT, "政府采购预算总额"),
    FactKey("procurement.goods", _AMOUNT, "政府采购: 货物"),
    FactKey("procurement.works", _AMOUNT, "政府采购: 工程"),
    FactKey("procurement.services", _AMOUNT, "政府采购: 服务"),
    FactKey("procurement.sme_reserved", _AMOUNT, "政府采购: 预留给中小企业"),
    FactKey("procurement.small_micro_reserved", _AMOUNT, "政府采购: 其中预留给小微企业"),
    FactKey("performance.project_count", "个", "绩效目标管理: projects with targets"),
    FactKey("performance.amount", _AMOUNT, "绩效目标管理: funds covered"),
    # 国有资产占用
    FactKey("assets.as_of_date", None, "国有资产: as-of date as printed (截至…)"),
    FactKey("assets.building.area_m2", "平方米", "房屋 floor area"),
    FactKey("assets.building.value", _AMOUNT, "房屋 value"),
    FactKey("assets.vehicle.count", "辆", "车辆 count"),
    FactKey("assets.vehicle.value", _AMOUNT, "车辆 value"),
    FactKey("assets.vehicle_kind.count", "辆", "车辆 of one kind (subject: 一般公务用车 …)"),
    FactKey("assets.vehicle_kind.value", _AMOUNT, "车辆 of one kind: value"),
    FactKey("assets.furniture.value", _AMOUNT, "办公家具 value"),
    FactKey("assets.other.value", _AMOUNT, "其他资产 value"),
    FactKey("assets.equipment_over_500k.count", "台（套）", "单位价值50万元以上通用设备"),
    FactKey("assets.equipment_over_1m.count", "台（套）", "单位价值100万元以上专用设备"),
    FactKey("assets.planned.vehicle.count", "辆", "本年度拟购置车辆"),
    FactKey("assets.planned.equipment_over_500k.count", "台（套）", "本年度拟购置50万元以上设备"),
    FactKey("assets.planned.equipment_over_1m.count", "台（套）", "本年度拟购置100万元以上设备"),
    # 项目概述 (a project described in prose)
    FactKey("project.name", None, "项目名称"),
    FactKey("project.amount", _AMOUNT, "项目 amount"),
    FactKey("project.period", None, "实施周期"),
    FactKey("project.policy_basis", None, "立项依据"),
    FactKey("project.undertaking_unit", None, "实施主体"),
    FactKey("project.allocation", None, "资金分配 as printed"),
    # 决算 (final accounts) 情况说明 (ingest/recognize/final_accounts.py)
    FactKey("final.total", _AMOUNT, "决算: 收入支出总计"),
    FactKey("final.income_total", _AMOUNT, "决算: 本年收入合计"),
    FactKey("final.expenditure_total", _AMOUNT, "决算: 本年支出合计"),
    FactKey("final.appropriation_total", _AMOUNT, "决算: 财政拨款收入支出总计"),
    FactKey("final.general_budget.actual", _AMOUNT, "决算: 一般公共预算财政拨款支出"),
    FactKey("final.general_budget.budget", _AMOUNT, "决算: 一般公共预算财政拨款支出 年初预算"),
    FactKey("final.general_budget.completion_pct", "%", "决算: 一般公共预算 完成年初预算的 %"),
    FactKey("final.basic.total", _AMOUNT, "决算: 财政拨款基本支出"),
    FactKey("final.basic.personnel", _AMOUNT, "决算: 人员经费"),
    FactKey("final.basic.public", _AMOUNT, "决算: 公用经费"),
    FactKey("final.three_public.budget", _AMOUNT, "决算: “三公”经费财政拨款支出 预算"),
    FactKey("final.three_public.total", _AMOUNT, "决算: “三公”经费财政拨款支出 决算"),
    FactKey("final.three_public.completion_pct", "%", "决算: “三公”经费 完成预算的 %"),
    FactKey("final.office_operation", _AMOUNT, "决算: 机关运行经费支出"),
    FactKey("final.procurement.total", _AMOUNT, "决算: 政府采购支出总额"),
    FactKey("final.assets.vehicles", "辆", "决算: 共有车辆"),
    FactKey("final.item.budget", _AMOUNT, "决算: one 项's 年初预算 (subject: the 项)"),
    FactKey("final.item.actual", _AMOUNT, "决算: one 项's 决算数 (subject: the 项)"),
    FactKey("final.item.completion_pct", "%", "决算: one 项's 完成预算的 % (subject: the 项)"),
    FactKey(
        "final.change",
        _AMOUNT,
        "决算: a stated change against the year before (比2023年度增加/减少 x 万元; "
        "减少 negative; subject: what changed, as printed)",
    ),
    FactKey("final.change_pct", "%", "决算: the same change in percent as stated (增长/下降 x%; 下降 negative)"),
    FactKey("final.three_public.outbound", _AMOUNT, "决算: 因公出国（境）费 支出决算"),
    FactKey("final.three_public.outbound.completion_pct", "%", "决算: 因公出国（境）费 完成预算的 %"),
    FactKey("final.three_public.vehicle_total", _AMOUNT, "决算: 公务用车购置及运行（维护）费 支出决算"),
    FactKey("final.three_public.vehicle_total.completion_pct", "%", "决算: 公务用车购置及运行（维护）费 完成预算的 %"),
    FactKey("final.three_public.reception", _AMOUNT, "决算: 公务接待费 支出决算"),
    FactKey("final.three_public.reception.completion_pct", "%", "决算: 公务接待费 完成预算的 %"),
    FactKey("final.procurement.goods", _AMOUNT, "决算: 政府采购 货物"),
    FactKey("final.procurement.works", _AMOUNT, "决算: 政府采购 工程"),
    FactKey("final.procurement.services", _AMOUNT, "决算: 政府采购 服务"),
    FactKey("final.procurement.sme_awarded", _AMOUNT, "决算: 政府采购 授予中小企业合同金额"),
    FactKey("final.procurement.small_micro_awarded", _AMOUNT, "决算: 政府采购 其中授予小微企业合同金额"),
    FactKey("final.procurement.sme_reserved", _AMOUNT, "决算: 面向中小企业预留政府采购项目预算金额"),
    FactKey("final.procurement.small_micro_reserved", _AMOUNT, "决算: 面向小微企业预留政府采购项目预算金额"),
    FactKey("final.assets.vehicle_kind", "辆", "决算: 车辆 of one kind (subject: 机要通信用车 …)"),
    FactKey("final.assets.equipment_over_1m", "台（套）", "决算: 单价100万元以上设备（不含车辆）"),
    FactKey("final.performance.target_count", "个", "决算: projects with 绩效目标 (编报绩效目标的项目 x 个)"),
    FactKey("final.performance.target_amount", _AMOUNT, "决算: the 预算金额 of the projects with 绩效目标"),
    FactKey("final.performance.self_evaluated_count", "个", "决算: projects self-evaluated (绩效自评的项目 x 个)"),
    FactKey("final.performance.self_evaluated_amount", _AMOUNT, "决算: the 预算金额 of the self-evaluated projects"),
    FactKey("final.performance.self_evaluated_average_score", "分", "决算: their 平均得分"),
    FactKey("final.evaluation.count", "个", "决算: projects whose 绩效自评结果 the 决算 says it prints"),
    FactKey("final.evaluation.score", "分", "决算: one project's 自评得分 (subject: the project)"),
    FactKey("final.evaluation.full_year_budget", _AMOUNT, "决算: one project's 全年预算数 (subject: the project)"),
    FactKey("final.evaluation.executed", _AMOUNT, "决算: one project's 执行数 (subject: the project)"),
    FactKey("final.evaluation.completion_pct", "%", "决算: one project's 完成预算的 % (subject: the project)"),
]

FACT_KEYS: dict[str, FactKey] = {}
for _k in _DECLARED:
    if _k.key in FACT_KEYS:
        raise ValueError(f"fact key {_k.key!r} declared twice")
    FACT_KEYS[_k.key] = _k


def check(key: str, unit: str | None) -> None:
    """Raise ValueError unless `key` is declared with `unit`."""
    known = FACT_KEYS.get(key)
    if known is None:
        raise ValueError(f"undeclared narrative fact key {key!r}: declare it in ingest/fact_keys.py")
    if unit != known.unit:
        raise ValueError(f"fact key {key!r} is declared in {known.unit!r}, emitted in {unit!r}")
