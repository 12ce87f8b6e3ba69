"""data/report.html: built from the loaded seed warehouse, self-contained, and rendered in headless
chromium (Debian's, via Playwright, as tests/test_ui_browser.py) with no console error; and from a
small generated prefecture with the 决算 of its 预算 (generator.execution.generate_paired), whose
预算执行 section shows the execution marts' figures exactly and whose quality table keeps 预算 and 决算 apart.
Screenshot: test-artifacts/report.png (git-ignored)."""

import csv
import os
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.report import build_report, external_references

pytestmark = pytest.mark.slow  # a whole load (conftest `loaded`) and a browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = os.environ.get("BUDGET_WAREHOUSE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def report(loaded, tmp_path_factory):
    settings, result = loaded
    assert result.success
    out = tmp_path_factory.mktemp("report") / "report.html"
    return settings, build_report(settings.warehouse, out)


def test_report_holds_the_marts_exactly_and_needs_no_network(report):
    settings, summary = report
    page = summary.path.read_text(encoding="utf-8")
    assert summary.years == [2021] and summary.units == 1
    # trend, 预算执行 (年初预算 vs 决算数; 三公 预算数 vs 决算数: the seed has no 决算, its budget side shows),
    # spending by 类, 三公 per unit, assets
    assert summary.charts == 6
    assert external_references(page) == []
    assert "cdn" not in page.lower().split("<script", 1)[0]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        unit, three_public = con.execute(
            "select unit_name, total_wan_yuan from marts.mart_three_public_trends where fiscal_year = 2021"
        ).fetchone()
        rules = {r[0] for r in con.execute("select rule_id from core.fct_findings").fetchall()}
    assert isinstance(three_public, Decimal)
    assert unit in page
    assert f'"{three_public.normalize():f}"' in page  # the exact amount in the tooltip data
    for rule in rules:  # every finding of the unit is listed in the quality table
        assert f"<b>{rule}</b>" in page
    assert "<h3>公开质量（各单位发现）</h3>" in page
    assert page.count('<tr class="kind-预算"><td>预算</td>') == 1 and "kind-决算" not in page


