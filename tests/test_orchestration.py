"""Dagster wiring: the definitions load, one full in-process load of the seed
disclosure, the findings check, and the inbox sensor's cursor and run keys.

The load (ingest + `dbt build`, ~10 s) runs once per session: fixture `loaded` in conftest.py.
"""

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingest.pipeline import ingest_inbox, sha256_bytes
from ingest.settings import Settings
from orchestration.cli import summary_rows
from orchestration.definitions import defs
from orchestration.defs.assets import RAW_DISCLOSURES
from orchestration.defs.resources import WarehousePaths
from orchestration.defs.sensors import batch_run_key, inbox_sensor

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
MARTS = {"mart_regional_spending", "mart_three_public_trends", "mart_asset_holdings", "mart_disclosure_quality"}


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {k.path[-1]: k for k in graph.get_all_asset_keys()}

    assert graph.get(RAW_DISCLOSURES).group_name == "ingest"
    assert MARTS <= set(keys)
    assert {graph.get(keys[m]).group_name for m in MARTS} == {"marts"}
    # every dbt source is the ingest asset: staging models hang off raw_disclosures
    assert RAW_DISCLOSURES in graph.get(keys["stg_documents"]).parent_keys
    # dbt tests become asset checks, next to the validation-findings check
    check_keys = set(graph.asset_check_keys)
    assert dg.AssetCheckKey(RAW_DISCLOSURES, "validation_findings") in check_keys
    assert any(k.asset_key.path[-1].startswith(("mart_", "fct_", "dim_")) for k in check_keys)

    job = defs.resolve_job_def("load_job")
    assert set(job.asset_layer.selected_asset_keys) == set(keys.values())
    assert defs.resolve_sensor_def("inbox_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    schedule = defs.resolve_schedule_def("annual_load")
    assert schedule.job_name == "load_job"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_dbt_resource_skips_dbt_version_subprocess_but_agrees_with_it():
    """WarehouseDbtCli reads dbt's version from the installed dbt-core package instead of running
    `dbt --version` before every build; the two must agree (same venv), and the dagster-dbt hooks
    it overrides must still exist (else the override silently stops applying)."""
    import re
    import subprocess
    import sys

    from dagster_dbt import DbtCliResource

    from orchestration.defs.resources import WarehouseDbtCli, build_resources

    assert isinstance(build_resources()["dbt"], WarehouseDbtCli)
    for hook in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert hook in vars(DbtCliResource), hook
    dbt = str(Path(sys.executable).with_name("dbt"))
    printed = subprocess.run([dbt, "--version"], capture_output=True, text=True, check=True).stdout
    core = re.search(r"installed:\s*(\d+\.\d+\.\d+)", printed).group(1)
    assert str(build_resources()["dbt"]._cli_version) == core


def test_full_load_builds_the_marts(loaded):
    settings, result = loaded
    assert result.success

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        marts = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert MARTS <= marts
        (total,) = con.execute(
            "select sum(total_wan_yuan) from marts.mart_regional_spending "
            "where fiscal_year = 2021 and region_code = '652300'"
        ).fetchone()
    assert total == Decimal("320.06")
    assert any(r[0] == 2021 and r[1] == "652300" for r in summary_rows(settings))

    ingest = result.asset_materializations_for_node("raw_disclosures")[0].metadata
    assert ingest["files_loaded"].value == 1
    assert ingest["files_quarantined"].value == 0


def test_findings_check_reports_by_rule(loaded):
    _, result = loaded
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    findings = evaluations["validation_findings"]
    assert findings.asset_key == RAW_DISCLOSURES
    assert findings.severity == dg.AssetCheckSeverity.WARN
    meta = findings.metadata
    assert meta["documents"].value == 1
    by_rule = meta["findings_by_rule"].value
    assert sum(sum(c.values()) for c in by_rule.values()) == sum(
        meta[f"findings_{s}"].value for s in ("error", "warning", "info")
    )
    assert findings.passed == (meta["findings_error"].value == 0)
    # the dbt tests ran as checks too
    assert len(evaluations) > 1


def test_inbox_sensor_requests_each_content_once(tmp_path):
    """Run keys are a function of the new contents: a re-tick (same or lost cursor) asks for the
    same key, which the daemon drops; a renamed copy is the same content; content already in
    the lake is never requested; a file still being written waits."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = inbox / "a.txt"
    shutil.copy(SEED, first)
    settled = time.time() - 60
    os.utime(first, (settled, settled))
    resources = {"warehouse": WarehousePaths(data_dir=str(tmp_path))}

    with dg.DagsterInstance.ephemeral() as instance:

        def tick(cursor):
            ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
            return inbox_sensor.evaluate_tick(ctx)

        one = tick(None)
        assert len(one.run_requests) == 1
        request = one.run_requests[0]
        key = batch_run_key([sha256_bytes(SEED.read_bytes())])
        assert request.run_key == key == tick(None).run_requests[0].run_key
        assert dg.validate_run_config(defs.resolve_job_def("load_job"), request.run_config)
        assert request.run_config["ops"]["raw_disclosures"]["config"]["paths"] == [str(first)]

        # a renamed copy of the same bytes is not a second file to load: same key, one path
        copy = inbox / "b.txt"
        shutil.copy(first, copy)
        os.utime(copy, (settled, settled))
        two = tick(one.cursor)
        assert [r.run_key for r in two.run_requests] == [key]
        assert len(two.run_requests[0].run_config["ops"]["raw_disclosures"]["config"]["paths"]) == 1

        # a file modified just now is still being written: not hashed, not requested
        (inbox / "c.txt").write_text("partial", encoding="utf-8")
        three = tick(two.cursor)
        assert [r.run_key for r in three.run_requests] == [key]
        assert "c.txt" not in three.cursor
        (inbox / "c.txt").unlink()

        # once the content is in the lake, nothing is requested, whatever the cursor
        ingest_inbox(Settings(data_dir=tmp_path), [first])
        for cursor in (three.cursor, None):
            done = tick(cursor)
            assert not done.run_requests and "no new content" in done.skip_message
