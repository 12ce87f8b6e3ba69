"""Done-when test of issue 4: a generated prefecture (8 regions × 20 units × 2021–2023, text
layouts in several encodings, defects, the 昌吉 and the national template families mixed), a few
unknown-unit files, and corrected re-publications arriving in a later load, through the real pipeline
(ingest + the orchestration's dbt build).
Every mart is compared with totals computed here from the generator's ground truth objects
(never from the lake or the warehouse): exact Decimal equality for every amount."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from generator.build import Options
from generator.catalog import REGIONS
from generator.corpus import generate, registry_rows, republish, unregistered, write_one
from ingest.pipeline import ingest_inbox
from ingest.settings import ENV_VAR, Settings

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

D = Decimal
ZERO = D("0")
YEARS = [2021, 2022, 2023]
UNITS = 20
PREFECTURE = "652300-ALL"
UNKNOWN_REGION = "000000"
SEED_REGISTRY = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "synthetic_unit_registry.csv"
OPTIONS = Options(
    seed=2021,
    defect_rate=0.15,
    layout_variants=True,
    text_layouts=("cells", "pipe", "spaced"),
    templates=("changji", "national"),
    encodings=("utf-8", "utf-8-sig", "gb18030", "utf-16"),
)


def missing(t, table: int) -> bool:
    return any(d.kind == "missing_table" and d.params.get("table") == table for d in t.defects)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import dagster as dg

    from orchestration.cli import materialize_all

    root = tmp_path_factory.mktemp("corpus")
    data, truth_dir = root / "data", root / "truth"
    (data / "inbox").mkdir(parents=True)
    c = generate(truth_dir, list(REGIONS), UNITS, YEARS, OPTIONS)
    assert not c.skipped and len(c.files) == len(REGIONS) * UNITS * len(YEARS)
    # units 001–010 are the demo units of the committed seed (same seed and plan); register the rest
    seeded = {r["unit_id"]: r for r in csv.DictReader(SEED_REGISTRY.open(encoding="utf-8"))}
    extra = [r for r in registry_rows(c.truths) if r["unit_id"] not in seeded]
    assert all(
        seeded[r["unit_id"]]["unit_name"] == r["unit_name"] for r in registry_rows(c.truths) if r["unit_id"] in seeded
    )
    registry = root / "extra_registry.csv"
    with registry.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(extra[0]))
        w.writeheader()
        w.writerows(extra)

    # three unknown-unit files (names the registry does not know), in the first load
    by_key = {(t.unit.unit_id, t.fiscal_year): t for t in c.truths}
    unknown = [
        unregistered(by_key[("SYN-652301-003", 2022)], "昌吉市未登记管理局（模拟）", "UNREG-1"),
        unregistered(by_key[("SYN-652300-005", 2023)], "昌吉州新设事务中心（模拟）", "UNREG-2"),
        unregistered(by_key[("SYN-652328-002", 2021)], "木垒县临时工作专班（模拟）", "UNREG-3"),
    ]
    first = list(c.files) + [write_one(t, truth_dir) for t in unknown]
    for f in first:
        shutil.copy(f, data / "inbox" / f.name)
    # corrected re-publications of three unit-years, in a later load
    originals = [by_key[k] for k in (("SYN-652302-004", 2022), ("SYN-652325-012", 2023), ("SYN-652300-017", 2021))]
    corrected = [republish(t) for t in originals]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, str(data))
        mp.setenv("BUDGET_WAREHOUSE_EXTRA_REGISTRY", str(registry))
        settings = Settings(data_dir=data)
        ingest_inbox(settings)  # load 1 (ingest only; the dbt build follows the second load)
        for t in corrected:
            f = write_one(t, truth_dir)
            shutil.copy(f, data / "inbox" / f.name)
        with dg.DagsterInstance.ephemeral() as instance:
            result = materialize_all(instance=instance)  # load 2: the corrections + the dbt build
    assert result.success
    latest = dict(by_key)
    for t in corrected:
        latest[(t.unit.unit_id, t.fiscal_year)] = t
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    yield {
        "con": con,
        "latest": list(latest.values()),
        "unknown": unknown,
        "originals": originals,
        "corrected": corrected,
    }
    con.close()


def q(con, sql):
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def region(t, unknown_ids):
    return UNKNOWN_REGION if t.unit.unit_id in unknown_ids else t.unit.region_code


@pytest.fixture(scope="module")
def truths(corpus):
    """(truth, region) of every unit-year the marts should hold: latest revisions + unknown units."""
    unknown_ids = {t.unit.unit_id for t in corpus["unknown"]}
    all_t = corpus["latest"] + corpus["unknown"]
    return [(t, region(t, unknown_ids)) for t in all_t]


def unit_key(con):
    """unit_id in the warehouse of each truth unit (registry ids; unknown units by printed name)."""
    return {
        r["printed_unit_name"]: r["unit_id"]
        for r in q(con, "select distinct printed_unit_name, unit_id from core.fct_document_history")
    }


def test_regional_spending_equals_truth(corpus, truths):
    con = corpus["con"]
    exp = defaultdict(lambda: [ZERO, ZERO, ZERO, set()])
    for t, reg in truths:
        if missing(t, 3):
            continue
        for r in t.expenditure:
            e = exp[(t.fiscal_year, reg, r.code)]
            e[0] += r.basic
            e[1] += r.project
            e[2] += r.total
            e[3].add(t.unit.unit_id)
    got = {
        (r["fiscal_year"], r["region_code"], r["functional_item_code"]): r
        for r in q(con, "select * from marts.mart_regional_spending")
    }
    assert set(got) == set(exp)
    for k, (b, p, tot, units) in exp.items():
        r = got[k]
        assert (r["basic_wan_yuan"], r["project_wan_yuan"], r["total_wan_yuan"], r["unit_count"]) == (
            b,
            p,
            tot,
            len(units),
        ), k
        prior = exp.get((k[0] - 1, k[1], k[2]))
        assert r["prior_year_total_wan_yuan"] == (prior[2] if prior else None), k
        assert r["yoy_change_wan_yuan"] == (tot - prior[2] if prior else None), k


def test_regional_spending_rollup_equals_truth(corpus, truths):
    con = corpus["con"]
    exp = defaultdict(lambda: ZERO)
    for t, reg in truths:
        if missing(t, 3):
            continue
        for r in t.expenditure:
            for level, code in (("类", r.code[:3]), ("款", r.code[:5]), ("项", r.code)):
                exp[(t.fiscal_year, reg, level, code)] += r.total
                if reg != UNKNOWN_REGION:
                    exp[(t.fiscal_year, PREFECTURE, level, code)] += r.total
    got = {
        (r["fiscal_year"], r["region_code"], r["rollup_level"], r["functional_code"]): r["total_wan_yuan"]
        for r in q(con, "select * from marts.mart_regional_spending_rollup")
    }
    assert got == dict(exp)
    # the prefecture total of a year is the sum of every registered unit's 表三
    for y in YEARS:
        assert sum(v for k, v in got.items() if k[0] == y and k[1] == PREFECTURE and k[2] == "类") == sum(
            (t.total for t, reg in truths if t.fiscal_year == y and reg != UNKNOWN_REGION and not missing(t, 3)), ZERO
        )


def per_staff(total: Decimal, staff: int):
    return (total / staff).quantize(D("0.000001"), rounding=ROUND_HALF_UP) if staff else None


def test_three_public_equals_truth(corpus, truths):
    con = corpus["con"]
    names = unit_key(con)
    got = {(r["fiscal_year"], r["unit_id"]): r for r in q(con, "select * from marts.mart_three_public_trends")}
    assert len(got) == len(truths)
    regional = defaultdict(lambda: [ZERO, ZERO, 0])
    for t, reg in truths:
        r = got[(t.fiscal_year, names[t.unit.name])]
        tp = t.three_public
        assert (
            r["overseas_travel_wan_yuan"],
            r["vehicle_purchase_wan_yuan"],
            r["vehicle_operation_wan_yuan"],
            r["official_reception_wan_yuan"],
            r["total_wan_yuan"],
        ) == (tp.overseas_travel, tp.vehicle_purchase, tp.vehicle_operation, tp.official_reception, tp.total), (
            t.file_name
        )
        assert r["region_code"] == reg
        assert r["prior_year_total_wan_yuan"] == t.prior.three_public.total, t.file_name
        assert r["yoy_change_wan_yuan"] == tp.total - t.prior.three_public.total
        assert r["in_service_staff"] == t.profile.in_service_staff
        assert r["per_in_service_staff_wan_yuan"] == per_staff(tp.total, t.profile.in_service_staff)
        for reg_key in [reg, PREFECTURE] if reg != UNKNOWN_REGION else [reg]:
            g = regional[(t.fiscal_year, reg_key)]
            g[0] += tp.total
            g[1] += t.prior.three_public.total
            g[2] += t.profile.in_service_staff
    got_r = {(r["fiscal_year"], r["region_code"]): r for r in q(con, "select * from marts.mart_three_public_regional")}
    assert set(got_r) == set(regional)
    for k, (tot, prior, staff) in regional.items():
        r = got_r[k]
        assert (
            r["total_wan_yuan"],
            r["prior_year_total_wan_yuan"],
            r["yoy_change_wan_yuan"],
            r["in_service_staff"],
            r["per_in_service_staff_wan_yuan"],
        ) == (tot, prior, tot - prior, staff, per_staff(tot, staff)), k


def test_assets_staffing_procurement_equal_truth(corpus, truths):
    con = corpus["con"]
    names = unit_key(con)
    assets = {(r["fiscal_year"], r["unit_id"]): r for r in q(con, "select * from marts.mart_asset_holdings")}
    staffing = {(r["fiscal_year"], r["unit_id"]): r for r in q(con, "select * from marts.mart_staffing")}
    procurement = {(r["fiscal_year"], r["unit_id"]): r for r in q(con, "select * from marts.mart_procurement")}
    regional = defaultdict(lambda: [ZERO, ZERO, 0, 0])
    for t, reg in truths:
        k = (t.fiscal_year, names[t.unit.name])
        a, s, p = assets[k], staffing[k], procurement[k]
        ta = t.assets
        assert (
            a["building_area_m2"],
            a["building_value_wan_yuan"],
            a["vehicle_value_wan_yuan"],
            a["furniture_value_wan_yuan"],
            a["other_assets_value_wan_yuan"],
            a["equipment_over_500k_count"],
            a["equipment_over_1m_count"],
        ) == (
            ta.building_area_m2,
            ta.building_value,
            ta.vehicle_value,
            ta.furniture_value,
            ta.other_value,
            ta.equipment_over_500k,
            ta.equipment_over_1m,
        ), t.file_name
        pr = t.profile
        assert (
            s["authorized_staff"],
            s["actual_staff"],
            s["in_service_staff"],
            s["in_service_change"],
            s["retired_staff"],
            s["retired_change"],
            s["separated_staff"],
            s["separated_change"],
        ) == (
            pr.authorized_staff,
            pr.actual_staff,
            pr.in_service_staff,
            pr.in_service_change,
            pr.retired_staff,
            pr.retired_change,
            pr.separated_staff,
            pr.separated_change,
        ), t.file_name
        # procurement as printed: the truth records each stated figure (a misprint is a defect in it)
        stated = {f.fact_key: f.value for f in t.facts if f.fact_key.startswith("procurement.")}
        tp = t.procurement
        assert (
            p["total_wan_yuan"],
            p["goods_wan_yuan"],
            p["works_wan_yuan"],
            p["services_wan_yuan"],
            p["sme_reserved_wan_yuan"],
            p["small_micro_reserved_wan_yuan"],
        ) == (
            stated.get("procurement.total", tp.total),
            stated.get("procurement.goods", tp.goods),
            stated.get("procurement.works", tp.works),
            stated.get("procurement.services", tp.services),
            stated.get("procurement.sme_reserved", tp.sme_reserved),
            stated.get("procurement.small_micro_reserved", tp.small_micro_reserved),
        ), t.file_name
        for reg_key in [reg, PREFECTURE] if reg != UNKNOWN_REGION else [reg]:
            g = regional[(t.fiscal_year, reg_key)]
            g[0] += ta.building_value
            g[1] += ta.vehicle_value
            g[2] += pr.in_service_staff
            g[3] += pr.authorized_staff
    assert len(assets) == len(staffing) == len(procurement) == len(truths)
    got_a = {
        (r["fiscal_year"], r["region_code"]): r for r in q(con, "select * from marts.mart_asset_holdings_regional")
    }
    got_s = {(r["fiscal_year"], r["region_code"]): r for r in q(con, "select * from marts.mart_staffing_regional")}
    assert set(got_a) == set(got_s) == set(regional)
    for k, (bv, vv, staff, auth) in regional.items():
        assert (got_a[k]["building_value_wan_yuan"], got_a[k]["vehicle_value_wan_yuan"]) == (bv, vv), k
        assert (got_s[k]["in_service_staff"], got_s[k]["authorized_staff"]) == (staff, auth), k


def test_project_spending_equals_truth(corpus, truths):
    con = corpus["con"]
    names = unit_key(con)
    got = defaultdict(list)
    for r in q(con, "select * from marts.mart_project_spending order by row_no"):
        got[(r["fiscal_year"], r["unit_id"])].append(r)
    n = 0
    for t, _ in truths:
        rows = got[(t.fiscal_year, names[t.unit.name])]
        if missing(t, 7) or t.layout.template == "national":  # the national template prints no 表七
            assert rows == []
            continue
        assert [(r["project_name"], r["total_wan_yuan"]) for r in rows] == [(p.name, p.amount) for p in t.projects], (
            t.file_name
        )
        renamed = {d.params["project"] for d in t.defects if d.kind == "project_name_target"}
        bad_cost = {d.params["project"]: d.params["printed"] for d in t.defects if d.kind == "cost_indicator"}
        for i, (r, p) in enumerate(zip(rows, t.projects)):
            if i in renamed:
                assert not r["has_performance_target"]
                continue
            assert (r["target_funds_total_wan_yuan"], r["indicator_count"], r["cost_indicator_wan_yuan"]) == (
                p.amount,
                len(p.indicators),
                bad_cost.get(i, p.amount),
            ), (t.file_name, p.name)
            n += 1
    assert n > 250


def test_disclosure_quality_and_unknown_units(corpus, truths):
    con = corpus["con"]
    names = unit_key(con)
    got = {(r["fiscal_year"], r["unit_id"]): r for r in q(con, "select * from marts.mart_disclosure_quality")}
    assert len(got) == len(truths)
    for t, reg in truths:
        r = got[(t.fiscal_year, names[t.unit.name])]
        # the 昌吉 template prints 表一…表九 (a dropped 表七 is a hole); the national one has no 表七 to print
        expected = 8 if t.layout.template == "national" else 9
        found = expected - sum(1 for d in t.defects if d.kind == "missing_table")
        assert r["tables_found"] == found and r["region_code"] == reg, t.file_name
        assert r["tables_expected"] == expected, t.file_name
        assert r["completeness_score"] == (D(found + 2) / (expected + 2)).quantize(D("0.0001"), rounding=ROUND_HALF_UP)
    for t in corpus["unknown"]:
        uid = names[t.unit.name]
        assert uid.startswith("unregistered-")
        r = got[(t.fiscal_year, uid)]
        assert r["region_code"] == UNKNOWN_REGION and r["warehouse_finding_count"] == 1 and r["error_count"] >= 1
        (f,) = q(
            con,
            f"select * from core.fct_findings where document_id = '{r['document_id']}' and rule_id = 'UNIT-UNRESOLVED'",
        )
        assert f["severity"] == "error" and t.file_name in f["message"] and "候选" in f["message"]
        assert "（SYN-" in f["message"]  # at least one candidate registry unit is named


def test_republication_supersedes_and_keeps_history(corpus):
    con = corpus["con"]
    names = unit_key(con)
    for old, new in zip(corpus["originals"], corpus["corrected"]):
        uid = names[old.unit.name]
        hist = q(
            con,
            f"""select * from core.fct_document_history
                         where unit_id = '{uid}' and fiscal_year = {old.fiscal_year} order by revision""",
        )
        assert [h["revision"] for h in hist] == [1, 2]
        assert hist[0]["source_file"].startswith(old.file_name + ".") and hist[1]["source_file"].startswith(
            new.file_name + "."
        )
        assert hist[0]["superseded_by_document_id"] == hist[1]["document_id"] and hist[1]["is_latest"]
        assert hist[0]["document_id"] != hist[1]["document_id"]  # both files' hashes are kept
        (q_row,) = q(
            con,
            "select revision, document_id from marts.mart_disclosure_quality "
            f"where unit_id = '{uid}' and fiscal_year = {old.fiscal_year}",
        )
        assert q_row == {"revision": 2, "document_id": hist[1]["document_id"]}
        # the correction moved exactly this unit-year's 表三 total (by 1.00), visible in the mart
        (total,) = con.execute(f"""select sum(total_wan_yuan) from marts.mart_project_spending
                                   where unit_id = '{uid}' and fiscal_year = {old.fiscal_year}""").fetchone()
        if not missing(old, 7) and old.layout.template != "national":
            assert total == sum((p.amount for p in old.projects), ZERO) + D("1.00")
        # and its 表三 项目支出 (every template prints 表三): the unit mart shows the corrected figures
        (project,) = con.execute(f"""select sum(project_wan_yuan) from marts.mart_unit_spending
                                     where unit_id = '{uid}' and fiscal_year = {old.fiscal_year}""").fetchone()
        if not missing(old, 3):
            assert project == sum((r.project for r in old.expenditure if r.project is not None), ZERO) + D("1.00")
