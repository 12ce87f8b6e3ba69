"""The Parquet lake: append-only load batches, each published atomically.

Layout: `lake/batch=<batch_id>/<raw_table>.parquet`, one file per raw table per
load batch (so 10,000 disclosures loaded together are 13 files, not 130,000).
A batch is written into a hidden temporary folder and renamed into place in one
step: readers see the whole batch or none of it. Nothing is ever overwritten;
a re-published disclosure arrives in a later batch and dbt picks the latest
revision per unit-year.
"""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.model import RAW_TABLES


def new_batch_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:8]


class BatchWriter:
    """One load batch written as documents arrive, published atomically by `publish()`.

    Rows are buffered per raw table and written as Parquet row groups once a table holds
    `flush_rows` rows, so a 10,000-document load never holds all its rows in memory; the batch
    is still one file per raw table. Until `publish()` the files sit in a hidden temporary
    folder that readers do not see; `abort()` (or leaving the `with` block by an exception)
    removes it."""

    def __init__(self, lake: Path, batch_id: str, flush_rows: int = 50_000):
        self.lake = lake
        self.batch_id = batch_id
        self.flush_rows = flush_rows
        self.final = lake / f"batch={batch_id}"
        if self.final.exists():
            raise FileExistsError(self.final)
        lake.mkdir(parents=True, exist_ok=True)
        self.tmp = lake / f".tmp-batch={batch_id}"
        self.tmp.mkdir()
        self._buffers: dict[str, list[dict]] = {name: [] for name in RAW_TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.rows_written: dict[str, int] = {name: 0 for name in RAW_TABLES}

    def add(self, rows_by_table: dict[str, list[dict]]) -> None:
        unknown = set(rows_by_table) - set(RAW_TABLES)
        if unknown:
            raise ValueError(f"unknown raw tables: {sorted(unknown)}")
        for name, rows in rows_by_table.items():
            buffer = self._buffers[name]
            buffer.extend(rows)
            if len(buffer) >= self.flush_rows:
                self._flush(name)

    def _flush(self, name: str) -> None:
        schema = RAW_TABLES[name].arrow_schema()
        writer = self._writers.get(name)
        if writer is None:
            writer = self._writers[name] = pq.ParquetWriter(self.tmp / f"{name}.parquet", schema, compression="zstd")
        rows = self._buffers[name]
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        self.rows_written[name] += len(rows)
        self._buffers[name] = []

    def publish(self) -> Path:
        """Write what is buffered (every raw table gets a file, empty ones too, so each glob
        always matches), mark the batch complete and rename it into place."""
        for name in RAW_TABLES:
            if self._buffers[name] or name not in self._writers:
                self._flush(name)
            self._writers.pop(name).close()
        with open(self.tmp / "_SUCCESS", "w") as fh:
            fh.write(self.batch_id)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(self.tmp, self.final)
        return self.final

    def abort(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "BatchWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or not self.final.exists():
            self.abort()


def write_batch(lake: Path, batch_id: str, rows_by_table: dict[str, list[dict]]) -> Path:
    """Write every raw table (empty ones too, so each glob always matches) and publish atomically."""
    with BatchWriter(lake, batch_id) as writer:
        writer.add(rows_by_table)
        return writer.publish()


def batches(lake: Path) -> list[Path]:
    return sorted(p for p in lake.glob("batch=*") if (p / "_SUCCESS").exists())


def missing_columns(batch: Path) -> dict[str, list[str]]:
    """Per raw table, the current columns (ingest/model.py) that this batch's file lacks (it was
    written before they were added); a table whose file is missing lacks them all."""
    out: dict[str, list[str]] = {}
    for name, spec in RAW_TABLES.items():
        path = batch / f"{name}.parquet"
        have = set(pq.read_schema(path).names) if path.exists() else set()
        lacking = [c for c in spec.arrow_schema().names if c not in have]
        if lacking:
            out[name] = lacking
    return out


def loaded_document_ids(lake: Path) -> set[str]:
    """Hashes of every document already in the lake (identical re-drops are skipped)."""
    ids: set[str] = set()
    for batch in batches(lake):
        table = pq.read_table(batch / "raw_documents.parquet", columns=["document_id"])
        ids.update(table.column("document_id").to_pylist())
    return ids


def read_table(lake: Path, name: str) -> pa.Table:
    """All batches of one raw table (for tests and the CLI; dbt reads the files itself)."""
    spec = RAW_TABLES[name]
    parts = [pq.read_table(b / f"{name}.parquet") for b in batches(lake) if (b / f"{name}.parquet").exists()]
    if not parts:
        return spec.arrow_schema().empty_table()
    # by name, as dbt reads them: a batch written before a column was added reads it as null
    return pa.concat_tables(parts, promote_options="default")


def read_rows(lake: Path, name: str, document_ids: set[str]) -> list[dict]:
    """The rows of one raw table that belong to the given documents, from every batch (pairing a
    part with one loaded before reads its rows back; a batch written before a column was added
    reads it as missing, i.e. None)."""
    if not document_ids:
        return []
    ids = sorted(document_ids)
    out: list[dict] = []
    for b in batches(lake):
        path = b / f"{name}.parquet"
        if path.exists():
            out += pq.read_table(path, filters=[("document_id", "in", ids)]).to_pylist()
    return out


# ---- quarantine records -------------------------------------------------------------
# One Parquet file per quarantined content, `lake/quarantine/<sha256>.parquet`, so dbt can list
# the quarantine (source `lake.quarantine`) without the ingest touching the shared raw-table
# model. `_empty.parquet` (no rows) keeps the glob matching before anything is quarantined.

QUARANTINE_SCHEMA = pa.schema(
    [
        ("sha256", pa.string()),
        ("file_name", pa.string()),
        ("reader", pa.string()),
        ("error", pa.string()),
        ("quarantined_at", pa.timestamp("us", tz="UTC")),
        ("quarantine_path", pa.string()),
    ]
)
EMPTY_QUARANTINE = "_empty.parquet"


def _write_atomic(table: pa.Table, target: Path) -> None:
    # the temporary name must match no reader's glob (`*.parquet`, which takes hidden files too): a
    # writer killed half-way would leave a truncated file that dbt and quarantine_status then read
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{target.name}.part")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def ensure_quarantine_records(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / EMPTY_QUARANTINE).exists():
        _write_atomic(QUARANTINE_SCHEMA.empty_table(), folder / EMPTY_QUARANTINE)


def write_quarantine_record(folder: Path, record: dict) -> Path:
    """Record (or re-record) one quarantined content; a re-drop of the same bytes overwrites it."""
    ensure_quarantine_records(folder)
    target = folder / f"{record['sha256']}.parquet"
    _write_atomic(pa.Table.from_pylist([record], schema=QUARANTINE_SCHEMA), target)
    return target


def read_quarantine_records(folder: Path) -> pa.Table:
    parts = [pq.read_table(p, schema=QUARANTINE_SCHEMA) for p in sorted(folder.glob("*.parquet"))]
    parts = [t for t in parts if t.num_rows]
    return pa.concat_tables(parts) if parts else QUARANTINE_SCHEMA.empty_table()


# ---- revision acceptances --------------------------------------------------------------
# An operator's decision that a held revision (marts.mart_pending_revisions: it would lose tables,
# narrative facts or 三公/asset figures the current revision has, or adds error findings) replaces
# the current one after all. One Parquet file per accepted document, `lake/acceptances/<sha256>.parquet`,
# never rewritten (a second acceptance of the same document keeps the first), read by dbt as the source
# `acceptances.revision_acceptances`; `_empty.parquet` (no rows) keeps the glob matching before any.
# Revoking one = deleting its file and rebuilding.

ACCEPTANCES = "acceptances"
ACCEPTANCE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("accepted_at", pa.timestamp("us", tz="UTC")),
        ("accepted_by", pa.string()),
        ("note", pa.string()),
        ("run_id", pa.string()),
    ]
)
EMPTY_ACCEPTANCES = "_empty.parquet"


