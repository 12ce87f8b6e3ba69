"""Publish the marts of a DuckDB warehouse to PostgreSQL, all at once (BUDGET_WAREHOUSE_PG_DSN).

When the variable is set, every successful build is also published to that database:

1. **Build** (one transaction, invisible to readers): schemas `marts__new` and `bi_zh__new`;
   every table of DuckDB's `marts` with the same columns and types (DECIMAL(p,s) → NUMERIC(p,s),
   exact: values travel as Decimal text through COPY, never float); the 中文 labels of the mart
   contract as comments (orchestration.labels); the `bi_zh` views over it; USAGE and SELECT — only
   those — granted to the BI role (BUDGET_WAREHOUSE_PG_BI_ROLE, default `budget_bi`, created
   NOLOGIN when missing). A failure here rolls back: nothing changed.
2. **Swap** (one short transaction): lock every relation of `marts` and `bi_zh` (ACCESS EXCLUSIVE,
   waiting at most `SWAP_LOCK_TIMEOUT_MS` for running BI queries, then retried, so a BI query is
   never chosen as a deadlock victim), rename `marts` → `marts__old`, `marts__new` → `marts` (same
   for `bi_zh`), drop the old schemas. A query that started before sees the old marts to its end;
   one that starts during the swap waits for the commit and then sees the new ones: old or new,
   never a mix and never nothing.

The publication id and time are the comment of schema `marts`, and the outcome is written to
`$BUDGET_WAREHOUSE_DATA/.pg_publication.json`, which the Dagster asset check `pg_publication`
compares with the database. A failed publication leaves the previous one in place.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Optional

from ingest.settings import PG_DSN_VAR
from ingest.settings import Publication as PublicationSettings

from .labels import (
    MARTS_SCHEMA,
    ZH_SCHEMA,
    MartLabels,
    comment_statements,
    mart_labels,
    quote_ident,
    quote_literal,
    zh_view_sql,
)

log = logging.getLogger("budget_warehouse.publish_pg")

DSN_VAR = PG_DSN_VAR  # the knobs live in ingest.settings
STATUS_FILE = ".pg_publication.json"
NEW_SUFFIX, OLD_SUFFIX = "__new", "__old"
SWAP_LOCK_TIMEOUT_MS = 500  # well under PostgreSQL's deadlock_timeout (1 s): the swap gives way first
SWAP_ATTEMPTS = 60
ADVISORY_LOCK_KEY = 0x42574831  # one publisher at a time per database ("BWH1")
COPY_BATCH_ROWS = 10_000

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "DOUBLE": "double precision",
    "FLOAT": "real",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL type of a DuckDB column type; DECIMAL(p,s) → numeric(p,s) (exact)."""
    t = duckdb_type.strip().upper()
    m = _DECIMAL.fullmatch(t)
    if m:
        return f"numeric({m.group(1)},{m.group(2)})"
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type!r}")


def configured_dsn() -> Optional[str]:
    return PublicationSettings().pg_dsn


def bi_role() -> str:
    return PublicationSettings().pg_bi_role


@dataclass
class Publication:
    ok: bool
    publication_id: str
    started_at: str
    finished_at: str = ""
    source: str = ""
    source_stat: dict = field(default_factory=dict)  # size, mtime_ns, inode of the published DuckDB file
    tables: dict = field(default_factory=dict)  # mart → rows
    bi_role: str = ""
    swap_attempts: int = 0
    error: str = ""

    def line(self) -> str:
        if self.ok:
            rows = sum(self.tables.values())
            return (
                f"PostgreSQL: published {len(self.tables)} marts ({rows} rows) and bi_zh views, "
                f"publication {self.publication_id}; SELECT granted to {self.bi_role}"
            )
        return f"PostgreSQL: publication FAILED, the previous one stays in place: {self.error}"


