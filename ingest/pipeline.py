"""Load the inbox into the lake: hash, read, recognize, validate, write one batch.

Parsing runs in parallel processes; the lake batch is written once at the end.
A file that cannot be read at all, or goes over a per-file cap (size, pages, parse
seconds or memory: ingest/caps.py), goes to quarantine with a reason record; the
others in the same batch still load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from ingest import lake
from ingest.caps import CapExceeded, check_pages, check_size, run_limited
from ingest.disclosure import Disclosure, Finding
from ingest.model import PARSER_VERSION
from ingest.publications import pair_load, part_rules
from ingest.recognize.parts import NARRATIVE, TABLES, publication_part
from ingest.readers import UnreadableFileError, read_document, reader_for
from ingest.recognize import recognize
from ingest.settings import Caps, Settings
from ingest.validate import validate

log = logging.getLogger("budget_warehouse.ingest")

IGNORED_PREFIXES = (".", "~$")
# Files still being written by common copy tools; they are picked up once renamed.
IGNORED_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a file over the size cap is hashed, never held)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class ParsedFile:
    path: Path
    document_id: str
    size: int
    seconds: float
    disclosure: Disclosure | None = None
    reader: str | None = None
    encoding: str | None = None
    error: str | None = None
    # a narrative part paired with its tables part: the NR-* findings across the two (publications.py)
    cross_findings: list[Finding] = field(default_factory=list)
    cross_companion: str | None = None
    # a tables part paired with a narrative part loaded before: the findings recorded on that one
    cross_findings_elsewhere: list[Finding] = field(default_factory=list)
    # the file's mtime (UTC) when it was read: orders the revisions of one batch (int_document_revisions)
    modified_at: datetime | None = None

    @property
    def findings(self) -> list[Finding]:
        """This file's findings, those computed across its parts included."""
        return self.disclosure.findings + self.cross_findings + self.cross_findings_elsewhere


def parse_path(path: Path) -> ParsedFile:
    """Read + recognize + validate one file. Never raises for a bad file: the error is returned."""
    path = Path(path)
    started = time.perf_counter()
    modified_at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    data = path.read_bytes()
    doc_id = sha256_bytes(data)
    try:
        grid = read_document(path)
        disclosure = recognize(grid)
        validate(disclosure, rules=part_rules(disclosure))
    except UnreadableFileError as exc:
        return ParsedFile(
            path, doc_id, len(data), time.perf_counter() - started, error=exc.reason, modified_at=modified_at
        )
    return ParsedFile(
        path,
        doc_id,
        len(data),
        time.perf_counter() - started,
        disclosure=disclosure,
        reader=grid.reader,
        encoding=grid.encoding,
        modified_at=modified_at,
    )


def parse_capped(path: Path, caps: Caps) -> ParsedFile:
    """`parse_path` under the per-file caps (ingest/caps.py): a file over one comes back with the
    cap as its error (it is quarantined), never holding up or taking down the rest of its batch."""
    path = Path(path)
    started = time.perf_counter()
    try:
        check_size(path, caps)
        _warm_up(path)
        return run_limited(_parse_within_pages, path, caps, caps=caps)
    except CapExceeded as exc:
        return ParsedFile(path, sha256_file(path), path.stat().st_size, time.perf_counter() - started, error=exc.reason)


def _warm_up(path: Path) -> None:
    """What a reader sets up once per process (its module, pdfium's substitute font), done in this
    process before the fork: done in the parse process, it would be redone for every file."""
    try:
        reader = reader_for(path)
    except UnreadableFileError:
        return
    if reader.__module__ == "ingest.readers.pdf":
        from ingest.readers.pdfium_fonts import use_project_fonts

        use_project_fonts()


def _parse_within_pages(path: Path, caps: Caps) -> ParsedFile:
    check_pages(path, caps)
    return parse_path(path)


def inbox_files(inbox: Path) -> list[Path]:
    return sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file() and not p.name.startswith(IGNORED_PREFIXES) and not p.name.lower().endswith(IGNORED_SUFFIXES)
    )


def provenance_rows(parsed: ParsedFile, batch_id: str, loaded_at: datetime) -> dict[str, list[dict]]:
    """All raw rows of one parsed file with the provenance columns filled in."""
    d = parsed.disclosure
    assert d is not None
    prov = {
        "document_id": parsed.document_id,
        "source_file": parsed.path.name,
        "unit_name": d.unit_name,
        "fiscal_year": d.fiscal_year,
        "parser_version": PARSER_VERSION,
        "loaded_at": loaded_at,
        "batch_id": batch_id,
    }
    out: dict[str, list[dict]] = {}
    for table, rows in d.rows.items():
        out[table] = [{**prov, **r} for r in rows]
    doc_row = out["raw_documents"][0]
    doc_row.update(
        reader=parsed.reader, encoding=parsed.encoding, file_size_bytes=parsed.size, file_modified_at=parsed.modified_at
    )
    out["raw_findings"] = [{**prov, "finding_no": i, **f.as_row()} for i, f in enumerate(d.findings, start=1)] + [
        {**prov, "finding_no": i, **f.as_row(), "companion_document_id": parsed.cross_companion}
        for i, f in enumerate(parsed.cross_findings, start=len(d.findings) + 1)
    ]
    return out


