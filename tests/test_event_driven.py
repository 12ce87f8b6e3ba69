"""Event-driven operation with real Dagster instance storage (SQLite in a temporary
DAGSTER_HOME): the inbox sensor is evaluated tick by tick and its run requests are launched
the way the daemon does (a run key already used by the sensor is dropped), through the real
load job: ingest → lake → dbt build → atomic publish of warehouse.duckdb.

Also: a BI reader holding a read-only connection on the published warehouse keeps getting
answers while a rebuild publishes a new one; and a year is rebuilt from originals/.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG

from ingest import lake
from ingest.pipeline import ingest_inbox, sha256_bytes
from ingest.settings import ENV_VAR, Settings
from orchestration.definitions import defs
from orchestration.defs.sensors import BATCH_TAG, inbox_sensor

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
UNITS = ["昌吉州测试甲局", "昌吉州测试乙局", "昌吉州测试丙局"]


def unit_text(name: str) -> str:
    """The seed disclosure as published by another (unregistered) unit."""
    return SEED_TEXT.replace("昌吉州外事办", name).replace("昌吉州外办", name)


def drop(path: Path, text: str | bytes) -> Path:
    """Put a file in the inbox as a finished copy (mtime in the past: it has stopped changing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(text, bytes) else lambda t: path.write_text(t, encoding="utf-8"))(text)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


class Daemon:
    """Just enough of the Dagster daemon: keep the sensor cursor, evaluate a tick, launch each
    run request unless a run with its run key exists already."""

    def __init__(self, instance: dg.DagsterInstance, data: Path):
        self.instance = instance
        self.data = data
        self.cursor = None
        self.job = defs.resolve_job_def("load_job")

    def tick(self, cursor="keep"):
        ctx = dg.build_sensor_context(
            instance=self.instance,
            cursor=self.cursor if cursor == "keep" else cursor,
            resources={"warehouse": defs.resources["warehouse"]},
        )
        result = inbox_sensor.evaluate_tick(ctx)
        self.cursor = result.cursor
        return result

    def launch(self, result) -> list[dg.ExecuteInProcessResult]:
        launched = []
        for request in result.run_requests:
            tags = {RUN_KEY_TAG: request.run_key, SENSOR_NAME_TAG: "inbox_sensor"}
            if self.instance.get_run_records(filters=dg.RunsFilter(tags=tags), limit=1):
                continue  # the daemon skips a run key it has launched before
            launched.append(
                self.job.execute_in_process(
                    run_config=request.run_config,
                    instance=self.instance,
                    tags={**request.tags, **tags},
                    raise_on_error=False,
                )
            )
        return launched