def file_identity(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


# ---- reading the DuckDB marts ---------------------------------------------------------


def duckdb_marts(con) -> dict[str, list[tuple[str, str]]]:
    """mart → [(column, DuckDB type)] for every table and view of schema marts, in column order."""
    rows = con.execute(
        """select table_name, column_name, data_type from information_schema.columns
           where table_schema = ? and table_catalog = current_database()
           order by table_name, ordinal_position""",
        [MARTS_SCHEMA],
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


# ---- publishing ----------------------------------------------------------------------


def publish(
    duckdb_path: Path,
    dsn: str,
    role: Optional[str] = None,
    labels: Optional[Mapping[str, MartLabels]] = None,
    status_path: Optional[Path] = None,
) -> Publication:
    """Publish the marts of `duckdb_path` to `dsn`. Never raises for a database error: the result
    says ok or not (and is written to `status_path` when given); the previous publication stays
    in place when it fails."""
    pub = Publication(
        ok=False,
        publication_id=uuid.uuid4().hex[:12],
        started_at=_now(),
        source=str(duckdb_path),
        bi_role=role or bi_role(),
    )
    try:
        pub.source_stat = file_identity(duckdb_path)
        labels = mart_labels() if labels is None else labels
        _publish(duckdb_path, dsn, pub, labels)
        pub.ok = True
    except Exception as exc:  # a failed publication is reported (asset check), not a failed build
        pub.error = f"{type(exc).__name__}: {exc}".strip()
        log.error("PostgreSQL publication failed, previous publication kept: %s", pub.error)
    pub.finished_at = _now()
    if status_path is not None:
        write_status(status_path, pub)
    if pub.ok:
        log.info(pub.line())
    return pub


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _publish(duckdb_path: Path, dsn: str, pub: Publication, labels: Mapping[str, MartLabels]) -> None:
    import duckdb
    import psycopg

    new_marts, new_zh = MARTS_SCHEMA + NEW_SUFFIX, ZH_SCHEMA + NEW_SUFFIX
    with (
        duckdb.connect(str(duckdb_path), read_only=True) as src,
        psycopg.connect(dsn, autocommit=True, connect_timeout=10, application_name="budget-warehouse publish") as pg,
    ):
        marts = duckdb_marts(src)
        if not marts:
            raise ValueError(f"{duckdb_path}: no schema {MARTS_SCHEMA!r} to publish")
        columns_of = {t: [c for c, _ in cols] for t, cols in marts.items()}
        pg.execute("select pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        try:
            _ensure_role(pg, pub.bi_role)
            # 1. build, invisible to readers; a failure rolls all of it back
            with pg.transaction():
                for schema in (new_zh, new_marts):
                    pg.execute(f"drop schema if exists {quote_ident(schema)} cascade")  # a crashed run's
                    pg.execute(f"create schema {quote_ident(schema)}")
                for table, cols in marts.items():
                    ddl = ", ".join(f"{quote_ident(c)} {pg_type(t)}" for c, t in cols)
                    pg.execute(f"create table {quote_ident(new_marts)}.{quote_ident(table)} ({ddl})")
                    pub.tables[table] = _copy_rows(src, pg, table, [c for c, _ in cols], new_marts)
                for sql in comment_statements(labels, columns_of, schema=new_marts):
                    pg.execute(sql)
                for table, cols in columns_of.items():
                    pg.execute(zh_view_sql(labels, table, cols, source_schema=new_marts, view_schema=new_zh))
                    if labels.get(table) and labels[table].label:
                        pg.execute(
                            f"comment on view {quote_ident(new_zh)}.{quote_ident(table)} is "
                            f"{quote_literal(labels[table].label)}"
                        )
                for schema in (new_marts, new_zh):
                    pg.execute(f"grant usage on schema {quote_ident(schema)} to {quote_ident(pub.bi_role)}")
                    pg.execute(
                        f"grant select on all tables in schema {quote_ident(schema)} to {quote_ident(pub.bi_role)}"
                    )
                pg.execute(f"comment on schema {quote_ident(new_marts)} is {quote_literal(publication_comment(pub))}")
            # 2. swap, all or nothing
            pub.swap_attempts = _swap(pg)
        finally:
            if not pg.closed and not pg.broken:
                pg.execute("select pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def _copy_rows(src, pg, table: str, columns: list[str], schema: str) -> int:
    select = ", ".join(quote_ident(c) for c in columns)
    cur = src.execute(f"select {select} from {quote_ident(MARTS_SCHEMA)}.{quote_ident(table)}")
    n = 0
    with pg.cursor().copy(f"copy {quote_ident(schema)}.{quote_ident(table)} ({select}) from stdin") as copy:
        while True:
            rows = cur.fetchmany(COPY_BATCH_ROWS)
            if not rows:
                break
            for row in rows:
                copy.write_row(row)
            n += len(rows)
    return n


def _ensure_role(pg, role: str) -> None:
    if pg.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone():
        return
    try:
        pg.execute(f"create role {quote_ident(role)} nologin")
    except Exception as exc:
        raise RuntimeError(
            f"the BI role {role!r} does not exist and this user cannot create it ({exc}); "
            f"as an administrator: CREATE ROLE {role} NOLOGIN"
        ) from exc


def _relations(pg, schema: str) -> list[tuple[str, str]]:
    return pg.execute(
        """select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = %s and c.relkind in ('r', 'v', 'm', 'p', 'f') order by c.relname""",
        [schema],
    ).fetchall()


def _swap(pg) -> int:
    """Rename the new schemas into place in one transaction; returns the attempts it took."""
    import psycopg

    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with pg.transaction():
                # views first: a BI query locks a view before its tables
                live = (
                    [(ZH_SCHEMA, r) for r, kind in _relations(pg, ZH_SCHEMA) if kind == "v"]
                    + [(MARTS_SCHEMA, r) for r, kind in _relations(pg, MARTS_SCHEMA)]
                    + [(ZH_SCHEMA, r) for r, kind in _relations(pg, ZH_SCHEMA) if kind != "v"]
                )
                if live:
                    pg.execute(f"set local lock_timeout = {SWAP_LOCK_TIMEOUT_MS}")
                    # the whole LOCK statement, not each lock: every BI query that waits behind it
                    # started waiting after it began, so it gives way before any BI deadlock check
                    pg.execute(f"set local statement_timeout = {SWAP_LOCK_TIMEOUT_MS}")
                    pg.execute(
                        "lock table "
                        + ", ".join(f"{quote_ident(s)}.{quote_ident(r)}" for s, r in live)
                        + " in access exclusive mode"
                    )
                    pg.execute("set local statement_timeout = 0")
                for schema in (ZH_SCHEMA, MARTS_SCHEMA):
                    old = schema + OLD_SUFFIX
                    pg.execute(f"drop schema if exists {quote_ident(old)} cascade")
                    if _schema_exists(pg, schema):
                        pg.execute(f"alter schema {quote_ident(schema)} rename to {quote_ident(old)}")
                    pg.execute(f"alter schema {quote_ident(schema + NEW_SUFFIX)} rename to {quote_ident(schema)}")
                for schema in (ZH_SCHEMA, MARTS_SCHEMA):
                    pg.execute(f"drop schema if exists {quote_ident(schema + OLD_SUFFIX)} cascade")
            return attempt
        except (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled):
            log.info("swap: BI queries hold the marts, retrying (attempt %d)", attempt)
            time.sleep(0.05 * attempt)
    raise TimeoutError(f"could not lock the live marts for the swap in {SWAP_ATTEMPTS} attempts")


def _schema_exists(pg, schema: str) -> bool:
    return pg.execute("select 1 from pg_namespace where nspname = %s", [schema]).fetchone() is not None


def publication_comment(pub: Publication) -> str:
    return f"budget-warehouse publication {pub.publication_id} started {pub.started_at}"


# ---- status, and what the database holds ---------------------------------------------


def write_status(path: Path, pub: Publication) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(pub), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_status(path: Path) -> Optional[Publication]:
    if not path.exists():
        return None
    return Publication(**json.loads(path.read_text(encoding="utf-8")))


def published_state(dsn: str) -> dict:
    """What PostgreSQL serves now: the publication id (schema comment) and rows per mart."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as pg:
        row = pg.execute(
            "select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = %s", [MARTS_SCHEMA]
        ).fetchone()
        if row is None:
            return {"publication_id": None, "tables": {}}
        m = re.match(r"budget-warehouse publication (\w+)", row[0] or "")
        names = [name for name, kind in _relations(pg, MARTS_SCHEMA) if kind == "r"]
        counts = []
        if names:  # one statement: one snapshot for every count
            counts = pg.execute(
                "select "
                + ", ".join(f"(select count(*) from {quote_ident(MARTS_SCHEMA)}.{quote_ident(n)})" for n in names)
            ).fetchone()
        return {"publication_id": m.group(1) if m else None, "tables": dict(zip(names, counts))}


def status_path(data_dir: Path) -> Path:
    return Path(data_dir) / STATUS_FILE


def publish_if_configured(settings) -> Optional[Publication]:
    """After warehouse.duckdb is published: publish it to PostgreSQL when BUDGET_WAREHOUSE_PG_DSN
    is set (None otherwise). Never raises; see `publish`."""
    dsn = configured_dsn()
    if dsn is None:
        return None
    return publish(settings.warehouse, dsn, status_path=status_path(settings.data_dir))


def check_publication(settings) -> tuple[bool, str, dict]:
    """(passed, description, metadata) of the Dagster asset check `pg_publication`: the last
    publication succeeded, it is of the warehouse.duckdb published now, and PostgreSQL serves it
    (its id and its row count per mart)."""
    dsn = configured_dsn()
    if dsn is None:
        return True, f"{DSN_VAR} is not set: the marts are served from DuckDB only", {"configured": False}
    status = read_status(status_path(settings.data_dir))
    if status is None:
        return False, f"{DSN_VAR} is set but nothing was published yet", {"configured": True}
    meta = {
        "configured": True,
        "publication_id": status.publication_id,
        "finished_at": status.finished_at,
        "tables": len(status.tables),
        "rows": sum(status.tables.values()),
        "bi_role": status.bi_role,
        "swap_attempts": status.swap_attempts,
    }
    if not status.ok:
        return False, f"publication {status.publication_id} failed (the previous one is served): {status.error}", meta
    if not settings.warehouse.exists() or file_identity(settings.warehouse) != status.source_stat:
        return (
            False,
            (
                "warehouse.duckdb is not the file last published to PostgreSQL "
                f"(publication {status.publication_id}): a later build was not published"
            ),
            meta,
        )
    try:
        state = published_state(dsn)
    except Exception as exc:
        return False, f"cannot read the published marts: {type(exc).__name__}: {exc}", meta
    if state["publication_id"] != status.publication_id:
        return (
            False,
            (f"PostgreSQL serves publication {state['publication_id']}, not the last one ({status.publication_id})"),
            meta,
        )
    if state["tables"] != status.tables:
        differ = sorted(set(state["tables"].items()) ^ set(status.tables.items()))
        return False, f"PostgreSQL's marts differ from the publication: {differ[:6]}", meta
    return (
        True,
        (
            f"publication {status.publication_id}: {len(status.tables)} marts, "
            f"{sum(status.tables.values())} rows, served by PostgreSQL"
        ),
        meta,
    )
