"""The Dagster UI of `make dev`, driven in a real browser (Debian chromium via Playwright).

`make dev` runs on a free port with a temporary data folder and DAGSTER_HOME. The seed
disclosure is in its inbox: the inbox sensor (on by default) loads it and publishes
warehouse.duckdb with nobody clicking. Then the browser finds the asset graph (ingest, dbt
staging/core and mart assets), clicks "Materialize all" and follows the run to success.
Screenshots: test-artifacts/ (git-ignored).

Chromium is required: without /usr/bin/chromium the test fails (`make test` installs it when run as root);
developers may set BUDGET_WAREHOUSE_SKIP_BROWSER=1 to skip it explicitly.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pytest
from tests.conftest import stop_process_group

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str, proc=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"make dev exited ({proc.returncode}) while waiting for {what}:\n{_tail(log)}")
        value = predicate()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}:\n{_tail(log)}")


def _tail(log: Path | None, n: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:])


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _published_units(warehouse: Path) -> int:
    if not warehouse.exists():
        return 0
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select count(*) from marts.mart_disclosure_quality").fetchone()[0]
    except duckdb.Error:
        return 0


@pytest.fixture
def dev_server(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("BUDGET_WAREHOUSE_SKIP_BROWSER") == "1":
            pytest.skip("BUDGET_WAREHOUSE_SKIP_BROWSER=1")
        pytest.fail(
            f"{CHROMIUM} not found: the browser test needs Debian's chromium; install it with "
            "`sudo apt-get update && sudo apt-get install -y chromium` "
            "(`make test` does this itself when run as root). "
            "Set BUDGET_WAREHOUSE_SKIP_BROWSER=1 to skip it on a developer machine."
        )
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    shutil.copy(SEED, data / "inbox" / SEED.name)
    past = time.time() - 60
    os.utime(data / "inbox" / SEED.name, (past, past))
    port = _free_port()
    env = {
        **os.environ,
        "BUDGET_WAREHOUSE_DATA": str(data),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "BUDGET_WAREHOUSE_SENSOR_INTERVAL": "5",
    }
    log = tmp_path / "make-dev.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "dev", f"DAGSTER_PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(lambda: _http_ok(url + "/server_info"), 120, "the webserver", proc, log)
        yield url, data, log
    finally:
        stop_process_group(proc, 10)


def test_dagster_ui_in_a_real_browser(dev_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, data, log = dev_server
    ARTIFACTS.mkdir(exist_ok=True)
    warehouse = data / "warehouse.duckdb"

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1920, "height": 1000},
        )
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        try:
            # the lineage of a mart: ingest → staging → marts (while the sensor's run goes on)
            selection = urllib.parse.quote('+key:"marts/mart_quarantined_files"', safe="")
            page.goto(f"{url}/asset-groups~{selection}/", wait_until="networkidle")
            _dismiss_dialogs(page)
            for group in ("ingest", "staging", "marts"):  # expand the collapsed group nodes
                page.locator('[class*="CollapsedGroupNode_collapsedGroupNodeBox"]', has_text=group).first.click()
                page.wait_for_timeout(500)
            for asset in ("raw_disclosures", "stg_documents", "mart_quarantined_files"):
                expect(page.locator("svg").get_by_text(asset, exact=True).first).to_be_visible()

            page.screenshot(path=str(ARTIFACTS / "ui-asset-graph.png"))

            # nobody clicked: the inbox sensor saw the file and its run published the warehouse
            _wait(
                lambda: _published_units(warehouse) == 1,
                240,
                "the inbox sensor's run to publish warehouse.duckdb",
                log=log,
            )
            first_inode = warehouse.stat().st_ino

            # the whole graph, "Materialize all", follow the run
            page.goto(f"{url}/asset-groups", wait_until="networkidle")
            page.get_by_role("button", name="Materialize all").click()
            expect(page.get_by_text("Launched run")).to_be_visible(timeout=120_000)
            page.get_by_text("View", exact=True).first.click()  # the toast's link to the run
            page.wait_for_url("**/runs/**")
            run_url = page.url
            expect(page.get_by_text("Started execution of step").first).to_be_visible(timeout=60_000)
            # leave the live run page while dbt works (2 cores): come back when it published
            page.goto("about:blank")
            _wait(lambda: warehouse.stat().st_ino != first_inode, 180, "the UI's run to publish", log=log)
            page.goto(run_url, wait_until="networkidle")
            # publishing precedes the run's end (asset checks, run bookkeeping); the run header's
            # status badge turns to Success when the run has really finished. (The event log is
            # virtualised: with ~270 check events RUN_SUCCESS is not necessarily rendered.)
            expect(page.get_by_text("Success", exact=True).first).to_be_visible(timeout=180_000)
            expect(page.get_by_text("Failure", exact=True)).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "ui-run-success.png"))
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / "ui-failure.png"))
            raise
        finally:
            ctx.close()

    assert "/runs/" in run_url
    # that run rebuilt and published the warehouse again
    assert _published_units(warehouse) == 1 and warehouse.stat().st_ino != first_inode


def _dismiss_dialogs(page) -> None:
    """A fresh instance greets the first visitor with a newsletter dialog."""
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.click(timeout=5_000)
    except Exception:  # noqa: BLE001 - no dialog this time
        pass