def acceptances_folder(lake: Path) -> Path:
    return lake / ACCEPTANCES


def ensure_acceptances(lake: Path) -> None:
    folder = acceptances_folder(lake)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / EMPTY_ACCEPTANCES).exists():
        _write_atomic(ACCEPTANCE_SCHEMA.empty_table(), folder / EMPTY_ACCEPTANCES)


def read_acceptances(lake: Path) -> pa.Table:
    folder = acceptances_folder(lake)
    parts = [pq.read_table(p, schema=ACCEPTANCE_SCHEMA) for p in sorted(folder.glob("*.parquet"))]
    parts = [t for t in parts if t.num_rows]
    return pa.concat_tables(parts) if parts else ACCEPTANCE_SCHEMA.empty_table()


def record_acceptance(
    lake: Path,
    document_id: str,
    accepted_by: str | None,
    note: str | None = None,
    run_id: str | None = None,
    now: datetime | None = None,
) -> tuple[dict, bool]:
    """Record that `document_id` (a full SHA-256 in the lake) is accepted; returns (the record, whether it
    is new). An existing acceptance is kept as it is. Call it under `writer_lock`."""
    ensure_acceptances(lake)
    target = acceptances_folder(lake) / f"{document_id}.parquet"
    if target.exists():
        return pq.read_table(target, schema=ACCEPTANCE_SCHEMA).to_pylist()[0], False
    record = {
        "document_id": document_id,
        "accepted_at": now or datetime.now(timezone.utc),
        "accepted_by": accepted_by,
        "note": note,
        "run_id": run_id,
    }
    _write_atomic(pa.Table.from_pylist([record], schema=ACCEPTANCE_SCHEMA), target)
    return record, True