def marts(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


QUALITY = "select unit_name, revision, document_id, source_file from marts.mart_disclosure_quality order by unit_name"


def test_inbox_sensor_loads_batches_once_and_revisions(tmp_path, monkeypatch):
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    monkeypatch.setenv(ENV_VAR, str(data))
    inbox = settings.inbox
    inbox.mkdir(parents=True)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(Path(__file__).parents[1] / "orchestration" / "dagster.yaml", home / "dagster.yaml")

    with dg.DagsterInstance.from_config(str(home)) as instance:
        daemon = Daemon(instance, data)

        # nothing yet
        assert not daemon.tick().run_requests

        # three disclosures (and one file that is not a disclosure at all) arrive together
        files = [drop(inbox / f"unit{i}.txt", unit_text(name)) for i, name in enumerate(UNITS)]
        broken = drop(inbox / "scan.txt", "扫描件，无法识别\n")
        first = daemon.tick()
        assert len(first.run_requests) == 1
        assert sorted(first.run_requests[0].run_config["ops"]["raw_disclosures"]["config"]["paths"]) == sorted(
            str(p) for p in files + [broken]
        )
        # a re-evaluated tick (or a daemon restarted without its cursor) asks for the same run key
        assert [r.run_key for r in daemon.tick(cursor=None).run_requests] == [first.run_requests[0].run_key]
        (run,) = daemon.launch(first)
        assert run.success
        assert not daemon.launch(first)  # launched once only

        # one run, one dbt build: all three loaded, the unreadable one quarantined
        ingest = run.asset_materializations_for_node("raw_disclosures")[0].metadata
        assert (ingest["files_loaded"].value, ingest["files_quarantined"].value) == (3, 1)
        assert ingest["quarantine_open"].value == 1
        steps = [e.step_key for e in run.all_events if e.event_type_value == "STEP_START"]
        assert steps.count("warehouse_dbt") == 1 and steps.count("raw_disclosures") == 1
        assert [(r[0], r[1]) for r in marts(settings, QUALITY)] == sorted((u, 1) for u in UNITS)
        assert len(lake.batches(settings.lake)) == 1
        assert not broken.exists() and len(list(settings.quarantine.glob("*-scan.txt"))) == 1
        assert marts(settings, "select file_name, status from marts.mart_quarantined_files") == [("scan.txt", "open")]
        checks = {e.check_name: e for e in run.get_asset_check_evaluations()}
        assert not checks["quarantine"].passed and checks["quarantine"].metadata["open"].value == 1
        # originals: any mart row traces back to the exact bytes of its file
        for _, _, document_id, source_file in marts(settings, QUALITY):
            assert sha256_bytes((settings.originals / document_id).read_bytes()) == document_id
            assert (settings.originals / document_id).read_bytes() == (inbox / source_file).read_bytes()

        # identical re-drop (another name, same bytes), re-ticks, a lost cursor: no run
        drop(inbox / "copy-of-unit0.txt", files[0].read_bytes())
        for cursor in ("keep", None):
            again = daemon.tick(cursor)
            assert not again.run_requests, again.skip_message
        assert "no new content" in again.skip_message

        # a corrected file: a new revision; the fixed scan is re-dropped under its name
        drop(files[1], unit_text(UNITS[1]) + "\n（更正：补充说明）\n")
        drop(inbox / "scan.txt", unit_text("昌吉州测试丁局"))
        second = daemon.tick()
        assert len(second.run_requests) == 1
        # pretend that run failed (e.g. the machine went down): the files are not in the lake,
        # so the sensor asks again, under a new run key
        from dagster._core.test_utils import create_run_for_test

        create_run_for_test(
            instance,
            job_name="load_job",
            status=dg.DagsterRunStatus.FAILURE,
            tags={BATCH_TAG: second.run_requests[0].tags[BATCH_TAG]},
        )
        retry = daemon.tick()
        assert retry.run_requests[0].run_key == second.run_requests[0].run_key + "-attempt2"
        (run2,) = daemon.launch(retry)
        assert run2.success
        quality = {r[0]: r for r in marts(settings, QUALITY)}
        assert quality[UNITS[1]][1] == 2 and quality[UNITS[1]][2] == sha256_bytes(files[1].read_bytes())
        assert quality[UNITS[0]][1] == quality[UNITS[2]][1] == 1
        assert "昌吉州测试丁局" in quality
        (revisions,) = marts(settings, "select count(*) from staging.int_document_revisions")[0:1]
        assert revisions == (5,)  # every revision stays in the warehouse's history
        assert marts(
            settings, "select status, resolved_by_document_id is not null from marts.mart_quarantined_files"
        ) == [("resolved", True)]
        checks = {e.check_name: e for e in run2.get_asset_check_evaluations()}
        assert checks["quarantine"].passed
        assert not daemon.tick().run_requests
        assert not list(settings.builds.iterdir())  # the build file was published


READER = """
import sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
import os
ok = 0; seen = set()
while not os.path.exists(stop):
    con = duckdb.connect(path, read_only=True)   # a BI tool that connects per query
    seen.add(con.execute("select count(*) from marts.mart_disclosure_quality").fetchone()[0])
    con.close(); ok += 1
    time.sleep(0.02)
print(ok, sorted(seen))
"""


def test_reader_during_rebuild_sees_last_complete_warehouse(loaded, tmp_path, monkeypatch):
    """`budget-warehouse rebuild --year 2021` (re-parse the year from originals/, dbt build,
    publish) while BI readers query the published warehouse: one holds its connection, one
    connects per query. Every query succeeds; the holder keeps the old warehouse."""
    import pyarrow.parquet as pq

    from orchestration import cli

    source, _ = loaded
    data = tmp_path / "data"
    for part in ("lake", "originals"):
        shutil.copytree(source.data_dir / part, data / part)
    shutil.copy(source.warehouse, data / "warehouse.duckdb")
    settings = Settings(data_dir=data)
    # a second unit reached the lake since the warehouse was built; and the 2021 rows were made
    # by an older parser that missed 表三 (simulated: that table emptied in the first batch)
    ingest_inbox(settings, [drop(settings.inbox / "other.txt", unit_text(UNITS[0]))])
    first_batch = lake.batches(settings.lake)[0]
    expenditure = lake.read_table(settings.lake, "raw_expenditure").num_rows
    pq.write_table(
        pq.read_table(first_batch / "raw_expenditure.parquet").slice(0, 0), first_batch / "raw_expenditure.parquet"
    )
    assert lake.read_table(settings.lake, "raw_expenditure").num_rows < expenditure
    documents = lake.read_table(settings.lake, "raw_documents").to_pylist()
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv(ENV_VAR, str(data))  # main() sets it too; restored after the test
    inode = settings.warehouse.stat().st_ino

    held = duckdb.connect(str(settings.warehouse), read_only=True)
    stop = threading.Event()
    answers, errors = [], []

    def query_loop():
        while not stop.is_set():
            try:
                answers.append(
                    held.execute("select count(*), sum(total_wan_yuan) from marts.mart_regional_spending").fetchone()
                )
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(repr(exc))
            time.sleep(0.01)

    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.warehouse), str(stop_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    thread = threading.Thread(target=query_loop)
    thread.start()
    try:
        status = cli.main(["rebuild", "--year", "2021"])
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
        stop_file.touch()
        out, err = reader.communicate(timeout=60)
    held.close()

    assert status == 0
    assert not errors, errors[:3]
    assert len(answers) > 50 and len(set(answers)) == 1  # the held connection: the old warehouse, always
    assert reader.returncode == 0, err
    count, seen = out.split(" ", 1)
    assert int(count) > 20
    assert seen.strip() == "[1, 2]"  # reconnecting readers: old, then new; never an error
    assert settings.warehouse.stat().st_ino != inode  # a new file was published, not written in place
    assert marts(settings, "select count(*) from marts.mart_disclosure_quality") == [(2,)]

    # the year was re-parsed from the originals: rows back, identity (hash, batch, time) kept
    assert lake.read_table(settings.lake, "raw_expenditure").num_rows == expenditure
    after = lake.read_table(settings.lake, "raw_documents").to_pylist()
    key = lambda d: (d["document_id"], d["batch_id"], d["loaded_at"])  # noqa: E731
    assert sorted(map(key, after)) == sorted(map(key, documents))
    assert not list(settings.lake.glob(".*"))
