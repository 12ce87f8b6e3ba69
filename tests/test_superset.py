"""Apache Superset (`make bi`) on the seed's warehouse, driven in a real browser.

The slow test loads the seed (the session's `loaded` warehouse), runs `make bi` on a free port with
its own SUPERSET_HOME, logs in and opens each dashboard of the versioned export
(bi/superset/assets/): the seed's figures must be on screen (DOM text: the machine has no CJK
font, the screenshots in test-artifacts/ show boxes for Chinese) and in the chart data the page
received from the server. The page may fetch nothing but the Superset server itself.

The fast tests check the export against the mart contract: every column a dataset names exists in
the dbt yml with that type and 中文 label, every chart uses its dataset's columns and metrics, every
dashboard places existing charts, and the database URI is a placeholder filled at import.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from ingest.mart_contract import mart_models
from tests.conftest import stop_process_group

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "bi" / "superset" / "assets"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("BUDGET_WAREHOUSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN_PASSWORD = "seed-test-admin"
PG_DSN = "postgresql://budget_bi:not-a-password@127.0.0.1:5999/budget"


def _load(kind: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ASSETS / kind).rglob("*.yaml"))]


def _bootstrap():
    spec = importlib.util.spec_from_file_location("superset_bootstrap", ROOT / "bi" / "superset" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------- the export, statically


def test_datasets_follow_the_mart_contract():
    models = mart_models()
    datasets = _load("datasets")
    assert len(datasets) == 10
    for ds in datasets:
        if ds["sql"]:  # the virtual findings dataset (core.fct_findings with the unit's name)
            assert ds["table_name"] == "fct_findings_by_unit" and "core.fct_findings" in ds["sql"]
            continue
        assert ds["schema"] == "marts"
        contract = {c.name: c for c in models[ds["table_name"]]}
        for col in ds["columns"]:
            declared = contract.get(col["column_name"])
            assert declared, f"{ds['table_name']}.{col['column_name']} is not in the mart contract"
            assert (col["type"], col["verbose_name"]) == (declared.data_type, declared.label_zh), col["column_name"]
        for metric in ds["metrics"]:
            if metric["metric_name"].startswith("sum_"):
                column = metric["metric_name"].removeprefix("sum_")
                assert metric["expression"] == f"SUM({column})" and column in contract
                assert metric["verbose_name"] == contract[column].label_zh


def test_charts_use_their_datasets_and_dashboards_place_existing_charts():
    datasets = {ds["uuid"]: ds for ds in _load("datasets")}
    charts = {c["uuid"]: c for c in _load("charts")}
    for chart in charts.values():
        ds = datasets[chart["dataset_uuid"]]
        columns = {c["column_name"] for c in ds["columns"]}
        metrics = {m["metric_name"] for m in ds["metrics"]}
        params = chart["params"]
        used_metrics = params.get("metrics", []) + ([params["metric"]] if "metric" in params else [])
        assert used_metrics and set(used_metrics) <= metrics, chart["slice_name"]
        filters = params.get("adhoc_filters", [])
        used_columns = set(params.get("groupby", [])) | {
            f["subject"] for f in filters if f["expressionType"] == "SIMPLE"
        }
        for f in filters:  # custom SQL: only "the latest year of the same table"
            if f["expressionType"] == "SQL":
                table = ds["table_name"] if not ds["sql"] else "fct_findings"
                assert f["sqlExpression"] == f"fiscal_year = (SELECT MAX(fiscal_year) FROM {ds['schema']}.{table})"
        if params.get("x_axis"):
            used_columns.add(params["x_axis"])
        assert used_columns <= columns, (chart["slice_name"], used_columns - columns)
    placed = []
    dashboards = _load("dashboards")
    assert {d["slug"] for d in dashboards} == {
        "regional-spending",
        "three-public",
        "asset-holdings",
        "disclosure-quality",
        "budget-execution",
    }
    for dash in dashboards:
        for node in dash["position"].values():
            if isinstance(node, dict) and node.get("type") == "CHART":
                assert node["meta"]["uuid"] in charts, (dash["slug"], node["meta"]["sliceName"])
                placed.append(node["meta"]["uuid"])
    assert sorted(placed) == sorted(charts), "every chart on exactly one dashboard"


def test_database_uri_is_filled_in_at_import(tmp_path):
    (db,) = _load("databases")
    assert db["sqlalchemy_uri"] == "WAREHOUSE_URI"
    assert db["extra"]["engine_params"]["connect_args"] == {"read_only": True}
    boot = _bootstrap()
    uri = boot.warehouse_uri(tmp_path / "warehouse.duckdb")
    contents = boot.bundle(uri)
    assert f"sqlalchemy_uri: {uri}" in contents["databases/warehouse.yaml"]
    assert not any("WAREHOUSE_URI" in text for text in contents.values())
    assert len(contents) == 1 + 1 + 10 + 21 + 5  # metadata, database, datasets, charts, dashboards


# ---------------------------------------------------------------------------- a real server, a real browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(log: Path, n: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:]) if log.exists() else ""


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def superset_server(loaded, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("BUDGET_WAREHOUSE_SKIP_BROWSER") == "1":
            pytest.skip("BUDGET_WAREHOUSE_SKIP_BROWSER=1")
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (`make test` does when run as root)")
    settings, _ = loaded
    home = tmp_path_factory.mktemp("superset_home")
    port = _free_port()
    env = {
        **os.environ,
        "BUDGET_WAREHOUSE_DATA": str(settings.data_dir),
        "SUPERSET_HOME": str(home),
        "SUPERSET_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # PostgreSQL configured: registered beside DuckDB (no server needed to register it)
        "BUDGET_WAREHOUSE_PG_DSN": PG_DSN,
    }
    for var in ("SUPERSET_SECRET_KEY", "BUDGET_WAREHOUSE_BI_PG_DSN"):
        env.pop(var, None)
    log = home / "make-bi.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "bi", f"SUPERSET_PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # a fresh clone builds .venv-superset and its metadata template first (minutes on 2 cores)
        deadline = time.monotonic() + 900
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"make bi exited ({proc.returncode}):\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"Superset did not answer within 900 s:\n{_tail(log)}")
            time.sleep(1)
        print(f"make bi: Superset up in {time.monotonic() - started:.0f} s")
        yield url, settings.data_dir, home, log
    finally:
        stop_process_group(proc, 15)


# Figures of the seed (昌吉州外事办 2021), as docs/mart_contract.md states them. Each tuple is a run
# of adjacent cells of one table row on the dashboard.
DASHBOARDS = {
    "regional-spending": {
        "title": "地区支出（按功能分类“类”）",
        "big": ["320.06"],
        "rows": [
            ("2021", "652300-ALL", "昌吉回族自治州（全州合计）", "254.06", "66.00", "320.06"),
            ("2021", "652300", "州本级", "254.06", "66.00", "320.06"),
            ("州本级", "201", "一般公共服务支出", "198.20", "38.00", "236.20"),
            ("州本级", "203", "国防支出", "0.00", "28.00", "28.00"),
            ("州本级", "208", "社会保障和就业支出", "20.89", "0.00", "20.89"),
            ("州本级", "210", "卫生健康支出", "34.97", "0.00", "34.97"),
            ("昌吉回族自治州（全州合计）", "201", "一般公共服务支出", "198.20", "38.00", "236.20"),
        ],
        "data": ["320.06", "254.06", "66", "236.2", "28", "20.89", "34.97"],
    },
    "three-public": {
        "title": "“三公”经费趋势",
        "big": ["5.12"],
        "rows": [
            ("昌吉州外事办", "0.00", "0.00", "4.50", "0.62", "5.12", "8.43", "-3.31", "0.3413"),
            ("昌吉回族自治州（全州合计）", "5.12", "8.43", "-3.31", "1", "0.3413"),
            ("州本级", "5.12", "8.43", "-3.31", "1", "0.3413"),
        ],
        "data": ["5.12", "8.43", "-3.31", "4.5", "0.62"],
    },
    "asset-holdings": {
        "title": "国有资产占用",
        "big": ["5059.61"],
        "rows": [
            ("昌吉回族自治州（全州合计）", "1", "5059.61", "2106.94", "3", "86.86", "111.88", "2115.28", "2", "2"),
            ("652300-waishiban", "2020-12-31", "5059.61", "2106.94", "3", "86.86", "111.88", "2115.28", "2", "2"),
        ],
        "data": ["5059.61", "2106.94", "86.86", "111.88", "2115.28"],
    },
    "disclosure-quality": {
        "title": "公开质量",
        "big": [],
        "rows": [  # 预算 and 决算 apart: the kind (公开类型) is a column of every table
            ("2021", "预算", "652300", "昌吉州外事办", "whole", "9", "9", "10", "8", "1", "100.00%"),
            ("预算", "NR-SHARE", "warning", "6"),
            ("预算", "SUM-ROWS", "error", "2"),
            ("预算", "NR-ASSET-VEHICLE", "error", "2"),
            ("预算", "XT-TOTALS", "error", "1"),
            ("预算", "DOC-UNIT-VARIANT", "info", "1"),
            ("2021", "预算", "昌吉州外事办", "SUM-ROWS", "error", "2"),
        ],
        "data": ["10", "8", "1", "6"],
    },
    # the execution marts of the seed: its 预算 (表三's leaf lines sum to 320.06, 表八's 三公 合计 5.12)
    # with no 决算 loaded, so the 决算 side is empty (N/A), never 0
    "budget-execution": {
        "title": "预算执行",
        "big": [],
        "rows": [
            ("2021", "652300", "320.06"),
            ("2021", "652300", "昌吉州外事办", "320.06"),
            ("2021", "652300", "州本级", "合计", "5.12"),
            ("2021", "652300", "州本级", "公务接待费", "0.62"),
        ],
        "data": ["320.06", "5.12", "4.5", "0.62"],
    },
}


def _charts_on(slug: str) -> int:
    (dash,) = [d for d in _load("dashboards") if d["slug"] == slug]
    return sum(1 for n in dash["position"].values() if isinstance(n, dict) and n.get("type") == "CHART")


def _numbers(value, out: set) -> set:
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, (int, float)):
        out.add(Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value))
    elif isinstance(value, dict):
        for v in value.values():
            _numbers(v, out)
    elif isinstance(value, list):
        for v in value:
            _numbers(v, out)
    return out


def _has_run(cells: list[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(cells[i : i + n]) == run for i in range(len(cells) - n + 1))


@pytest.mark.slow  # a whole load, `make bi` and a browser: `make test-fast` leaves it out
def test_dashboards_show_the_seed_figures(superset_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, data, _home, log = superset_server
    ARTIFACTS.mkdir(exist_ok=True)
    elsewhere: list[str] = []
    chart_data: list = []
    timings = {}

    def local_only(route):
        if route.request.url.startswith((url, "data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1400},
            locale="zh-CN",
        )
        ctx.route("**/*", local_only)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.on("response", lambda r: chart_data.append(r) if "/api/v1/chart/data" in r.url else None)
        try:
            page.goto(f"{url}/login/")
            page.locator("#username, input[name=username]").first.fill("admin")
            page.locator("#password, input[name=password]").first.fill(ADMIN_PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url("**/superset/welcome/**")
            expect(page.get_by_text("看板", exact=True).first).to_be_visible()  # the Chinese UI: 看板 = Dashboards

            databases = {d["database_name"]: d for d in page.request.get(f"{url}/api/v1/database/").json()["result"]}
            assert set(databases) == {"预算仓库（DuckDB）", "预算仓库（PostgreSQL）"}
            assert databases["预算仓库（DuckDB）"]["backend"] == "duckdb"
            assert databases["预算仓库（PostgreSQL）"]["backend"] == "postgresql"
            assert not any(d["allow_dml"] for d in databases.values())

            for slug, want in DASHBOARDS.items():
                started = time.monotonic()
                chart_data.clear()
                page.goto(f"{url}/superset/dashboard/{slug}/")
                expect(page.locator("body")).to_contain_text(want["title"])
                charts = _charts_on(slug)
                deadline = time.monotonic() + 120
                while len(chart_data) < charts and time.monotonic() < deadline:
                    page.wait_for_timeout(250)
                # every chart asked for its data (a chart may ask again, e.g. after a resize)
                assert len(chart_data) >= charts, f"{slug}: {len(chart_data)} of {charts} charts queried"
                received: set = set()
                for response in chart_data:
                    assert response.status == 200, (slug, response.status, response.text()[:500])
                    for result in response.json()["result"]:
                        assert result["status"] == "success" and not result.get("error"), (slug, result)
                        _numbers(result["data"], received)
                for figure in want["data"]:
                    assert Decimal(figure).normalize() in received, f"{slug}: {figure} not in the chart data"
                for figure in want["big"]:
                    expect(
                        page.locator(".header-line", has_text=figure).or_(page.get_by_text(figure, exact=True)).first
                    ).to_be_visible()
                expect(page.locator("table tbody tr").first).to_be_visible()
                rows = [[c.strip() for c in r.split("\t")] for r in page.locator("table tbody tr").all_inner_texts()]
                for run in want["rows"]:
                    assert any(_has_run(cells, run) for cells in rows), f"{slug}: no row with {run}; rows: {rows}"
                page.wait_for_timeout(500)  # let the ECharts animation settle for the screenshot
                page.screenshot(path=str(ARTIFACTS / f"superset-{slug}.png"), full_page=True)
                timings[slug] = round(time.monotonic() - started, 1)

            # A build replaces warehouse.duckdb (os.replace) under the running server: the next
            # query reads the new file (no pooled connection, no cache, no lock held on the old one).
            warehouse = data / "warehouse.duckdb"
            original = tmp_path / "original.duckdb"
            shutil.copy2(warehouse, original)
            rebuilt = data / ".build" / "superset-test.duckdb"
            rebuilt.parent.mkdir(exist_ok=True)
            shutil.copy2(warehouse, rebuilt)
            with duckdb.connect(str(rebuilt)) as con:
                con.execute(
                    "update marts.mart_regional_spending_rollup set total_wan_yuan = total_wan_yuan + 1 "
                    "where region_code = '652300-ALL' and rollup_level = '类' and functional_code = '201'"
                )
            os.replace(rebuilt, warehouse)
            try:
                chart_data.clear()
                page.goto(f"{url}/superset/dashboard/regional-spending/")
                expect(page.get_by_text("321.06", exact=True).first).to_be_visible()
            finally:
                os.replace(original, warehouse)
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / "superset-failure.png"), full_page=True)
            print(_tail(log))
            raise
        finally:
            ctx.close()
    print("dashboards (s):", timings)
    assert elsewhere == [], f"the page tried to fetch from elsewhere: {sorted(set(elsewhere))}"