def test_report_renders_in_chromium_without_console_errors(report, tmp_path):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (as root it apt-get installs chromium)")
    _, summary = report
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on(
                "console",
                lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            page.goto(summary.path.as_uri(), wait_until="load")
            plots = page.locator(".js-plotly-plot")
            plots.first.wait_for(state="visible", timeout=30_000)
            assert plots.count() == summary.charts
            for i in range(summary.charts):  # every chart drew its SVG and its bars or lines
                assert plots.nth(i).locator("svg.main-svg").count() >= 1
                assert plots.nth(i).locator("g.trace").count() >= 1
            assert page.locator("table.quality tbody tr").count() == summary.units
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
        finally:
            browser.close()
    assert problems == []
    assert requests == []


# ------------------------------------------------------------------ 预算执行: a paired prefecture

PAIRED_REGIONS = ["652300", "652301"]
SEED_REGISTRY = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "synthetic_unit_registry.csv"


@pytest.fixture(scope="module")
def paired_report(tmp_path_factory):
    from generator.build import Options
    from generator.corpus import registry_rows
    from generator.execution import generate_paired
    from ingest.settings import Settings
    from tests.conftest import materialize

    root = tmp_path_factory.mktemp("paired-report")
    data = root / "data"
    (data / "inbox").mkdir(parents=True)
    opts = Options(seed=2021, defect_rate=0.2, formats=("txt",))
    paired = generate_paired(root / "corpus", PAIRED_REGIONS, 2, [2022, 2023], opts, final_defect_rate=0.3)
    for f in paired.files:
        shutil.copy(f, data / "inbox" / f.name)
    seeded = {r["unit_id"] for r in csv.DictReader(SEED_REGISTRY.open(encoding="utf-8"))}
    extra = [r for r in registry_rows(paired.budgets.truths) if r["unit_id"] not in seeded]
    with pytest.MonkeyPatch.context() as mp:
        if extra:
            registry = root / "registry.csv"
            with registry.open("w", encoding="utf-8", newline="") as out:
                w = csv.DictWriter(out, fieldnames=list(extra[0]))
                w.writeheader()
                w.writerows(extra)
            mp.setenv("BUDGET_WAREHOUSE_EXTRA_REGISTRY", str(registry))
        assert materialize(data).success
    settings = Settings(data_dir=data)
    return settings, build_report(settings.warehouse, root / "report.html")


def _pct(rate: Decimal | None) -> str:
    return "–" if rate is None else f"{(rate * 100).quantize(Decimal('0.01')):f}%"


def _fmt(value) -> str:
    return "–" if value is None else f"{Decimal(value).normalize():f}"


def test_report_shows_budget_execution_per_region_and_year_exactly(paired_report):
    """Every region-year's 年初预算, 决算数 and execution rate summed here from the unit rows of
    marts.mart_budget_execution (scope 'all'), and the “三公” 合计 预算数 / 决算数 / 执行率 of
    mart_three_public_execution_regional, are in the page's 预算执行 table and chart data, to the fen."""
    settings, summary = paired_report
    page = summary.path.read_text(encoding="utf-8")
    assert summary.years == [2022, 2023]
    assert summary.charts == 3 + 2 * 3  # trend, the two execution charts; per year spending, 三公, assets
    assert external_references(page) == []
    ids = re.findall(r'\bid="([^"]+)"', page.split("<body>", 1)[1])
    assert len(ids) == len(set(ids)), "an element id twice (a chart's div and a section)"
    section = page.split('<section id="execution">', 1)[1].split("</section>", 1)[0]
    table = section.split('<table class="execution">', 1)[1]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        lines = con.execute("""select fiscal_year, region_code, initial_budget_wan_yuan, final_wan_yuan
                               from marts.mart_budget_execution where scope = 'all'""").fetchall()
        names = dict(
            con.execute("select distinct region_code, region_name from marts.mart_budget_execution_regional").fetchall()
        )
        three = con.execute("""select fiscal_year, region_name, budget_wan_yuan, final_wan_yuan, execution_rate
                               from marts.mart_three_public_execution_regional where item = 'total'""").fetchall()
    groups: dict[tuple, list] = {}
    for year, region, budget, final in lines:
        groups.setdefault((year, region), []).append((budget, final))
    assert {region for _, region in groups} == set(PAIRED_REGIONS) and len(groups) == 4
    rows = re.findall(
        r"<tr><td>(\d+)</td><td>([^<]+)</td><td class=n>([^<]+)</td><td class=n>([^<]+)</td>"
        r"<td class=n>([^<]+)</td>",
        table,
    )
    shown = {(int(y), name): (b, f, r) for y, name, b, f, r in rows}
    assert len(shown) == len(groups)
    for (year, region), pairs in groups.items():
        budget = sum((b for b, _ in pairs if b is not None), Decimal(0))
        final = sum((f for _, f in pairs if f is not None), Decimal(0))
        both = [(b, f) for b, f in pairs if b is not None and f is not None]
        assert both, "a region-year with no line on both sides proves nothing"
        rate = (sum(f for _, f in both) / sum(b for b, _ in both)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        assert shown[(year, names[region])] == (_fmt(budget), _fmt(final), _pct(rate)), (year, region)
        assert f'"{_fmt(final)}"' in section  # the exact amount in the chart's tooltip data
    assert len(three) == 4
    for year, name, budget, final, rate in three:
        assert final is not None and budget is not None
        for value in (_fmt(budget), _fmt(final), _pct(rate)):  # in the 三公 chart's tooltip data
            assert f'"{value}"' in section, (year, name, value)


def test_report_quality_table_keeps_budget_and_final_accounts_apart(paired_report):
    settings, summary = paired_report
    page = summary.path.read_text(encoding="utf-8")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        kinds = dict(
            con.execute("select disclosure_kind, count(*) from marts.mart_disclosure_quality group by 1").fetchall()
        )
    assert kinds == {"预算": 8, "决算": 8}
    assert page.count('<tr class="kind-预算"><td>预算</td>') == kinds["预算"]
    assert page.count('<tr class="kind-决算"><td>决算</td>') == kinds["决算"]
    for year in (2022, 2023):  # in each year's table the 预算 rows come first, then the 决算
        table = page.split(f'<section id="y{year}">', 1)[1].split("</section>", 1)[0]
        order = re.findall(r'<tr class="kind-(预算|决算)">', table)
        assert order == ["预算"] * 4 + ["决算"] * 4
