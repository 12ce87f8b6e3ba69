"""`inbox_sensor`: start a load when files with new content land in the inbox.

Identity is the content hash (SHA-256), not the name: a renamed copy is not new, an
edited file is. "New" means: not in the lake. The lake, not the cursor, is the record of
what was loaded, so a run that failed (or was cancelled) leaves its files new and they are
requested again, and a lost cursor never causes a second load. The cursor is only a stat
cache, so unchanged files are not re-read every tick:

    {"files": {"rel/path": [size, mtime_ns, sha256, in_lake]}}

A file is hashed only once it has stopped changing: its mtime is at least SETTLE_SECONDS
old and its size and mtime are the same after hashing as before. Each tick requests one
run for all new files (dbt runs once per batch); the run key is derived from their hashes
and the number of earlier runs of that same batch, so a re-evaluated tick or a restarted
daemon never launches a batch twice, while a batch whose run failed is retried (up to
MAX_ATTEMPTS runs) with a new key. No run is requested while any run is queued or going:
what lands meanwhile is batched into the next one.
"""

import hashlib
import json
import time
from pathlib import Path

import dagster as dg

from ingest import lake
from ingest.pipeline import inbox_files, sha256_bytes
from ingest.settings import Settings

from .assets import RAW_DISCLOSURES, IngestConfig
from .jobs import load_job
from .resources import WarehousePaths

# A file modified this recently may still be being copied in; pick it up next tick.
_SENSOR = Settings.from_env().sensor
SETTLE_SECONDS = _SENSOR.settle_seconds
INTERVAL_SECONDS = _SENSOR.interval_seconds
# Runs of one batch (same set of new contents) before the sensor gives up on it and says so.
MAX_ATTEMPTS = 3
# Above this many new files the run ingests the whole inbox instead of a listed set
# (ingest skips known content anyway), keeping run configs small.
MAX_LISTED_FILES = 500

BATCH_TAG = "budget_warehouse/batch"
ACTIVE_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
FINISHED_STATUSES = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


def _read_cursor(cursor: str | None) -> dict[str, list]:
    if not cursor:
        return {}
    files = json.loads(cursor).get("files", {})
    # cursors written before the in_lake flag have 3 fields: treat as not known to be loaded
    return {rel: (v + [False])[:4] for rel, v in files.items()}


def _write_cursor(files: dict[str, list]) -> str:
    return json.dumps({"files": files}, sort_keys=True, separators=(",", ":"))


def batch_run_key(hashes: set[str] | list[str]) -> str:
    return "inbox-" + hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:32]


def _instance(context: dg.SensorEvaluationContext):
    try:
        return context.instance
    except dg.DagsterInvariantViolationError:  # evaluated without an instance (unit tests)
        return None


def _load_in_progress(instance) -> bool:
    """One writer, and ingest dedups at run start: never queue a load behind another one
    (a run launched from the UI counts too)."""
    if instance is None:
        return False
    return bool(instance.get_run_records(filters=dg.RunsFilter(statuses=ACTIVE_STATUSES), limit=1))


def _earlier_runs(instance, batch: str) -> int:
    if instance is None:
        return 0
    return len(instance.get_run_records(filters=dg.RunsFilter(tags={BATCH_TAG: batch}, statuses=FINISHED_STATUSES)))


def scan_inbox(inbox: Path, cached: dict[str, list], now: float | None = None) -> tuple[dict[str, list], int]:
    """Stat (and hash when needed) every settled file: ({rel: [size, mtime_ns, sha, in_lake]}, settling)."""
    now = time.time() if now is None else now
    files: dict[str, list] = {}
    settling = 0
    for path in inbox_files(inbox):
        try:
            stat = path.stat()
            rel = path.relative_to(inbox).as_posix()
            hit = cached.get(rel)
            if hit and hit[0] == stat.st_size and hit[1] == stat.st_mtime_ns:
                files[rel] = hit
                continue
            if now - stat.st_mtime < SETTLE_SECONDS:
                settling += 1
                continue
            sha = sha256_bytes(path.read_bytes())
            after = path.stat()
        except FileNotFoundError:  # moved away while we looked (quarantined, renamed)
            continue
        if (after.st_size, after.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            settling += 1  # written to while we read it
            continue
        files[rel] = [stat.st_size, stat.st_mtime_ns, sha, False]
    return files, settling


@dg.sensor(
    name="inbox_sensor",
    job=load_job,
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests one load for the inbox files whose content (SHA-256) is not in the lake "
    "yet, once they have stopped changing; retries a batch whose run failed.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehousePaths):
    settings = warehouse.settings()
    inbox = settings.inbox
    if not inbox.is_dir():
        return dg.SkipReason(f"no inbox at {inbox}")
    instance = _instance(context)
    if _load_in_progress(instance):
        return dg.SkipReason("a load is queued or running; checking again next tick")

    files, settling = scan_inbox(inbox, _read_cursor(context.cursor))
    pending = {v[2] for v in files.values() if not v[3]}
    if pending:
        in_lake = pending & lake.loaded_document_ids(settings.lake)
        for v in files.values():
            if v[2] in in_lake:
                v[3] = True  # the lake is append-only: once loaded, always loaded
        pending -= in_lake
    cursor = _write_cursor(files)
    if not pending:
        reason = "no new content in the inbox"
        if settling:
            reason += f" ({settling} file(s) still being written)"
        return dg.SensorResult(skip_reason=reason, cursor=cursor)

    batch = batch_run_key(pending)
    attempts = _earlier_runs(instance, batch)
    if attempts >= MAX_ATTEMPTS:
        return dg.SensorResult(
            skip_reason=f"{len(pending)} new file(s) were not loaded by {attempts} runs (batch {batch}); "
            "see those runs, fix the cause, then re-drop the files or launch load_job",
            cursor=cursor,
        )
    by_hash: dict[str, str] = {}
    for rel, v in sorted(files.items()):
        if v[2] in pending:
            by_hash.setdefault(v[2], str(inbox / rel))
    paths = sorted(by_hash.values())
    context.log.info(
        "%d new file(s) in %s%s: %s",
        len(paths),
        inbox,
        f" (attempt {attempts + 1})" if attempts else "",
        ", ".join(Path(p).name for p in paths[:20]),
    )
    config = IngestConfig(paths=paths if len(paths) <= MAX_LISTED_FILES else None)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=batch if attempts == 0 else f"{batch}-attempt{attempts + 1}",
                run_config=dg.RunConfig(ops={RAW_DISCLOSURES.path[-1]: config}),
                tags={
                    "budget_warehouse/trigger": "inbox",
                    "budget_warehouse/new_files": str(len(paths)),
                    BATCH_TAG: batch,
                },
            )
        ],
        cursor=cursor,
    )
