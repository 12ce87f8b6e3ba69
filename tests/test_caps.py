"""Per-file caps (ingest/caps.py, settings in ingest/settings.py): size, PDF pages, parse seconds and
memory. A file over a cap is quarantined with a reason naming the cap and its variable; the rest of
its batch loads."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from ingest import lake
from ingest.caps import CapExceeded, check_pages, check_size, page_count, run_limited
from ingest.pipeline import ingest_inbox, parse_capped, quarantine_status
from ingest.readers import UnreadableFileError
from ingest.settings import CAP_VARS, Caps, Settings

from seedtext import SEED

OFF = dict(max_file_mb=0, max_pages=0, parse_seconds=0, parse_memory_mb=0)


def test_defaults_are_documented_and_env_overrides_them(monkeypatch):
    for var, _ in CAP_VARS.values():
        monkeypatch.delenv(var, raising=False)
    assert Caps() == Caps(max_file_mb=50, max_pages=500, parse_seconds=120, parse_memory_mb=2048)
    doc = (SEED.parents[2] / "docs" / "reliability.md").read_text(encoding="utf-8")
    for name, (var, default) in CAP_VARS.items():
        assert f"`{var}`" in doc and f"| {default:g} |" in doc, name  # the table of caps names each default
    monkeypatch.setenv("BUDGET_WAREHOUSE_MAX_PAGES", "20")
    monkeypatch.setenv("BUDGET_WAREHOUSE_PARSE_SECONDS", "0")
    assert Caps().max_pages == 20 and Caps().parse_seconds == 0
    monkeypatch.setenv("BUDGET_WAREHOUSE_MAX_FILE_MB", "lots")
    with pytest.raises(ValueError, match="BUDGET_WAREHOUSE_MAX_FILE_MB='lots': not a number"):
        Caps()
    monkeypatch.setenv("BUDGET_WAREHOUSE_MAX_FILE_MB", "-1")
    with pytest.raises(ValueError, match="must be ≥ 0"):
        Caps()


def test_size_cap_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 300_000)
    with pytest.raises(CapExceeded, match=r"file size cap: 0\.3 MB is over 0\.25 MB \(BUDGET_WAREHOUSE_MAX_FILE_MB\)"):
        check_size(big, Caps(**{**OFF, "max_file_mb": 0.25}))
    check_size(big, Caps(**{**OFF, "max_file_mb": 1}))
    check_size(big, Caps(**OFF))  # 0: no cap


def test_page_cap_reads_the_page_tree_of_a_pdf(tmp_path):
    from conftest import real_disclosure

    pdf = real_disclosure("bj-caizhengju-2026-dept-text.pdf")
    assert page_count(pdf) == 10
    assert page_count(SEED) is None  # not a PDF
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    assert page_count(broken) is None  # the reader says why
    with pytest.raises(CapExceeded, match=r"page count cap: 10 pages is over 9 \(BUDGET_WAREHOUSE_MAX_PAGES\)"):
        check_pages(pdf, Caps(**{**OFF, "max_pages": 9}))
    check_pages(pdf, Caps(**{**OFF, "max_pages": 10}))


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _unreadable(name: str):
    raise UnreadableFileError(name, "no table found")


def test_run_limited_returns_results_and_passes_exceptions_through():
    limited = Caps(**{**OFF, "parse_seconds": 30, "parse_memory_mb": 500})
    assert run_limited(_sleep, 0, caps=limited) == "woke"
    assert run_limited(_allocate, 50, caps=limited) == 50 * 1024 * 1024
    with pytest.raises(ValueError, match="invalid literal"):
        run_limited(int, "x", caps=limited)
    assert run_limited(_sleep, 0, caps=Caps(**OFF)) == "woke"  # both 0: in this process


def test_time_cap_kills_the_parse():
    started = time.monotonic()
    with pytest.raises(
        CapExceeded, match=r"parse time cap: not parsed within 0\.5 s \(BUDGET_WAREHOUSE_PARSE_SECONDS\)"
    ):
        run_limited(_sleep, 60, caps=Caps(**{**OFF, "parse_seconds": 0.5}))
    assert time.monotonic() - started < 30  # killed, not waited for


def test_memory_cap_stops_the_parse():
    with pytest.raises(
        CapExceeded,
        match=r"parse memory cap: the parse needed more than 100 MB "
        r"\(BUDGET_WAREHOUSE_PARSE_MEMORY_MB\)",
    ):
        run_limited(_allocate, 400, caps=Caps(**{**OFF, "parse_memory_mb": 100}))


def test_parse_capped_gives_the_cap_as_the_error(tmp_path):
    path = tmp_path / "seed.txt"
    shutil.copy(SEED, path)
    ok = parse_capped(path, Caps(**{**OFF, "parse_seconds": 60, "parse_memory_mb": 1024}))
    assert ok.error is None and ok.disclosure.unit_name
    too_big = parse_capped(path, Caps(**{**OFF, "max_file_mb": 0.01}))
    assert too_big.error.startswith("file size cap:") and too_big.document_id == ok.document_id
    assert too_big.size == SEED.stat().st_size


def test_a_file_over_a_cap_is_quarantined_and_the_rest_of_the_batch_loads(tmp_path, monkeypatch):
    """One file hangs its parse (time cap), one is too big (size cap): both are quarantined with the
    cap as the reason; the good file loads."""
    import ingest.pipeline as pipeline

    real_parse = pipeline.parse_path

    def parse(path):
        if path.name.startswith("hang"):
            time.sleep(600)
        return real_parse(path)

    monkeypatch.setattr(pipeline, "parse_path", parse)  # the forked parse processes inherit it
    settings = Settings(
        tmp_path / "data", caps=Caps(max_file_mb=0.05, max_pages=500, parse_seconds=2, parse_memory_mb=1024)
    ).ensure()
    shutil.copy(SEED, settings.inbox / "seed.txt")
    (settings.inbox / "hang.txt").write_text(SEED.read_text(encoding="utf-8") + "\n附：", encoding="utf-8")
    (settings.inbox / "huge.txt").write_bytes(SEED.read_bytes() + b" " * 60_000)

    report = ingest_inbox(settings)

    assert [p.path.name for p in report.loaded] == ["seed.txt"]
    reasons = {
        json.loads(p.read_text(encoding="utf-8"))["file"]: json.loads(p.read_text(encoding="utf-8"))["error"]
        for p in settings.quarantine.glob("*.reason.json")
    }
    assert reasons.keys() == {"hang.txt", "huge.txt"}
    assert reasons["hang.txt"].startswith("parse time cap: not parsed within 2 s (BUDGET_WAREHOUSE_PARSE_SECONDS)")
    assert reasons["huge.txt"].startswith("file size cap:") and "BUDGET_WAREHOUSE_MAX_FILE_MB" in reasons["huge.txt"]
    assert sorted(lake.read_quarantine_records(settings.quarantine_records).column("file_name").to_pylist()) == [
        "hang.txt",
        "huge.txt",
    ]
    assert [d["source_file"] for d in lake.read_table(settings.lake, "raw_documents").to_pylist()] == ["seed.txt"]


def test_a_killed_load_leaves_no_partial_batch_behind(tmp_path):
    """What a load killed half-way leaves (an unpublished batch folder) is never read and is removed
    by the next load."""
    settings = Settings(tmp_path / "data").ensure()
    leftover = settings.lake / ".tmp-batch=20260101T000000000000Z-deadbeef"
    leftover.mkdir(parents=True)
    (leftover / "raw_documents.parquet").write_bytes(b"PAR1 half written")
    # a quarantine record killed half-way (found by the crash trials: its old name matched `*.parquet`,
    # the glob dbt and quarantine_status read, and a 4-byte file failed both)
    records = settings.quarantine_records
    records.mkdir(parents=True)
    (records / f".tmp-1e1d51be-{'a' * 64}.parquet").write_bytes(b"PAR1")
    assert lake.batches(settings.lake) == []
    shutil.copy(SEED, settings.inbox / "seed.txt")
    report = ingest_inbox(settings)
    assert len(report.loaded) == 1 and not leftover.exists()
    assert len(lake.batches(settings.lake)) == 1
    assert not list(records.glob(".tmp-*")) and quarantine_status(settings) == []


@pytest.mark.slow
def test_every_real_disclosure_parses_the_same_under_the_default_caps(monkeypatch):
    """The defaults stop no real published disclosure, and the capped parse (a forked process) gives
    exactly the rows and findings of the parse in process."""
    from conftest import REAL_DISCLOSURES

    from ingest.pipeline import parse_path

    for var, _ in CAP_VARS.values():
        monkeypatch.delenv(var, raising=False)
    files = sorted(REAL_DISCLOSURES.glob("*/*.pdf"))
    assert len(files) >= 30
    for path in files:
        capped, plain = parse_capped(path, Caps()), parse_path(path)
        assert capped.error == plain.error, path.name
        if plain.disclosure is not None:
            assert capped.disclosure.rows == plain.disclosure.rows, path.name
            assert [f.as_row() for f in capped.disclosure.findings] == [f.as_row() for f in plain.disclosure.findings]


def test_the_sensor_and_publication_knobs_are_settings(monkeypatch):
    from ingest.settings import Settings

    monkeypatch.setenv("BUDGET_WAREHOUSE_SETTLE_SECONDS", "0")
    monkeypatch.setenv("BUDGET_WAREHOUSE_SENSOR_INTERVAL", "7")
    monkeypatch.setenv("BUDGET_WAREHOUSE_PG_DSN", "host=db dbname=w")
    monkeypatch.delenv("BUDGET_WAREHOUSE_PG_BI_ROLE", raising=False)
    s = Settings.from_env()
    assert (s.sensor.settle_seconds, s.sensor.interval_seconds) == (0, 7)
    assert (s.publication.pg_dsn, s.publication.pg_bi_role) == ("host=db dbname=w", "budget_bi")
    monkeypatch.setenv("BUDGET_WAREHOUSE_SENSOR_INTERVAL", "soon")
    with pytest.raises(ValueError, match="BUDGET_WAREHOUSE_SENSOR_INTERVAL='soon': not a number"):
        Settings.from_env()


def test_no_module_reads_a_setting_of_its_own_from_the_environment():
    """Knobs live in ingest/settings.py (issue 15): other modules ask Settings."""
    import re

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in [*root.glob("ingest/**/*.py"), *root.glob("orchestration/**/*.py")]:
        if path.name == "settings.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"os\.environ\.get\(\s*\"BUDGET_WAREHOUSE_|os\.getenv\(\s*\"BUDGET_WAREHOUSE_", line):
                offenders.append(f"{path.relative_to(root)}:{n}")
    assert offenders == []
