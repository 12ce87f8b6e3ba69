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
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.model import RAW_TABLES


def new_batch_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:8]


def write_batch(lake: Path, batch_id: str, rows_by_table: dict[str, list[dict]]) -> Path:
    """Write every raw table (empty ones too, so each glob always matches) and publish atomically."""
    unknown = set(rows_by_table) - set(RAW_TABLES)
    if unknown:
        raise ValueError(f"unknown raw tables: {sorted(unknown)}")
    lake.mkdir(parents=True, exist_ok=True)
    tmp = lake / f".tmp-batch={batch_id}"
    final = lake / f"batch={batch_id}"
    if final.exists():
        raise FileExistsError(final)
    tmp.mkdir()
    try:
        for name, spec in RAW_TABLES.items():
            schema = spec.arrow_schema()
            rows = rows_by_table.get(name, [])
            table = pa.Table.from_pylist(rows, schema=schema)
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
        with open(tmp / "_SUCCESS", "w") as fh:
            fh.write(batch_id)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def batches(lake: Path) -> list[Path]:
    return sorted(p for p in lake.glob("batch=*") if (p / "_SUCCESS").exists())


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
    parts = [pq.read_table(b / f"{name}.parquet") for b in batches(lake)]
    if not parts:
        return spec.arrow_schema().empty_table()
    return pa.concat_tables(parts)
