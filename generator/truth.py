"""Ground truth of one synthetic disclosure: every amount, fact and injected defect.

Amounts are exact `Decimal`s in 万元 (two decimals). `to_json()` writes them as strings.
The truth describes what is *true*; a `Defect` records how the printed document departs
from it (which cell or sentence, printed as what) and the rule ids the departure must trigger.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def D(cents: int) -> Decimal:
    """Integer hundredths of a 万元 → Decimal with two places."""
    return (Decimal(cents) / 100).quantize(CENT)


@dataclass
class UnitInfo:
    unit_id: str  # SYN-652301-003
    name: str  # 昌吉市教育局（模拟）
    aliases: list[str]  # printed variants, e.g. 昌吉市教育局机关（模拟）
    region_code: str
    region_name: str
    level: str  # 州本级 | 县市
    supervising_department: str
    archetype: str
    index: int


@dataclass
class ExpenditureRow:
    """表三 / 表五 (and 表二 by code): one functional 项."""

    code: str
    name: str
    basic: Decimal
    project: Decimal

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


@dataclass
class EconomicRow:
    """表六: one economic 款 of the basic expenditure."""

    code: str
    name: str
    personnel: Decimal
    public_use: Decimal

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public_use


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    target_value: str
    comparator: str | None
    number: Decimal | None
    high: Decimal | None
    unit: str | None


@dataclass
class Project:
    name: str
    code: str  # functional 项 it is budgeted under
    code_name: str
    amount: Decimal
    columns: dict[str, Decimal]  # raw_project_expenditure economic columns → amount (sum = amount)
    policy_basis: str
    allocation: str
    goal: str
    indicators: list[Indicator] = field(default_factory=list)
    is_vehicle_purchase: bool = False


@dataclass
class ThreePublic:
    overseas_travel: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    official_reception: Decimal

    @property
    def vehicle_total(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.overseas_travel + self.vehicle_total + self.official_reception


@dataclass
class Profile:
    authorized_staff: int
    actual_staff: int
    in_service_staff: int
    in_service_change: int
    retired_staff: int
    retired_change: int
    separated_staff: int
    separated_change: int
    internal_department_names: list[str]
    subordinate_unit_count: int
    functions: list[str]


@dataclass
class Vehicle:
    kind: str
    count: int
    value: Decimal


@dataclass
class Assets:
    as_of_year: int
    building_area_m2: Decimal
    building_value: Decimal
    vehicles: list[Vehicle]
    furniture_value: Decimal
    other_value: Decimal
    equipment_over_500k: int
    equipment_over_1m: int
    planned_vehicles: int
    planned_equipment_over_500k: int
    planned_equipment_over_1m: int

    @property
    def vehicle_count(self) -> int:
        return sum(v.count for v in self.vehicles)

    @property
    def vehicle_value(self) -> Decimal:
        return sum((v.value for v in self.vehicles), ZERO)


@dataclass
class Procurement:
    goods: Decimal
    works: Decimal
    services: Decimal
    sme_reserved: Decimal
    small_micro_reserved: Decimal

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


@dataclass
class PriorYear:
    """Figures of the previous year the narrative compares with (the previous truth when generated)."""

    fiscal_year: int
    income_general: Decimal
    basic: Decimal
    project: Decimal
    public_use: Decimal
    items: dict[str, Decimal]  # functional code → total
    three_public: ThreePublic


@dataclass
class Defect:
    kind: str
    rule_ids: list[str]  # every rule that must fire, and no other
    description: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class StatedFact:
    """A figure the narrative states, as the recognizer should read it (value = printed value)."""

    fact_key: str
    subject: str | None
    value: Decimal | None
    true_value: Decimal | None
    value_text: str | None = None


@dataclass
class LayoutVariant:
    code_layout: str = "split"  # split (类/款/项 columns) | joined (2010301 in one cell)
    yuan_table: int | None = None  # table printed in 元 (amounts ×10000)
    text_layout: str = "cells"
    encoding: str = "utf-8"
    thousands: bool = False
    full_wording: bool = True  # parenthesised 款 names, grouped 成本指标 (see docs/generator.md)
    pdf_font: str | None = None  # PDF only: the TrueType font file embedded (None: STSong-Light, not embedded)
    # Template family the tables are printed in: changji (表一…表九) | national (部门公开表1…9, see
    # generator/national.py). Left out of the truth JSON when changji, so corpora written before the
    # option existed stay byte-identical; a reader takes a missing "template" as changji.
    template: str = field(default="changji", metadata={"omit_if_default": True})


@dataclass
class DisclosureTruth:
    unit: UnitInfo
    fiscal_year: int
    expenditure: list[ExpenditureRow]
    economic: list[EconomicRow]
    projects: list[Project]
    three_public: ThreePublic
    profile: Profile
    assets: Assets
    procurement: Procurement
    prior: PriorYear
    signed: str  # ISO date
    defects: list[Defect] = field(default_factory=list)
    layout: LayoutVariant = field(default_factory=LayoutVariant)
    facts: list[StatedFact] = field(default_factory=list)  # filled by the layout
    file_name: str = ""
    fmt: str = "txt"
    synthetic: bool = True

    # ---- derived totals (万元)
    @property
    def basic_total(self) -> Decimal:
        return sum((r.basic for r in self.expenditure), ZERO)

    @property
    def project_total(self) -> Decimal:
        return sum((r.project for r in self.expenditure), ZERO)

    @property
    def total(self) -> Decimal:
        return self.basic_total + self.project_total

    @property
    def personnel_total(self) -> Decimal:
        return sum((r.personnel for r in self.economic), ZERO)

    @property
    def public_use_total(self) -> Decimal:
        return sum((r.public_use for r in self.economic), ZERO)

    def by_class(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for r in self.expenditure:
            out[r.code[:3]] = out.get(r.code[:3], ZERO) + r.total
        return dict(sorted(out.items()))

    def econ(self, code: str) -> Decimal:
        return next((r.total for r in self.economic if r.code == code), ZERO)

    def expected_rule_ids(self) -> set[str]:
        return {r for d in self.defects for r in d.rule_ids}

    def to_json(self) -> str:
        return json.dumps(to_plain(self), ensure_ascii=False, indent=1, sort_keys=False)


def to_plain(obj: Any) -> Any:
    """Dataclasses → dicts with derived totals, Decimals → strings."""
    if isinstance(obj, Decimal):
        return str(obj)
    if is_dataclass(obj):
        out = {
            f.name: to_plain(getattr(obj, f.name))
            for f in fields(obj)
            if not (f.metadata.get("omit_if_default") and getattr(obj, f.name) == f.default)
        }
        for prop in (
            "total",
            "vehicle_total",
            "vehicle_count",
            "vehicle_value",
            "basic_total",
            "project_total",
            "personnel_total",
            "public_use_total",
        ):
            if isinstance(getattr(type(obj), prop, None), property):
                out[prop] = to_plain(getattr(obj, prop))
        if isinstance(obj, DisclosureTruth):
            out = {"synthetic": True, **out}
            out["expected_rule_ids"] = sorted(obj.expected_rule_ids())
        return out
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    return obj