@dataclass
class IngestReport:
    """What one load did. `loaded` keeps each file's disclosure with its names and findings;
    its rows went to the lake batch as the file was parsed and are not kept (`rows` is empty)."""

    batch_id: str | None = None
    loaded: list[ParsedFile] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # identical content already in the lake
    quarantined: list[ParsedFile] = field(default_factory=list)

    @property
    def findings_by_severity(self) -> dict[str, int]:
        return severity_counts(f for p in self.loaded for f in p.findings)

    @property
    def error_findings_by_rule(self) -> Counter[str]:
        return error_rule_counts(f for p in self.loaded for f in p.findings)

    def summary(self) -> str:
        f = self.findings_by_severity
        return (
            f"batch {self.batch_id or '-'}: loaded {len(self.loaded)}, skipped {len(self.skipped)} "
            f"(already loaded), quarantined {len(self.quarantined)}; findings: "
            f"{f['error']} error, {f['warning']} warning, {f['info']} info"
        )


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts


def error_rule_counts(findings: Iterable[Finding]) -> Counter[str]:
    """Error findings per rule id, in the order the rules first fired."""
    return Counter(f.rule_id for f in findings if f.severity == "error")


def error_rules(findings: Iterable[Finding]) -> str:
    """The rule ids of a document's error findings, for a log line: "SUM-ROWS ×2, XT-TOTALS"."""
    return ", ".join(rule if n == 1 else f"{rule} ×{n}" for rule, n in error_rule_counts(findings).items())


def quarantine(settings: Settings, parsed: ParsedFile) -> Path:
    """Move an unreadable file out of the inbox, with a reason record beside it (JSON, for
    people) and in the lake (`lake/quarantine/<sha256>.parquet`, for dbt's `quarantined_files`)."""
    settings.quarantine.mkdir(parents=True, exist_ok=True)
    target = settings.quarantine / f"{parsed.document_id[:12]}-{parsed.path.name}"
    now = datetime.now(timezone.utc)
    record = {
        "file": parsed.path.name,
        "sha256": parsed.document_id,
        "reader": parsed.reader or parsed.path.suffix.lower().lstrip("."),
        "error": parsed.error,
        "quarantined_at": now.isoformat(),
    }
    # The records first, the move last: a load killed in between leaves the file in the inbox and
    # the next load quarantines it again (same records, overwritten), so none is lost unrecorded.
    target.with_name(target.name + ".reason.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    lake.write_quarantine_record(
        settings.quarantine_records,
        {
            "sha256": parsed.document_id,
            "file_name": parsed.path.name,
            "reader": record["reader"],
            "error": parsed.error,
            "quarantined_at": now,
            "quarantine_path": str(target),
        },
    )
    shutil.move(str(parsed.path), target)
    return target


def quarantine_status(settings: Settings) -> list[dict]:
    """Every quarantine record, newest first, with `status` 'open' or 'resolved'.

    A record is resolved once a file of the same name was loaded after it was quarantined
    (the fixed file re-dropped); dbt's `marts.mart_quarantined_files` applies the same rule.
    """
    records = lake.read_quarantine_records(settings.quarantine_records).to_pylist()
    loaded: dict[str, datetime] = {}
    docs = lake.read_table(settings.lake, "raw_documents").select(["source_file", "loaded_at"])
    for row in docs.to_pylist():
        at = row["loaded_at"]
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        if row["source_file"] not in loaded or at > loaded[row["source_file"]]:
            loaded[row["source_file"]] = at
    for r in records:
        fixed = loaded.get(r["file_name"])
        r["status"] = "resolved" if fixed is not None and fixed >= r["quarantined_at"] else "open"
    return sorted(records, key=lambda r: r["quarantined_at"], reverse=True)


def keep_original(settings: Settings, parsed: ParsedFile) -> None:
    target = settings.originals / parsed.document_id
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(parsed.path, tmp)
        os.replace(tmp, target)


def iter_parsed(paths: list[Path], workers: int | None = None, caps: Caps | None = None) -> Iterator[ParsedFile]:
    """Parse files over all cores (a process pool), yielding results in input order as they
    come, so the caller can write each one away before the next arrives. Each file is parsed
    under `caps` (default: Caps(), i.e. the environment's)."""
    workers = workers or os.cpu_count() or 1
    parse = partial(parse_capped, caps=caps or Caps())
    if len(paths) < 2 or workers < 2:
        for i, p in enumerate(paths, start=1):
            parsed = parse(p)
            log.debug("parsed %d/%d %s", i, len(paths), p.name)
            yield parsed
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, parsed in enumerate(pool.map(parse, paths, chunksize=4), start=1):
            log.debug("parsed %d/%d %s", i, len(paths), parsed.path.name)
            yield parsed


