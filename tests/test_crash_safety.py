"""Crash safety, measured (docs/reliability.md): SIGKILL at random moments of the ingest step and of the
dbt step, then a normal restart (bench/crash.py has the harness and the checks); and a full disk
(a small tmpfs as the data folder) ends the load with a clear error and loses nothing published.

Both are `slow` (subprocess loads with dbt); `make test` runs them. The number of trials per step is
BUDGET_WAREHOUSE_CRASH_TRIALS ("ingest,dbt"; default below); `python -m bench.crash` runs 20 + 20.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.crash import (
    DBT_MARK,
    UNREADABLE,
    Forked,
    Forker,
    drop,
    lake_state,
    make_inputs,
    run,
    run_trials,
    warehouse_fingerprint,
)

pytestmark = pytest.mark.slow

DEFAULT_TRIALS = (20, 4)


def _trials() -> tuple[int, int]:
    raw = os.environ.get("BUDGET_WAREHOUSE_CRASH_TRIALS")
    if not raw:
        return DEFAULT_TRIALS
    ingest, dbt = (int(x) for x in raw.split(","))
    return ingest, dbt


def test_sigkill_in_ingest_and_dbt_then_restart(tmp_path):
    ingest, dbt = _trials()
    report = run_trials(tmp_path, ingest=ingest, dbt=dbt, seed=12, restart_every=2)
    print(report.summary())
    assert not report.failures, report.summary()
    for step, n in (("ingest", ingest), ("dbt", dbt)):
        trials = [t for t in report.trials if t.step == step]
        assert len(trials) == n
        # the kills land inside the step (not all after it ended), so the trials test something
        assert sum(t.killed for t in trials) >= n // 2, report.summary()
    assert all(t.restarted for t in report.trials if t.step == "ingest")


# ---- disk full ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MB tmpfs mounted at a temporary folder (root only; CI runs as root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(disk: Path, leave_bytes: int) -> Path:
    """Fill `disk` until `leave_bytes` are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free - leave_bytes
    with open(filler, "wb") as fh:
        chunk = b"\0" * (1 << 20)
        while free > 0:
            n = min(free, len(chunk))
            fh.write(chunk[:n])
            free -= n
    return filler


@pytest.fixture
def forker():
    """`budget-warehouse run`, each forked from one parent that imported it (bench.crash.Forker)."""
    with Forker() as f:
        yield f


def test_a_full_disk_ends_the_load_with_a_clear_error_and_loses_nothing(tmp_path, small_disk, forker):
    """Part 1 loaded and built on a 40 MB disk; part 2 dropped in, then: the disk full to 64 KB (the
    ingest cannot write its batch), full to 1 MB (the ingest passes, the dbt build cannot write the
    new warehouse), and room again (the load completes). Each load is `budget-warehouse run` in a
    process of its own."""
    load = Forked(forker, "run")
    part1, part2 = make_inputs(tmp_path / "inputs")
    data = small_disk / "data"
    drop(part1, data / "inbox")
    assert run(load, data).returncode == 0
    published = warehouse_fingerprint(data / "warehouse.duckdb")
    before = lake_state(data)
    drop(part2, data / "inbox")
    new_documents = len(before["documents"]) + len(part2) - 1  # the notes are quarantined

    for leave_kb, step in ((64, "raw_disclosures"), (1024, "warehouse_dbt")):
        filler = _fill(small_disk, leave_kb * 1024)
        out = run(load, data, mark=DBT_MARK)
        filler.unlink()
        print(
            f"disk full ({leave_kb} KB free):",
            *[
                line.strip()[:300]
                for line in out.log_tail.splitlines()
                if "No space left" in line or "load failed" in line
            ][:4],
            sep="\n  ",
        )
        assert out.returncode == 1, out.log_tail
        assert "No space left on device" in out.log_tail, out.log_tail
        assert f"load failed (steps: {step}" in out.log_tail, out.log_tail
        # nothing published is lost: the warehouse is the last complete one, the lake is whole
        assert warehouse_fingerprint(data / "warehouse.duckdb") == published
        state = lake_state(data)
        assert not state["problems"] and not state["leftover_tmp"]
        assert len(set(state["documents"])) == len(state["documents"])
        # the whole batch or none of it: none when the ingest failed, all when only the build did
        assert len(state["documents"]) == (len(before["documents"]) if step == "raw_disclosures" else new_documents)

    # room again: the next load completes and has every file
    assert run(load, data).returncode == 0
    state = lake_state(data)
    assert len(state["documents"]) == new_documents
    assert state["quarantined"] == [UNREADABLE] and not state["leftover_tmp"]
    assert warehouse_fingerprint(data / "warehouse.duckdb") not in (None, published)
