"""Accepting a held revision: an operator's decision that a document the revision policy held
(marts.mart_pending_revisions: it would lose tables, narrative facts or 三公/asset figures the current
document has, or adds error findings) replaces the current one after all.

The decision is recorded in the lake (`lake/acceptances/<sha256>.parquet`, ingest.lake) and read by
dbt, so the rebuild that follows makes the document current, and every later rebuild keeps it so;
nothing is re-parsed. `budget-warehouse accept DOCUMENT_ID` and the `accept_revision` job (Dagster UI)
both run `accept` in the `raw_disclosures` step, then the dbt build.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass

from ingest import lake
from ingest.settings import Settings

log = logging.getLogger("budget_warehouse.revisions")

PENDING_SQL = """
select document_id, source_file, unit_id, fiscal_year, budget_level, publication_part, hold_reason,
       current_tables_source_file, current_narrative_source_file
from marts.mart_pending_revisions
order by unit_id, fiscal_year, document_id
"""


@dataclass
class Acceptance:
    document_id: str
    record: dict
    new: bool  # False: it had been accepted before (the earlier record is kept)
    pending: dict | None  # its row in marts.mart_pending_revisions when it was accepted

    def summary(self) -> str:
        what = self.pending["source_file"] if self.pending else "an earlier acceptance"
        if not self.new:
            return (
                f"{self.document_id[:12]} was already accepted at {self.record['accepted_at']:%Y-%m-%d %H:%M:%S} UTC"
                f" by {self.record['accepted_by'] or '?'}; the rebuild keeps it current"
            )
        return (
            f"accepted {self.document_id[:12]} ({what}), held because it "
            f"{self.pending['hold_reason'] if self.pending else '?'}; the rebuild makes it current"
        )


def pending_revisions(settings: Settings) -> list[dict]:
    """The held revisions waiting for a decision, as the published warehouse lists them."""
    import duckdb

    if not settings.warehouse.exists():
        raise ValueError(f"no warehouse at {settings.warehouse} yet: load the inbox first (budget-warehouse run)")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        try:
            cur = con.execute(PENDING_SQL)
        except duckdb.CatalogException as exc:
            raise ValueError(
                f"{settings.warehouse} has no marts.mart_pending_revisions (built before held revisions "
                f"were kept): rebuild it first (budget-warehouse rebuild)"
            ) from exc
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def check(settings: Settings, ref: str) -> tuple[str, dict | None]:
    """The document `ref` names (a SHA-256 or a unique prefix of at least 8 hex digits) and its pending
    row; ValueError saying why it cannot be accepted: unknown, ambiguous, or not held (and never accepted)."""
    document_id = lake.resolve_document_id(settings.lake, ref)
    if (lake.acceptances_folder(settings.lake) / f"{document_id}.parquet").exists():
        return document_id, None
    pending = {r["document_id"]: r for r in pending_revisions(settings)}
    if document_id not in pending:
        listed = (
            "; ".join(
                f"{r['document_id'][:12]} {r['source_file']} ({r['unit_id']} {r['fiscal_year']})"
                for r in pending.values()
            )
            or "none"
        )
        raise ValueError(
            f"{document_id[:12]} is not a held revision: nothing to accept (it is current, or a later "
            f"document superseded it; see core.fct_document_history). Pending: {listed}"
        )
    return document_id, pending[document_id]


def accept(
    settings: Settings, ref: str, accepted_by: str | None = None, note: str | None = None, run_id: str | None = None
) -> Acceptance:
    """Record the acceptance of a held revision (the next dbt build makes it current)."""
    document_id, pending = check(settings, ref)
    if accepted_by is None:
        try:
            accepted_by = getpass.getuser()
        except Exception:  # no user name in this environment (a container without passwd entry)
            accepted_by = None
    with lake.writer_lock(settings.data_dir):
        record, new = lake.record_acceptance(settings.lake, document_id, accepted_by, note, run_id)
    done = Acceptance(document_id, record, new, pending)
    log.info(done.summary())
    return done
