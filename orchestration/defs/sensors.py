"""`inbox_sensor`: start a load when files with new content land in the inbox.

Identity is the content hash (SHA-256), not the name: a renamed copy is not new, an
edited file is. The cursor is JSON:

    {"seen": [sha256, ...],                      # every content ever requested
     "files": {"rel/path": [size, mtime_ns, sha256]}}  # stat cache: unchanged files are not re-read

Each tick requests one run for all new files, with a run key derived from their hashes,
so a re-evaluated tick (or a restarted daemon) never launches the same batch twice.
"""

import hashlib
import json
import time
from pathlib import Path

import dagster as dg

from ingest.pipeline import inbox_files, sha256_bytes

from .assets import RAW_DISCLOSURES, IngestConfig
from .jobs import load_job
from .resources import WarehousePaths

# A file modified this recently may still be being copied in; pick it up next tick.
SETTLE_SECONDS = 5.0
# Above this many new files the run ingests the whole inbox instead of a listed set
# (ingest skips known content anyway), keeping run configs small.
MAX_LISTED_FILES = 500

ACTIVE_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _read_cursor(cursor: str | None) -> tuple[set[str], dict[str, list]]:
    if not cursor:
        return set(), {}
    state = json.loads(cursor)
    return set(state.get("seen", [])), dict(state.get("files", {}))


def _write_cursor(seen: set[str], files: dict[str, list]) -> str:
    return json.dumps({"seen": sorted(seen), "files": files}, sort_keys=True, separators=(",", ":"))


def batch_run_key(hashes: set[str] | list[str]) -> str:
    return "inbox-" + hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:32]


def _load_in_progress(context: dg.SensorEvaluationContext) -> bool:
    """DuckDB has one writer and ingest dedups at run start: don't overlap loads."""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:  # evaluated without an instance (unit tests)
        return False
    records = instance.get_run_records(
        filters=dg.RunsFilter(job_name=load_job.name, statuses=ACTIVE_STATUSES), limit=1
    )
    return bool(records)


@dg.sensor(
    name="inbox_sensor",
    job=load_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a load for inbox files whose content (SHA-256) was not seen before.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehousePaths):
    inbox = warehouse.settings().inbox
    if not inbox.is_dir():
        return dg.SkipReason(f"no inbox at {inbox}")
    if _load_in_progress(context):
        return dg.SkipReason("a load is already queued or running; checking again next tick")

    seen, cached = _read_cursor(context.cursor)
    files: dict[str, list] = {}
    new: dict[str, Path] = {}
    settling = 0
    now = time.time()
    for path in inbox_files(inbox):
        stat = path.stat()
        rel = path.relative_to(inbox).as_posix()
        hit = cached.get(rel)
        if hit and hit[0] == stat.st_size and hit[1] == stat.st_mtime_ns:
            sha = hit[2]
        elif now - stat.st_mtime < SETTLE_SECONDS:
            settling += 1
            continue
        else:
            sha = sha256_bytes(path.read_bytes())
        files[rel] = [stat.st_size, stat.st_mtime_ns, sha]
        if sha not in seen and sha not in new:
            new[sha] = path

    cursor = _write_cursor(seen | set(new), files)
    if not new:
        reason = "no new content in the inbox"
        if settling:
            reason += f" ({settling} file(s) still being written)"
        return dg.SensorResult(skip_reason=reason, cursor=cursor)

    paths = sorted(str(p) for p in new.values())
    context.log.info("%d new file(s) in %s: %s", len(paths), inbox, ", ".join(Path(p).name for p in paths[:20]))
    config = IngestConfig(paths=paths if len(paths) <= MAX_LISTED_FILES else None)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=batch_run_key(new),
                run_config=dg.RunConfig(ops={RAW_DISCLOSURES.path[-1]: config}),
                tags={"budget_warehouse/trigger": "inbox", "budget_warehouse/new_files": str(len(paths))},
            )
        ],
        cursor=cursor,
    )
