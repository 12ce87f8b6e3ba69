"""data/report.html: built from the loaded seed warehouse, self-contained, and rendered in headless
chromium (Debian's, via Playwright, as tests/test_ui_browser.py) with no console error.
Screenshot: test-artifacts/report.png (git-ignored)."""
import os
from decimal import Decimal
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
    assert summary.charts == 4  # trend, spending by 类, 三公 per unit, assets
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


def test_report_renders_in_chromium_without_console_errors(report, tmp_path):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (as root it apt-get installs chromium)")
    _, summary = report
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
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