def resolve_document_id(lake: Path, ref: str) -> str:
    """The loaded document a full SHA-256 or a unique prefix of at least 8 hex digits names (as the
    marts print it); ValueError naming the reason otherwise."""
    import re

    ref = (ref or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", ref):
        raise ValueError(f"{ref!r} is not a document id (the file's SHA-256, or at least its first 8 hex digits)")
    ids = sorted(i for i in loaded_document_ids(lake) if i.startswith(ref))
    if not ids:
        raise ValueError(f"no loaded document has the id {ref} (lake {lake})")
    if len(ids) > 1:
        raise ValueError(
            f"{ref} is the start of {len(ids)} document ids ({', '.join(i[:16] for i in ids)}): give more digits"
        )
    return ids[0]


# ---- one writer ---------------------------------------------------------------------


@contextmanager
def writer_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Exclusive advisory lock on `<data>/.writer.lock`: one process at a time appends to the lake
    or builds and publishes the warehouse, whatever started it (the Dagster daemon, `make run`,
    a developer's shell). Released by the kernel if the holder dies."""
    import fcntl
    import time

    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".writer.lock", "a+") as fh:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"another process holds {data_dir / '.writer.lock'}")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ---- re-parsing documents in place (rebuild of a year) --------------------------------


def _recover_rewrites(lake: Path) -> None:
    """A crash between the two renames of `replace_documents` leaves `.old-batch=<id>` without
    `batch=<id>`: put it back (the rewrite is simply lost; run it again)."""
    for old in lake.glob(".old-batch=*"):
        final = lake / old.name[len(".old-") :]
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, final)


def clear_leftovers(lake: Path) -> list[Path]:
    """Remove what a writer killed half-way left (call it under `writer_lock`): unpublished batch
    folders (`.tmp-batch=*`, never read: `batches()` lists only published ones), half-written
    quarantine records, and a batch rewrite caught between its renames (`_recover_rewrites`).
    Returns what it removed."""
    if not lake.exists():
        return []
    _recover_rewrites(lake)
    removed = sorted(lake.glob(".tmp-batch=*"))
    for tmp in removed:
        shutil.rmtree(tmp, ignore_errors=True)
    # a quarantine record's half-written file (`_write_atomic`; older names ended in .parquet)
    for tmp in sorted((lake / "quarantine").glob(".tmp-*")):
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def replace_documents(
    lake: Path, rows_by_batch: dict[str, dict[str, list[dict]]], drop: dict[str, set[str]] | None = None
) -> list[Path]:
    """Rewrite batches so the given documents' rows are replaced by new ones (same document_id,
    batch_id and loaded_at: only the parse changes). `rows_by_batch[batch_id][table]` holds
    every row of the re-parsed documents of that batch; their old rows in every table go, and so
    do the rows of any document the new rows of that batch name (a narrative part's findings
    computed with a tables part loaded later live in the tables part's batch) or `drop` lists.

    Call it under `writer_lock`: each batch is swapped with two renames, and only the writer
    (which also runs dbt) could observe the moment between them.
    """
    import pyarrow.compute as pc

    _recover_rewrites(lake)
    done = []
    drop = drop or {}
    for batch_id in sorted(set(rows_by_batch) | set(drop)):
        rows = rows_by_batch.get(batch_id, {})
        final = lake / f"batch={batch_id}"
        ids = {r["document_id"] for table_rows in rows.values() for r in table_rows} | drop.get(batch_id, set())
        tmp = lake / f".tmp-batch={batch_id}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            for name, spec in RAW_TABLES.items():
                schema = spec.arrow_schema()
                path = final / f"{name}.parquet"
                # a batch written before this raw table existed (raw_rejected_rows) has no file for it
                kept = pq.read_table(path, schema=schema) if path.exists() else schema.empty_table()
                kept = kept.filter(pc.invert(pc.is_in(kept["document_id"], pa.array(sorted(ids), pa.string()))))
                new = pa.Table.from_pylist(rows.get(name, []), schema=schema)
                pq.write_table(pa.concat_tables([kept, new]), tmp / f"{name}.parquet", compression="zstd")
            with open(tmp / "_SUCCESS", "w") as fh:
                fh.write(batch_id)
                fh.flush()
                os.fsync(fh.fileno())
            old = lake / f".old-batch={batch_id}"
            os.replace(final, old)
            os.replace(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        done.append(final)
    return done