def ingest_inbox(settings: Settings, paths: list[Path] | None = None) -> IngestReport:
    """Load new files (default: everything in the inbox) into one new lake batch.

    Holds the data folder's writer lock, so two loads never both take the same new file."""
    settings.ensure()
    with lake.writer_lock(settings.data_dir):
        return _ingest(settings, paths)


def _ingest(settings: Settings, paths: list[Path] | None) -> IngestReport:
    lake.clear_leftovers(settings.lake)  # of a load killed half-way: its batch never counted
    lake.ensure_quarantine_records(settings.quarantine_records)
    lake.ensure_acceptances(settings.lake)
    candidates = inbox_files(settings.inbox) if paths is None else [Path(p) for p in paths]
    known = lake.loaded_document_ids(settings.lake)
    report = IngestReport()
    todo: list[Path] = []
    seen: set[str] = set()
    for p in candidates:
        if not p.exists():  # moved away (e.g. quarantined by an earlier load) since it was listed
            log.warning("%s is gone; skipped", p)
            continue
        h = sha256_file(p)
        if h in known or h in seen:
            report.skipped.append(p)
        else:
            seen.add(h)
            todo.append(p)
    log.info(
        "inbox %s: %d files, %d new, %d already loaded", settings.inbox, len(candidates), len(todo), len(report.skipped)
    )
    if not todo:
        _ensure_some_batch(settings)
        return report

    loaded_at = datetime.now(timezone.utc)
    batch_id = lake.new_batch_id(loaded_at)
    progress = _LoadLog(len(todo))
    parts: list[ParsedFile] = []  # parts of split publications: written once they are paired
    with lake.BatchWriter(settings.lake, batch_id) as batch:

        def write(parsed: ParsedFile) -> None:
            batch.add(provenance_rows(parsed, batch_id, loaded_at))
            progress.loaded(parsed)
            # The rows are in the batch now (buffered or written): keep only what the report
            # needs (names, findings), so a large load does not hold every document's rows.
            parsed.disclosure.rows = {}
            report.loaded.append(parsed)

        for parsed in iter_parsed(todo, caps=settings.caps):
            if parsed.error is not None:
                where = quarantine(settings, parsed)
                log.error("QUARANTINED %s: %s (moved to %s)", parsed.path, parsed.error, where)
                report.quarantined.append(parsed)
                progress.done += 1
                continue
            keep_original(settings, parsed)
            if publication_part(parsed.disclosure) in (NARRATIVE, TABLES):
                parts.append(parsed)
                continue
            write(parsed)
        if parts:
            batch.add(_pair(settings, parts, batch_id, loaded_at))
            for parsed in parts:
                write(parsed)
        progress.flush()
        if report.loaded:
            batch.publish()
            report.batch_id = batch_id
    _ensure_some_batch(settings)
    log.info(report.summary())
    return report


def _pair(
    settings: Settings, parts: list[ParsedFile], batch_id: str, loaded_at: datetime, exclude: set[str] = frozenset()
) -> dict[str, list[dict]]:
    """Pair the parts of split publications in this load (publications.py); returns the rows it adds
    for parts already in the lake. A pairing that fails leaves the parts unpaired, loaded as they are."""
    try:
        pairing = pair_load(parts, settings.lake, batch_id, loaded_at, exclude)
    except Exception:  # a bad pairing never blocks the files: they load unpaired
        log.exception("pairing the parts of split publications failed; %d parts load unpaired", len(parts))
        return {}
    for n, t in pairing.pairs:
        log.info("split publication: %s (narrative) + %s (tables) are one disclosure", n.source_file, t.source_file)
    return pairing.extra_rows


class _LoadLog:
    """One log line per loaded file, what it held and what was found, sent in groups: a message
    every `FILES` files or `SECONDS` seconds, headed by the progress ("loaded 100/300 files").
    Under Dagster every log message is a row in its event log (a few ms each), so 10,000 single
    lines cost more than the parsing they report."""

    FILES = 100
    SECONDS = 10.0

    def __init__(self, total: int):
        self.total = total
        self.done = 0
        self.lines: list[str] = []
        self.last = time.monotonic()

    def loaded(self, parsed: ParsedFile) -> None:
        d = parsed.disclosure
        counts = severity_counts(parsed.findings)
        rules = error_rules(parsed.findings)
        self.lines.append(
            f"{parsed.path.name} ({d.unit_name} {d.fiscal_year}, {parsed.reader} reader, {parsed.seconds:.3f}s): "
            f"{sum(len(v) for v in d.rows.values())} facts; findings: {counts['error']} error"
            f"{f' ({rules})' if rules else ''}, {counts['warning']} warning, {counts['info']} info"
        )
        self.done += 1
        if len(self.lines) >= self.FILES or time.monotonic() - self.last >= self.SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            log.info("loaded %d/%d files:\n  %s", self.done, self.total, "\n  ".join(self.lines))
            self.lines = []
        self.last = time.monotonic()


