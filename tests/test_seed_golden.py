"""Golden tests for the seed disclosure: 昌吉州外事办 2021 部门预算公开.

Every expected value below was transcribed by hand from the seed TEXT
(tests/fixtures/seed_changji_waishiban_2021.txt), i.e. from the numbers the
document itself prints — never from the parser's output. Money is in 万元 and is
compared as exact Decimals.

The seed is deliberately imperfect (it is a real disclosure): 表七 prints a 合计
of 36 over rows worth 66, the narrative says 一般公共预算 320.096, and so on. Those
inconsistencies must come out as findings (section 7), and nothing else may.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from ingest.model import RAW_TABLES

SEED_TEXT = (Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt").read_text(encoding="utf-8")

# =====================================================================================
# Expected rows, transcribed from the seed
# =====================================================================================

# 表一 部门（单位）收支总体情况表 → raw_budget_summary table_no 1.
# (side, item_name as printed, functional_class_code, total_wan_yuan, is_total)
T1_ROWS = [
    ("income", "财政拨款（补助）", None, D("320.06"), False),
    ("income", "一般公共预算", None, D("320.06"), False),
    ("income", "政府性基金预算", None, None, False),
    ("income", "国有资本经营预算", None, None, False),
    ("income", "教育收费（财政专户）", None, None, False),
    ("income", "事业收入", None, None, False),
    ("income", "事业单位经营收入", None, None, False),
    ("income", "单位其他资金收入", None, None, False),
    ("income", "收  入  总  计", None, D("320.06"), True),
    ("expenditure", "201 一般公共服务支出", "201", D("236.2"), False),
    ("expenditure", "202 外交支出", "202", None, False),
    ("expenditure", "203 国防支出", "203", D("28"), False),
    ("expenditure", "204 公共安全支出", "204", None, False),
    ("expenditure", "205 教育支出", "205", None, False),
    ("expenditure", "206 科学技术支出", "206", None, False),
    ("expenditure", "207 文化旅游体育与传媒支出", "207", None, False),
    ("expenditure", "208 社会保障和就业支出", "208", D("20.89"), False),
    ("expenditure", "209 社会保险基金支出", "209", None, False),
    ("expenditure", "210卫生健康支出", "210", D("34.97"), False),
    ("expenditure", "211 节能环保支出", "211", None, False),
    ("expenditure", "212 城乡社区支出", "212", None, False),
    ("expenditure", "213 农林水支出", "213", None, False),
    ("expenditure", "214 交通运输支出", "214", None, False),
    ("expenditure", "215 资源勘探工业信息等支出", "215", None, False),
    ("expenditure", "216 商业服务业等支出", "216", None, False),
    ("expenditure", "217 金融支出", "217", None, False),
    ("expenditure", "219 援助其他地区支出", "219", None, False),
    ("expenditure", "220 自然资源海洋气象等支出", "220", None, False),
    ("expenditure", "221 住房保障支出", "221", None, False),
    ("expenditure", "222 粮油物资储备支出", "222", None, False),
    ("expenditure", "223 国有资本经营预算支出", "223", None, False),
    ("expenditure", "224灾害防治及应急管理支出", "224", None, False),
    ("expenditure", "227 预备费", "227", None, False),
    ("expenditure", "229 其他支出", "229", None, False),
    ("expenditure", "230转移性支出", "230", None, False),
    ("expenditure", "231 债务还本支出", "231", None, False),
    ("expenditure", "232 债务付息支出", "232", None, False),
    ("expenditure", "233 债务发行费用支出", "233", None, False),
    ("expenditure", "234 抗疫特别国债还本支出", "234", None, False),
    ("expenditure", "支  出  总  计", None, D("320.06"), True),
]

# 表四 财政拨款收支预算总体情况表 → raw_budget_summary table_no 4.
# (side, item_name as printed, functional_class_code, total_wan_yuan, general_budget_wan_yuan, is_total)
T4_ROWS = [
    ("income", "财政拨款（补助）", None, D("320.06"), None, False),
    ("income", "一般公共预算", None, D("320.06"), None, False),
    ("income", "政府性基金预算", None, None, None, False),
    ("income", "国有资本经营预算", None, None, None, False),
    ("income", "收  入  总  计", None, D("320.06"), None, True),
    ("expenditure", "201 一般公共服务支出", "201", D("236.2"), D("236.2"), False),
    ("expenditure", "202 外交支出", "202", None, None, False),
    ("expenditure", "203 国防支出", "203", D("28"), D("28"), False),
    ("expenditure", "204 公共安全支出", "204", None, None, False),
    ("expenditure", "205 教育支出", "205", None, None, False),
    ("expenditure", "206 科学技术支出", "206", None, None, False),
    ("expenditure", "207 文化旅游体育与传媒支出", "207", None, None, False),
    ("expenditure", "208 社会保障和就业支出", "208", D("20.89"), D("20.89"), False),
    ("expenditure", "209 社会保险基金支出", "209", None, None, False),
    ("expenditure", "210卫生健康支出", "210", D("34.97"), D("34.97"), False),
    ("expenditure", "211 节能环保支出", "211", None, None, False),
    ("expenditure", "212 城乡社区支出", "212", None, None, False),
    ("expenditure", "213 农林水支出", "213", None, None, False),
    ("expenditure", "214 交通运输支出", "214", None, None, False),
    ("expenditure", "215 资源勘探工业信息等支出", "215", None, None, False),
    ("expenditure", "216 商业服务业等支出", "216", None, None, False),
    ("expenditure", "217 金融支出", "217", None, None, False),
    ("expenditure", "219 援助其他地区支出", "219", None, None, False),
    ("expenditure", "220 自然资源海洋气象等支出", "220", None, None, False),
    ("expenditure", "221 住房保障支出", "221", None, None, False),
    ("expenditure", "222 粮油物资储备支出", "222", None, None, False),
    ("expenditure", "223 国有资本经营预算支出", "223", None, None, False),
    ("expenditure", "224灾害防治及应急管理支出", "224", None, None, False),
    ("expenditure", "227 预备费", "227", None, None, False),
    ("expenditure", "229 其他支出", "229", None, None, False),
    ("expenditure", "230转移性支出", "230", None, None, False),
    ("expenditure", "231 债务还本支出", "231", None, None, False),
    ("expenditure", "232 债务付息支出", "232", None, None, False),
    ("expenditure", "233 债务发行费用支出", "233", None, None, False),
    ("expenditure", "234 抗疫特别国债还本支出", "234", None, None, False),
    ("expenditure", "支  出  总  计", None, D("320.06"), D("320.06"), True),
]

# 表二 部门（单位）收入总体情况表 → raw_income.
# (functional_code 类+款+项, functional_name, total_wan_yuan, general_budget_wan_yuan, is_total)
T2_ROWS = [
    ("2010301", "行政运行", D("172.3"), D("172.3"), False),
    ("2010302", "外事工作经费", D("36"), D("36"), False),
    ("2010305", "事业运行", D("25.9"), D("25.9"), False),
    ("2080505", "机关事业单位基本养老保险缴费", D("20.89"), D("20.89"), False),
    ("2101101", "行政单位医疗补助", D("26.33"), D("26.33"), False),
    ("2101103", "公务员医疗补助", D("8.56"), D("8.56"), False),
    ("2101199", "其他行政事业单位社保缴费", D("0.08"), D("0.08"), False),
    ("2013405", "华侨事务", D("2"), D("2"), False),
    ("2039999", "其他国防支出", D("28"), D("28"), False),
    (None, None, D("320.06"), D("320.06"), True),  # 合  计
]

# 表三 部门（单位）支出总体情况表 → raw_expenditure table_no 3.
# (functional_code, functional_name, total_wan_yuan, basic_wan_yuan, project_wan_yuan, is_total)
T3_ROWS = [
    ("2010301", "行政运行", D("172.3"), D("172.3"), None, False),
    ("2010302", "外事工作经费", D("36"), None, D("36"), False),
    ("2010305", "事业运行", D("25.9"), D("25.9"), None, False),
    ("2080505", "机关事业单位基本养老保险缴费", D("20.89"), D("20.89"), None, False),
    ("2101101", "行政单位医疗", D("26.33"), D("26.33"), None, False),  # sic: 表三 prints 行政单位医疗
    ("2101103", "公务员医疗补助", D("8.56"), D("8.56"), None, False),
    ("2101199", "其他行政事业单位社保缴费", D("0.08"), D("0.08"), None, False),
    ("2013405", "华侨事务", D("2"), None, D("2"), False),
    ("2039999", "其他国防支出", D("28"), None, D("28"), False),
    (None, None, D("320.06"), D("254.06"), D("66"), True),  # 合  计
]

# 表五 一般公共预算支出情况表 → raw_expenditure table_no 5 (same as 表三 but 2101101 is 行政单位医疗补助).
T5_ROWS = [
    ("2010301", "行政运行", D("172.3"), D("172.3"), None, False),
    ("2010302", "外事工作经费", D("36"), None, D("36"), False),
    ("2010305", "事业运行", D("25.9"), D("25.9"), None, False),
    ("2080505", "机关事业单位基本养老保险缴费", D("20.89"), D("20.89"), None, False),
    ("2101101", "行政单位医疗补助", D("26.33"), D("26.33"), None, False),
    ("2101103", "公务员医疗补助", D("8.56"), D("8.56"), None, False),
    ("2101199", "其他行政事业单位社保缴费", D("0.08"), D("0.08"), None, False),
    ("2013405", "华侨事务", D("2"), None, D("2"), False),
    ("2039999", "其他国防支出", D("28"), None, D("28"), False),
    (None, None, D("320.06"), D("254.06"), D("66"), True),  # 合  计
]

# 表六 一般公共预算基本支出情况表 → raw_basic_expenditure_economic.
# (economic_code 类+款, economic_name, total_wan_yuan, personnel_wan_yuan, public_use_wan_yuan, is_total)
T6_ROWS = [
    ("30101", "基本工资", D("81.68"), D("81.68"), None, False),
    ("30102", "津贴补贴", D("37.15"), D("37.15"), None, False),
    ("30103", "奖金", D("5.68"), D("5.68"), None, False),
    ("30106", "伙食补助费", D("18.9"), D("18.9"), None, False),
    ("30107", "绩效工资", D("7.52"), D("7.52"), None, False),
    ("30108", "机关事业单位基本养老保险缴费", D("20.89"), D("20.89"), None, False),
    ("30110", "职工基本医疗保险缴费", D("26.33"), D("26.33"), None, False),
    ("30111", "公务员医疗补助缴费", D("8.56"), D("8.56"), None, False),
    ("30112", "其他社会保障缴费", D("0.08"), D("0.08"), None, False),
    ("30113", "住房公积金", D("15.67"), D("15.67"), None, False),
    ("30201", "办公费", D("6.83"), None, D("6.83"), False),
    ("30205", "水费", D("0.26"), None, D("0.26"), False),
    ("30206", "电费", D("1.31"), None, D("1.31"), False),
    ("30207", "邮电费", D("2"), None, D("2"), False),
    ("30211", "差旅费", D("1.2"), None, D("1.2"), False),
    ("30216", "培训费", D("0.53"), None, D("0.53"), False),
    ("30217", "公务接待费", D("0.62"), None, D("0.62"), False),
    ("30228", "工会会费", D("1.63"), None, D("1.63"), False),
    ("30229", "福利费", D("3.76"), None, D("3.76"), False),
    ("30231", "公务用车运行维护费", D("4.5"), None, D("4.5"), False),
    ("30299", "其他商品和服务支出", D("4.86"), None, D("4.86"), False),
    ("30309", "奖励金", D("2.2"), D("2.2"), None, False),
    ("30314", "对个人和家庭的补助支出", D("1.9"), D("1.9"), None, False),
    (None, None, D("254.06"), D("226.56"), D("27.5"), True),  # 合  计
]

# 表七 一般公共预算项目支出情况表 → raw_project_expenditure.
# (functional_code, functional_name (科目), project_name, total_wan_yuan, goods_services_wan_yuan, is_total)
# NB the document's 合计 (36) is NOT the sum of its rows (66): that is the SUM-ROWS finding below.
T7_ROWS = [
    ("2010302", "一般行政管理事务", "外事工作经费", D("36"), D("36"), False),
    ("2013405", "华侨事务", "对外友好协会工作经费", D("2"), D("2"), False),
    ("2039999", "其他国防支出", "边界工作正常运转经费", D("8"), D("8"), False),
    ("2039999", "其他国防支出", "境外安保培训经费", D("20"), D("20"), False),
    (None, None, None, D("36"), D("36"), True),  # 合 计
]

# 表八 一般公共预算“三公”经费支出情况表 → raw_three_public (one row; 公务用车购置费 is a blank cell).
T8_ROW = {
    "total_wan_yuan": D("5.12"),
    "overseas_travel_wan_yuan": D("0"),
    "vehicle_total_wan_yuan": D("4.5"),
    "vehicle_purchase_wan_yuan": None,
    "vehicle_operation_wan_yuan": D("4.5"),
    "official_reception_wan_yuan": D("0.62"),
}

# raw_tables: 表一…表八 present, 表九 empty (备注：我单位无政府性基金预算，此表为空表。)
TABLE_STATUS = {
    1: "present",
    2: "present",
    3: "present",
    4: "present",
    5: "present",
    6: "present",
    7: "present",
    8: "present",
    9: "empty",
}
TABLE_CODES = {1: "表一", 2: "表二", 3: "表三", 4: "表四", 5: "表五", 6: "表六", 7: "表七", 8: "表八", 9: "表九"}

# 第一部分 二、机构设置及人员情况 → raw_unit_profile.
UNIT_PROFILE = {
    "authorized_staff": 19,
    "actual_staff": 15,
    "in_service_staff": 15,
    "in_service_change": -2,  # 减少2人
    "retired_staff": 20,
    "retired_change": 4,  # 增加4人
    "separated_staff": 0,  # 离休0人
    "separated_change": 0,  # 增加或减少0人
    "internal_department_count": 4,
    "internal_department_names": "综合科、外事科、边界事务科、口岸科",
    "subordinate_unit_count": 0,  # 无下属预算单位
}

# 第三部分 情况说明 → raw_narrative_facts.
# (fact_key, subject or None = any, section prefix or None = any, value, value_unit)
NARRATIVE_FACTS = [
    # 一、总体说明
    ("budget.total", None, "一、", D("320.06"), "万元"),
    ("income.by_source", "一般公共预算", "一、", D("320.06"), "万元"),
    # 二、收入预算 — the document prints 320.096 here (sic)
    ("income.total", None, "二、", D("320.06"), "万元"),
    ("income.by_source", "一般公共预算", "二、", D("320.096"), "万元"),
    ("income.by_source.share_pct", "一般公共预算", "二、", D("100"), "%"),
    ("income.by_source.change", "一般公共预算", "二、", D("-3.52"), "万元"),
    # 三、支出预算
    ("expenditure.total", None, "三、", D("320.06"), "万元"),
    ("expenditure.basic", None, "三、", D("254.06"), "万元"),
    ("expenditure.basic.share_pct", None, "三、", D("79.38"), "%"),
    ("expenditure.basic.change", None, "三、", D("-3.52"), "万元"),
    ("expenditure.project", None, "三、", D("66"), "万元"),
    ("expenditure.project.share_pct", None, "三、", D("20.62"), "%"),
    # 五、(一) 一般公共预算当年拨款规模变化
    ("general_budget.total", None, "（一）", D("320.06"), "万元"),
    ("general_budget.basic", None, "（一）", D("254.06"), "万元"),
    ("general_budget.basic.change", None, "（一）", D("-3.52"), "万元"),
    ("general_budget.basic.change_pct", None, "（一）", D("-1.37"), "%"),
    # 五、(三) 具体使用情况
    ("general_budget.item_detail", "行政运行", None, D("228.16"), "万元"),
    ("general_budget.item_detail.change", "行政运行", None, D("-3.73"), "万元"),
    ("general_budget.item_detail.change_pct", "行政运行", None, D("-1.6"), "%"),
    ("general_budget.item_detail", "事业运行", None, D("25.9"), "万元"),
    ("general_budget.item_detail.change", "事业运行", None, D("0.21"), "万元"),
    ("general_budget.item_detail.change_pct", "事业运行", None, D("0.82"), "%"),
    # 六、基本支出
    ("basic.total", None, "六、", D("254.06"), "万元"),
    ("basic.personnel", None, "六、", D("226.56"), "万元"),
    ("basic.public_use", None, "六、", D("27.5"), "万元"),
    # 七、项目支出 (names as printed in the narrative)
    ("project.amount", "对外友好协会工作经费", "七、", D("2"), "万元"),
    ("project.amount", "边界工作正常运转经费", "七、", D("8"), "万元"),
    ("project.amount", "境外安保工作经费", "七、", D("20"), "万元"),
    ("project.amount", "外事工作经费", "七、", D("36"), "万元"),
    # 八、三公
    ("three_public.total", None, "八、", D("5.12"), "万元"),
    ("three_public.overseas_travel", None, "八、", D("0"), "万元"),
    ("three_public.vehicle_purchase", None, "八、", D("0"), "万元"),
    ("three_public.vehicle_operation", None, "八、", D("4.5"), "万元"),
    ("three_public.official_reception", None, "八、", D("0.62"), "万元"),
    ("three_public.change.total", None, "八、", D("-3.31"), "万元"),
    ("three_public.change.overseas_travel", None, "八、", D("0"), "万元"),
    ("three_public.change.vehicle_operation", None, "八、", D("-3.3"), "万元"),
    ("three_public.change.official_reception", None, "八、", D("-0.1"), "万元"),
    # 十、(一) 机关运行经费
    ("operating_cost.total", None, "（一）机关运行经费", D("27.5"), "万元"),
    ("operating_cost.change", None, "（一）机关运行经费", D("-3.7"), "万元"),
    ("operating_cost.change_pct", None, "（一）机关运行经费", D("-11.86"), "%"),
    # 十、(二) 政府采购
    ("procurement.total", None, "（二）政府采购", D("86.83"), "万元"),
    ("procurement.goods", None, "（二）政府采购", D("44.83"), "万元"),
    ("procurement.works", None, "（二）政府采购", D("0"), "万元"),
    ("procurement.services", None, "（二）政府采购", D("42"), "万元"),
    ("procurement.sme_reserved", None, "（二）政府采购", D("86.83"), "万元"),
    ("procurement.small_micro_reserved", None, "（二）政府采购", D("86.83"), "万元"),
    # 十、(三) 国有资产 (截至2020年底)
    ("assets.building.area_m2", None, "（三）国有资产", D("5059.61"), "平方米"),
    ("assets.building.value", None, "（三）国有资产", D("2106.94"), "万元"),
    ("assets.vehicle.count", None, "（三）国有资产", D("3"), "辆"),
    ("assets.vehicle.value", None, "（三）国有资产", D("86.86"), "万元"),
    ("assets.vehicle_kind.count", "一般公务用车", "（三）国有资产", D("3"), "辆"),
    ("assets.vehicle_kind.value", "一般公务用车", "（三）国有资产", D("86.86"), "万元"),
    ("assets.vehicle_kind.count", "执法执勤用车", "（三）国有资产", D("3"), "辆"),
    ("assets.vehicle_kind.value", "执法执勤用车", "（三）国有资产", D("86.86"), "万元"),
    ("assets.vehicle_kind.count", "其他车辆", "（三）国有资产", D("0"), "辆"),
    ("assets.vehicle_kind.value", "其他车辆", "（三）国有资产", D("0"), "万元"),
    ("assets.furniture.value", None, "（三）国有资产", D("111.88"), "万元"),
    ("assets.other.value", None, "（三）国有资产", D("2115.28"), "万元"),
    ("assets.equipment_over_500k.count", None, "（三）国有资产", D("2"), "台（套）"),
    ("assets.equipment_over_1m.count", None, "（三）国有资产", D("2"), "台（套）"),
    ("assets.planned.vehicle.count", None, "（三）国有资产", D("0"), "辆"),  # 未安排购置车辆经费
    ("assets.planned.equipment_over_500k.count", None, "（三）国有资产", D("0"), "台（套）"),
    ("assets.planned.equipment_over_1m.count", None, "（三）国有资产", D("0"), "台（套）"),
    # 十、(四) 预算绩效
    ("performance.project_count", None, "（四）预算绩效", D("4"), "个"),
    ("performance.amount", None, "（四）预算绩效", D("66"), "万元"),
]

# 项目支出绩效目标表 → raw_performance_targets (project name as printed in each 绩效目标表).
# (project_name, budget_unit_name, target_year, funds_total, funds_fiscal, funds_other, overall_goal start, end)
PERFORMANCE_TARGETS = [
    (
        "对外友好协会工作经费",
        "昌吉州外事办",
        2021,
        D("2"),
        D("2"),
        None,
        "协调管理自治州同外国建立和发展友好城市关系的工作；",
        "负责以自治区友协名义邀请的外国友好组织和友好人士的接待工作。",
    ),
    (
        "边界工作正常运转经费",
        "昌吉州外事办",
        2021,
        D("8"),
        D("8"),
        None,
        "维护和稳定好边界，确保边界线、界标的清晰与稳定。",
        "维护和稳定好边界，确保边界线、界标的清晰与稳定。",
    ),
    (
        "境外安保培训工作经费",
        "昌吉州外事办",
        2021,
        D("20"),
        D("20"),
        None,
        "全面负责自治州境外安全保障与外事维稳工作；",
        "协调加强自治州丝绸之路经济带核心区建设境外安全、领事保护和应急处置工作。",
    ),
    (
        "外事工作经费",
        "昌吉州外事办",
        2021,
        D("36"),
        D("36"),
        None,
        "管理和知道全州因公出国、因公赴港、澳人员审核、",
        "负责对因公出国（境）人员的出国（境）前教育",
    ),
]

# 绩效目标表 indicators, in printed order; merged 一级/二级 cells carried forward.
# (level1, level2, level3, target_value, comparator, target_number, target_number_high, target_unit)
PERFORMANCE_INDICATORS = {
    "对外友好协会工作经费": [
        ("产出指标", "数量指标", "已建3对友城缴纳会费（次）", "3", "=", D("3"), None, "次"),
        ("产出指标", "质量指标", "友协会费缴纳及时率（%）", "100%", "=", D("100"), None, "%"),
        (
            "产出指标",
            "质量指标",
            "自治州借助友协平台与国外友城对接开展各项业务的利用率（%）",
            "≥95%",
            ">=",
            D("95"),
            None,
            "%",
        ),
        ("产出指标", "时效指标", "对外友协工作完成时间", "1-12月", "range", D("1"), D("12"), "月"),
        ("产出指标", "成本指标", "完成此项工作所需经费（万元）", "2", "=", D("2"), None, "万元"),
        (
            "效益指标",
            "经济效益指标",
            "促进了自治州企业与国外友城的经贸合作，促进了自治州与毗邻国家的警务合作，促进了中蒙俄走廊建设发展，进一步推进了“一带一路”战略实施。",
            "促进",
            None,
            None,
            None,
            None,
        ),
        (
            "效益指标",
            "可持续影响指标",
            "通过友协平台进一步拓展加深了自治州与国外友城之间的经济贸易、农业、矿产资源、口岸基础建设、文化旅游和警务合作的联系。",
            "提升",
            None,
            None,
            None,
            None,
        ),
        ("满意度指标", "满意度指标", "已缔结的友好城市对自治州友协的满意度（%）", "≥95%", ">=", D("95"), None, "%"),
    ],
    "边界工作正常运转经费": [
        ("产出指标", "数量指标", "边界踏查次数（次）", "≥2", ">=", D("2"), None, "次"),
        ("产出指标", "数量指标", "边界法律法规宣传次数（次）", "≥2", ">=", D("2"), None, "次"),
        ("产出指标", "质量指标", "路网、界标完好率（%）", "≥95%", ">=", D("95"), None, "%"),
        ("产出指标", "质量指标", "边民、护边员法律意识的普及率（%）", "≥95%", ">=", D("95"), None, "%"),
        ("产出指标", "时效指标", "检查路网、界标，确保国界线清晰工作完成时间（月）", "10", "=", D("10"), None, "月"),
        ("产出指标", "成本指标", "开展此项工作所需经费（万元）", "8", "=", D("8"), None, "万元"),
        (
            "效益指标",
            "社会效益指标",
            "提升边民、护边员知法、懂法、护法、守法、学法意识",
            "提升",
            None,
            None,
            None,
            None,
        ),
        (
            "效益指标",
            "可持续影响指标",
            "及时掌握边界情况，保持国界线清晰，便于开展日常边界巡逻",
            "长期",
            None,
            None,
            None,
            None,
        ),
        ("满意度指标", "满意度指标", "边界边民、护边员的满意度（%）", "≥95%", ">=", D("95"), None, "%"),
    ],
    "境外安保培训工作经费": [
        ("产出指标", "数量指标", "组织培训的班次（次）", "1", "=", D("1"), None, "次"),
        ("产出指标", "质量指标", "培训学员合格率（%）", "≥95%", ">=", D("95"), None, "%"),
        ("产出指标", "时效指标", "按计划完成培训课程时间（月）", "12", "=", D("12"), None, "月"),
        ("产出指标", "成本指标", "完成此项工作所需经费（万元）", "20", "=", D("20"), None, "万元"),
        (
            "效益指标",
            "社会效益指标",
            "通过境外安保培训进一步提升各学员及企业的境外安保意识及应对处理突发事件能力。",
            "提升",
            None,
            None,
            None,
            None,
        ),
        (
            "效益指标",
            "可持续影响指标",
            "为学员及企业后期在境外的工作中垫定了良好的理论及实践基础",
            "持续",
            None,
            None,
            None,
            None,
        ),
        ("满意度指标", "满意度指标", "参训学员及企业对培训内容满意度（%）", "≥95%", ">=", D("95"), None, "%"),
    ],
    "外事工作经费": [
        ("产出指标", "数量指标", "境外安保、外事维稳及领事保护工作检查次数。（次）", "≥1", ">=", D("1"), None, "次"),
        ("产出指标", "数量指标", "参加国家及自治区相关培训次数（次）", "≥1", ">=", D("1"), None, "次"),
        ("产出指标", "质量指标", "境外安保、外事维稳及领事保护工作完成率（%）", "100%", "=", D("100"), None, "%"),
        ("产出指标", "时效指标", "项目工作完成时间", "1-12月", "range", D("1"), D("12"), "月"),
        ("产出指标", "成本指标", "完成此项工作所需经费（万元）", "26", "=", D("26"), None, "万元"),
        ("效益指标", "经济效益指标", "加强对外交流合作，促进昌吉州进一步扩大对外开放", "促进", None, None, None, None),
        (
            "效益指标",
            "社会效益指标",
            "为进一步推进丝绸之路经济带核心区建设提升外事人员的工作素质和能力",
            "提升",
            None,
            None,
            None,
            None,
        ),
        ("满意度指标", "满意度指标", "因公出访办件人员的满意度（%）", "≥95%", ">=", D("95"), None, "%"),
    ],
}

# Inconsistencies printed in the seed that must become error findings.
# (rule_id, table_ref, expected, actual, difference = actual − expected)
EXPECTED_ERRORS = [
    ("SUM-ROWS", "表七", D("66"), D("36"), D("-30")),  # 表七 合计 36, rows 36+2+8+20 = 66
    ("XT-TOTALS", "表七", D("66"), D("36"), D("-30")),  # 表三 项目支出 66 vs 表七 合计 36
    ("NR-INCOME", "情况说明", D("320.06"), D("320.096"), D("0.036")),  # 二、一般公共预算320.096万元
    ("NR-CLASS", "情况说明", D("236.2"), D("320.06"), D("83.86")),  # 五(二) 一般公共服务支出320.06万元
    ("NR-ITEM", "情况说明", D("172.3"), D("228.16"), D("55.86")),  # 五(三) 行政运行 228.16
    ("NR-THREE-PUBLIC-CHANGE", "情况说明", D("-3.31"), D("-3.4"), D("-0.09")),  # −3.31 vs 0 − 3.3 − 0.1
    ("PT-COST", "绩效目标表", D("36"), D("26"), D("-10")),  # 外事工作经费 funds 36, 成本指标 26
    ("NR-ASSET-VEHICLE", "情况说明", D("3"), D("6"), D("3")),  # 车辆3辆 vs 3 + 3 + 0
    ("NR-ASSET-VEHICLE", "情况说明", D("86.86"), D("173.72"), D("86.86")),  # 价值86.86 vs 86.86 + 86.86 + 0
]
ALLOWED_ERROR_RULES = {e[0] for e in EXPECTED_ERRORS}


# =====================================================================================
# Helpers
# =====================================================================================


@pytest.fixture(scope="module")
def d(seed_disclosure):
    assert seed_disclosure.error is None, seed_disclosure.error
    assert seed_disclosure.disclosure is not None
    return seed_disclosure.disclosure


def money_columns(table: str) -> list[str]:
    return [c.name for c in RAW_TABLES[table].columns if c.kind == "money"]


def amounts_of(rows: list[dict], table: str) -> Counter:
    """Every non-null money value of the rows, across all money columns of the raw table."""
    return Counter(r.get(c) for r in rows for c in money_columns(table) if r.get(c) is not None)


def expected_amounts(rows, amount_slice: slice) -> Counter:
    return Counter(x for row in rows for x in row[amount_slice] if x is not None)


def summary_rows(d, table_no: int) -> list[dict]:
    return [r for r in d.table("raw_budget_summary") if r["table_no"] == table_no]


def expenditure_rows(d, table_no: int) -> list[dict]:
    return [r for r in d.table("raw_expenditure") if r["table_no"] == table_no]


def one(rows: list[dict], what: str) -> dict:
    assert len(rows) == 1, f"expected exactly one {what}, got {len(rows)}: {rows}"
    return rows[0]


def printed(x: D) -> str:
    return f"{abs(x).normalize():f}"


# =====================================================================================
# 1. Every amount of every table
# =====================================================================================

# ---- 表一 / 表四 (raw_budget_summary)


@pytest.mark.parametrize("side,item,code,total,is_total", T1_ROWS, ids=[f"{r[0]}:{r[1]}" for r in T1_ROWS])
def test_table1_row(d, side, item, code, total, is_total):
    r = one([r for r in summary_rows(d, 1) if r["side"] == side and r["item_name"] == item], f"表一 {side} {item}")
    assert (r["functional_class_code"], r.get("total_wan_yuan"), r["is_total"]) == (code, total, is_total)


@pytest.mark.parametrize("side,item,code,total,general,is_total", T4_ROWS, ids=[f"{r[0]}:{r[1]}" for r in T4_ROWS])
def test_table4_row(d, side, item, code, total, general, is_total):
    r = one([r for r in summary_rows(d, 4) if r["side"] == side and r["item_name"] == item], f"表四 {side} {item}")
    assert (r["functional_class_code"], r.get("total_wan_yuan"), r.get("general_budget_wan_yuan"), r["is_total"]) == (
        code,
        total,
        general,
        is_total,
    )
    assert r.get("gov_fund_wan_yuan") is None and r.get("state_capital_wan_yuan") is None


def test_table1_rows_complete(d):
    got = Counter(
        (r["side"], r["item_name"], r["functional_class_code"], r.get("total_wan_yuan"), r["is_total"])
        for r in summary_rows(d, 1)
    )
    assert got == Counter(T1_ROWS)


def test_table4_rows_complete(d):
    got = Counter(
        (
            r["side"],
            r["item_name"],
            r["functional_class_code"],
            r.get("total_wan_yuan"),
            r.get("general_budget_wan_yuan"),
            r["is_total"],
        )
        for r in summary_rows(d, 4)
    )
    assert got == Counter(T4_ROWS)


def test_table1_amount_multiset(d):
    assert amounts_of(summary_rows(d, 1), "raw_budget_summary") == expected_amounts(T1_ROWS, slice(3, 4))


def test_table4_amount_multiset(d):
    assert amounts_of(summary_rows(d, 4), "raw_budget_summary") == expected_amounts(T4_ROWS, slice(3, 5))


def test_summary_totals_are_320_06(d):
    for no in (1, 4):
        totals = {r["side"]: r["total_wan_yuan"] for r in summary_rows(d, no) if r["is_total"]}
        assert totals == {"income": D("320.06"), "expenditure": D("320.06")}, f"表{no}"


# ---- 表二 (raw_income)


@pytest.mark.parametrize("code,name,total,general,is_total", T2_ROWS, ids=[r[0] or "合计" for r in T2_ROWS])
def test_table2_row(d, code, name, total, general, is_total):
    r = one(
        [r for r in d.table("raw_income") if r["functional_code"] == code and r["is_total"] == is_total],
        f"表二 {code or '合计'}",
    )
    if not is_total:
        assert r["functional_name"] == name
    assert (r.get("total_wan_yuan"), r.get("general_budget_wan_yuan")) == (total, general)


def test_table2_rows_complete(d):
    got = Counter(
        (
            r["functional_code"],
            None if r["is_total"] else r["functional_name"],
            r.get("total_wan_yuan"),
            r.get("general_budget_wan_yuan"),
            r["is_total"],
        )
        for r in d.table("raw_income")
    )
    assert got == Counter(T2_ROWS)


def test_table2_amount_multiset(d):
    assert amounts_of(d.table("raw_income"), "raw_income") == expected_amounts(T2_ROWS, slice(2, 4))


# ---- 表三 / 表五 (raw_expenditure)


def _exp_key(r):
    return (
        r["functional_code"],
        None if r["is_total"] else r["functional_name"],
        r.get("total_wan_yuan"),
        r.get("basic_wan_yuan"),
        r.get("project_wan_yuan"),
        r["is_total"],
    )


@pytest.mark.parametrize(
    "table_no,row",
    [(3, r) for r in T3_ROWS] + [(5, r) for r in T5_ROWS],
    ids=[f"表三:{r[0] or '合计'}" for r in T3_ROWS] + [f"表五:{r[0] or '合计'}" for r in T5_ROWS],
)
def test_table3_table5_row(d, table_no, row):
    code, _, _, _, _, is_total = row
    r = one(
        [r for r in expenditure_rows(d, table_no) if r["functional_code"] == code and r["is_total"] == is_total],
        f"表{table_no} {code or '合计'}",
    )
    assert _exp_key(r) == row


@pytest.mark.parametrize("table_no,expected", [(3, T3_ROWS), (5, T5_ROWS)], ids=["表三", "表五"])
def test_table3_table5_rows_complete(d, table_no, expected):
    assert Counter(_exp_key(r) for r in expenditure_rows(d, table_no)) == Counter(expected)


@pytest.mark.parametrize("table_no,expected", [(3, T3_ROWS), (5, T5_ROWS)], ids=["表三", "表五"])
def test_table3_table5_amount_multiset(d, table_no, expected):
    assert amounts_of(expenditure_rows(d, table_no), "raw_expenditure") == expected_amounts(expected, slice(2, 5))


def test_medical_item_named_as_printed_per_table(d):
    """2101101 is 行政单位医疗 in 表三 but 行政单位医疗补助 in 表五 (and 表二): each keeps its own name."""
    names = {
        no: next(r["functional_name"] for r in expenditure_rows(d, no) if r["functional_code"] == "2101101")
        for no in (3, 5)
    }
    assert names == {3: "行政单位医疗", 5: "行政单位医疗补助"}


# ---- 表六 (raw_basic_expenditure_economic)


def _econ_key(r):
    return (
        r["economic_code"],
        None if r["is_total"] else r["economic_name"],
        r.get("total_wan_yuan"),
        r.get("personnel_wan_yuan"),
        r.get("public_use_wan_yuan"),
        r["is_total"],
    )


@pytest.mark.parametrize("row", T6_ROWS, ids=[r[0] or "合计" for r in T6_ROWS])
def test_table6_row(d, row):
    code, is_total = row[0], row[-1]
    r = one(
        [
            r
            for r in d.table("raw_basic_expenditure_economic")
            if r["economic_code"] == code and r["is_total"] == is_total
        ],
        f"表六 {code or '合计'}",
    )
    assert _econ_key(r) == row


def test_table6_rows_complete(d):
    assert Counter(_econ_key(r) for r in d.table("raw_basic_expenditure_economic")) == Counter(T6_ROWS)


def test_table6_amount_multiset(d):
    got = amounts_of(d.table("raw_basic_expenditure_economic"), "raw_basic_expenditure_economic")
    assert got == expected_amounts(T6_ROWS, slice(2, 5))


# ---- 表七 (raw_project_expenditure)


def _proj_key(r):
    return (
        r["functional_code"],
        None if r["is_total"] else r["functional_name"],
        None if r["is_total"] else r["project_name"],
        r.get("total_wan_yuan"),
        r.get("goods_services_wan_yuan"),
        r["is_total"],
    )


@pytest.mark.parametrize("row", T7_ROWS, ids=[r[2] or "合计" for r in T7_ROWS])
def test_table7_row(d, row):
    code, _, project, _, _, is_total = row
    r = one(
        [
            r
            for r in d.table("raw_project_expenditure")
            if r["functional_code"] == code and r["is_total"] == is_total and (is_total or r["project_name"] == project)
        ],
        f"表七 {project or '合计'}",
    )
    assert _proj_key(r) == row


def test_table7_rows_complete(d):
    assert Counter(_proj_key(r) for r in d.table("raw_project_expenditure")) == Counter(T7_ROWS)


def test_table7_amount_multiset(d):
    got = amounts_of(d.table("raw_project_expenditure"), "raw_project_expenditure")
    assert got == expected_amounts(T7_ROWS, slice(3, 5))


# ---- 表八 (raw_three_public)


def test_table8_three_public(d):
    r = one(d.table("raw_three_public"), "表八 row")
    assert {c: r.get(c) for c in T8_ROW} == T8_ROW


def test_table8_amount_multiset(d):
    want = Counter(v for v in T8_ROW.values() if v is not None)
    assert amounts_of(d.table("raw_three_public"), "raw_three_public") == want


# ---- 表九 (empty)


def test_table9_has_no_amounts(d):
    assert amounts_of(expenditure_rows(d, 9), "raw_expenditure") == Counter()


# =====================================================================================
# 2. raw_tables
# =====================================================================================


def test_raw_tables(d):
    rows = d.table("raw_tables")
    assert [r["table_no"] for r in rows] == list(range(1, 10))
    assert {r["table_no"]: r["status"] for r in rows} == TABLE_STATUS
    assert {r["table_no"]: r["table_code"] for r in rows} == TABLE_CODES
    assert {r["money_unit"] for r in rows} == {"万元"}


def test_raw_tables_table9_note(d):
    t9 = one([r for r in d.table("raw_tables") if r["table_no"] == 9], "表九")
    assert t9["status"] == "empty"
    assert t9["note"] and "此表为空表" in t9["note"]


# =====================================================================================
# 3. Unit profile
# =====================================================================================


def test_unit_profile(d):
    r = one(d.table("raw_unit_profile"), "unit profile row")
    assert {k: r.get(k) for k in UNIT_PROFILE} == UNIT_PROFILE


def test_unit_profile_sentences_are_printed(d):
    r = one(d.table("raw_unit_profile"), "unit profile row")
    for line in r["sentence"].split("\n"):
        assert line in SEED_TEXT


# =====================================================================================
# 4. Narrative facts
# =====================================================================================


@pytest.mark.parametrize(
    "key,subject,section,value,unit",
    NARRATIVE_FACTS,
    ids=[f"{k}:{s or ''}:{sec or ''}" for k, s, sec, _, _ in NARRATIVE_FACTS],
)
def test_narrative_fact(d, key, subject, section, value, unit):
    facts = [
        f
        for f in d.facts(key)
        if (subject is None or f["subject"] == subject)
        and (section is None or (f["section"] or "").startswith(section))
    ]
    f = one(facts, f"fact {key} {subject or ''} in {section or 'any section'}")
    assert f["value"] == value
    assert f["value_unit"] == unit


def test_assets_as_of_date(d):
    f = one(d.facts("assets.as_of_date"), "assets.as_of_date")
    assert f["value"] is None
    assert f["value_text"] == "2020-12-31"  # 截至2020年底


def test_every_fact_sentence_is_in_the_seed(d):
    facts = d.table("raw_narrative_facts")
    assert facts
    missing = [(f["fact_key"], f["sentence"]) for f in facts if f["sentence"] not in SEED_TEXT]
    assert missing == []


def test_every_fact_value_is_printed_in_its_sentence(d):
    """A fact read from a number (no value_text) shows that number in its own sentence."""
    bad = [
        (f["fact_key"], f["value"], f["sentence"])
        for f in d.table("raw_narrative_facts")
        if f["value"] is not None and f["value_text"] is None and printed(f["value"]) not in f["sentence"]
    ]
    assert bad == []


# =====================================================================================
# 5. Performance targets and indicators
# =====================================================================================


@pytest.mark.parametrize("row", PERFORMANCE_TARGETS, ids=[r[0] for r in PERFORMANCE_TARGETS])
def test_performance_target(d, row):
    name, unit, year, total, fiscal, other, goal_start, goal_end = row
    t = one([t for t in d.table("raw_performance_targets") if t["project_name"] == name], f"绩效目标表 {name}")
    assert (t["budget_unit_name"], t["target_year"]) == (unit, year)
    assert (t["funds_total_wan_yuan"], t["funds_fiscal_wan_yuan"], t["funds_other_wan_yuan"]) == (total, fiscal, other)
    assert t["overall_goal"].startswith(goal_start)
    assert t["overall_goal"].endswith(goal_end)


def test_performance_targets_in_order(d):
    assert [t["project_name"] for t in d.table("raw_performance_targets")] == [r[0] for r in PERFORMANCE_TARGETS]


@pytest.mark.parametrize("project", list(PERFORMANCE_INDICATORS))
def test_performance_indicators(d, project):
    got = [
        (
            i["level1"],
            i["level2"],
            i["level3"],
            i["target_value"],
            i["comparator"],
            i["target_number"],
            i["target_number_high"],
            i["target_unit"],
        )
        for i in sorted(
            (i for i in d.table("raw_performance_indicators") if i["project_name"] == project),
            key=lambda i: i["indicator_no"],
        )
    ]
    assert got == PERFORMANCE_INDICATORS[project]


def test_performance_indicator_count(d):
    assert len(d.table("raw_performance_indicators")) == sum(len(v) for v in PERFORMANCE_INDICATORS.values())


# =====================================================================================
# 6. Document facts
# =====================================================================================


def test_document_facts(d):
    assert d.unit_name == "昌吉州外事办"
    assert d.fiscal_year == 2021
    assert {"昌吉州外事办", "昌吉州外办"} <= set(d.unit_name_variants)
    doc = one(d.table("raw_documents"), "raw_documents row")
    assert {"昌吉州外事办", "昌吉州外办"} <= set(doc["unit_name_variants"].split("|"))
    assert doc["disclosure_kind"] == "预算"
    assert doc["signed_date"] == date(2021, 2, 2)
    assert doc["tables_found"] == 9


# =====================================================================================
# 7. Findings
# =====================================================================================


@pytest.mark.parametrize(
    "rule_id,table_ref,expected,actual,difference",
    EXPECTED_ERRORS,
    ids=[f"{e[0]}:{e[2]}→{e[3]}" for e in EXPECTED_ERRORS],
)
def test_expected_error_finding(d, rule_id, table_ref, expected, actual, difference):
    hits = [f for f in d.findings if f.rule_id == rule_id and f.expected == expected and f.actual == actual]
    assert hits, f"no {rule_id} finding with expected {expected} actual {actual}: " + repr(
        [(f.expected, f.actual, f.message) for f in d.findings if f.rule_id == rule_id]
    )
    for f in hits:
        assert f.severity == "error"
        assert f.table_ref == table_ref
        assert f.difference == difference == actual - expected


def test_sum_rows_only_on_table7(d):
    hits = [f for f in d.findings if f.rule_id == "SUM-ROWS"]
    assert hits and all((f.table_ref, f.expected, f.actual) == ("表七", D("66"), D("36")) for f in hits)


def test_xt_totals_is_project_spending_vs_table7(d):
    # 表七 (一般公共预算项目支出) is compared with 表五's 项目支出 (66, as 表三 prints too): 表七 prints 36
    f = one([f for f in d.findings if f.rule_id == "XT-TOTALS"], "XT-TOTALS finding")
    assert "表五 项目支出" in f.message and "表七" in f.message
    assert (f.expected, f.actual) == (D("66"), D("36"))


def test_pt_cost_is_waishi_project(d):
    f = one([f for f in d.findings if f.rule_id == "PT-COST"], "PT-COST finding")
    assert "外事工作经费" in f.message


def test_no_unexpected_errors(d):
    unexpected = [
        (f.rule_id, f.message) for f in d.findings if f.severity == "error" and f.rule_id not in ALLOWED_ERROR_RULES
    ]
    assert unexpected == []


def test_error_findings_match_exactly(d):
    """Each error finding is one of the document's known inconsistencies (no duplicates of other rules)."""
    allowed = {(r, e, a) for r, _, e, a, _ in EXPECTED_ERRORS}
    stray = [
        (f.rule_id, f.expected, f.actual, f.message)
        for f in d.findings
        if f.severity == "error" and (f.rule_id, f.expected, f.actual) not in allowed
    ]
    assert stray == []


def test_no_schema_or_parse_findings(d):
    bad = [
        (f.rule_id, f.severity, f.message)
        for f in d.findings
        if f.rule_id == "SCHEMA" or re.match(r"PARSE-", f.rule_id)
    ]
    assert bad == []