def _ensure_some_batch(settings: Settings) -> None:
    """dbt's sources glob `batch=*/<table>.parquet` (union_by_name): before the first disclosure
    loads (an empty inbox, or only quarantined files) write one empty batch so the warehouse still
    builds; and after an upgrade that added raw columns, while the newest batch predates them, write
    one empty batch with the current columns, so the older batches read them as empty (NULL)."""
    batches = lake.batches(settings.lake)
    missing = lake.missing_columns(batches[-1]) if batches else {}
    if not batches or missing:
        path = lake.write_batch(settings.lake, lake.new_batch_id(), {})
        if missing:
            log.info(
                "lake %s predates columns %s: wrote the empty batch %s with the current columns "
                "(older batches read them as empty)",
                settings.lake,
                ", ".join(f"{t}.{c}" for t, cols in missing.items() for c in cols),
                path.name,
            )


@dataclass
class ReparseReport:
    year: int
    reparsed: list[ParsedFile] = field(default_factory=list)
    unreadable: list[ParsedFile] = field(default_factory=list)  # kept as they were
    missing_originals: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"fiscal year {self.year}: re-parsed {len(self.reparsed)} document(s) from originals/, "
            f"{len(self.unreadable)} now unreadable (kept as loaded), "
            f"{len(self.missing_originals)} without an original"
        )


def reparse_year(settings: Settings, year: int) -> ReparseReport:
    """Re-read every document of one fiscal year from `originals/<sha256>` (its exact bytes)
    with the current readers, recognizers and rules, and replace its rows in the lake.

    Identity does not change: same document_id, batch and loaded_at, so revisions keep their
    order; only what the parser made of the bytes (and parser_version) is new."""
    settings.ensure()
    report = ReparseReport(year=year)
    with lake.writer_lock(settings.data_dir):
        documents = lake.read_table(settings.lake, "raw_documents")
        docs = [
            d
            for d in documents.select(
                [
                    c
                    for c in ("document_id", "source_file", "fiscal_year", "batch_id", "loaded_at", "file_modified_at")
                    if c in documents.column_names
                ]
            ).to_pylist()
            if d["fiscal_year"] == year
        ]
        rows_by_batch: dict[str, dict[str, list[dict]]] = {}
        placed: list[tuple[ParsedFile, dict]] = []
        with tempfile.TemporaryDirectory(prefix="reparse-") as tmp:
            for i, d in enumerate(docs):
                original = settings.originals / d["document_id"]
                if not original.exists():
                    report.missing_originals.append(d["document_id"])
                    continue
                # readers dispatch on the file name (suffix): give the bytes their name back
                named = Path(tmp) / str(i) / d["source_file"]
                named.parent.mkdir()
                shutil.copyfile(original, named)
                parsed = parse_capped(named, settings.caps)
                if parsed.error is not None or parsed.document_id != d["document_id"]:
                    report.unreadable.append(parsed)
                    log.warning("re-parse of %s (%s) failed: %s", d["source_file"], d["document_id"][:12], parsed.error)
                    continue
                parsed.modified_at = d.get("file_modified_at")  # the loaded file's, not the copy's
                report.reparsed.append(parsed)
                placed.append((parsed, d))
            # Split publications: re-pair the parts (their cross-part findings are recomputed on the
            # narrative part, in its own batch; the old ones, wherever they were written, go).
            parts = [p for p, _ in placed if publication_part(p.disclosure) in (NARRATIVE, TABLES)]
            drop: dict[str, set[str]] = {}
            if parts:
                ids = {p.document_id for p, _ in placed}
                _pair(settings, parts, None, None, exclude=ids)
                narratives = {p.document_id for p in parts if publication_part(p.disclosure) == NARRATIVE}
                for r in lake.read_rows(settings.lake, "raw_findings", narratives):
                    if r.get("companion_document_id"):
                        drop.setdefault(r["batch_id"], set()).add(r["document_id"])
            for parsed, d in placed:
                batch_rows = rows_by_batch.setdefault(d["batch_id"], {})
                for table, table_rows in provenance_rows(parsed, d["batch_id"], d["loaded_at"]).items():
                    batch_rows.setdefault(table, []).extend(table_rows)
            lake.replace_documents(settings.lake, rows_by_batch, drop)
    log.info(report.summary())
    return report
