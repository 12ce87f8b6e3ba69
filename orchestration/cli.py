"""`budget-warehouse`: run the whole load in-process and print what the warehouse holds.

    budget-warehouse run [--data-dir DIR] [--demo-truth DIR]
                                               # ingest the inbox, dbt build, publish, summary;
                                               # with --demo-truth, a last line compares the demo
                                               # set's findings with its injected defects, and its
                                               # execution marts with the generator's answer
    budget-warehouse rebuild [--year YEAR]     # rebuild the warehouse from the lake (nothing new
                                               # loads); --year first re-parses that year's
                                               # documents from originals/ with the current parser
    budget-warehouse summary [--data-dir DIR]  # summary of an existing warehouse only
    budget-warehouse report [--data-dir DIR]   # (re)write report.html from the warehouse
    budget-warehouse accept DOCUMENT_ID [--note TEXT] [--by NAME]
                                               # accept a held revision (marts.mart_pending_revisions)
                                               # and rebuild: it becomes current (nothing is re-parsed)
    budget-warehouse pending [--data-dir DIR]  # list the held revisions waiting for a decision

`run` and `rebuild` also write `$BUDGET_WAREHOUSE_DATA/report.html` (orchestration.report) and,
with BUDGET_WAREHOUSE_PG_DSN set, say how the PostgreSQL publication went (exit status 1 when
it failed: PostgreSQL then still serves the previous one).

Runs are recorded in $DAGSTER_HOME when it is set (so `make dev` shows them), else in
a throw-away instance.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import unicodedata
from contextlib import ExitStack, contextmanager, redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from ingest.settings import ENV_VAR, Settings

log = logging.getLogger("budget_warehouse.cli")
INGEST_LOGGER = "budget_warehouse.ingest"


@contextmanager
def _instance() -> Iterator["object"]:
    from dagster import DagsterInstance

    home = os.environ.get("DAGSTER_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
        config = Path(home) / "dagster.yaml"
        if not config.exists():  # same instance settings `make dev` installs
            shutil.copyfile(Path(__file__).with_name("dagster.yaml"), config)
        with DagsterInstance.get() as instance:
            yield instance
    else:
        with DagsterInstance.ephemeral() as instance:
            yield instance


def materialize_all(instance=None, log_level: str = "INFO", ingest_config: dict | None = None, tags=None):
    """Execute `load_job` (every asset and check) in this process; returns the result.

    dbt's own output goes to stderr with the logs, so stdout keeps only what `main` prints.
    """
    from orchestration.definitions import defs

    job = defs.resolve_job_def("load_job")
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if ingest_config:
        run_config["ops"] = {"raw_disclosures": {"config": ingest_config}}
    with ExitStack() as stack:
        if instance is None:
            instance = stack.enter_context(_instance())
        managed = instance.get_settings("python_logs").get("managed_python_loggers") or []
        if INGEST_LOGGER in managed:  # Dagster already echoes it; don't print it twice
            ingest_log = logging.getLogger(INGEST_LOGGER)
            stack.callback(setattr, ingest_log, "propagate", ingest_log.propagate)
            ingest_log.propagate = False
        stack.enter_context(redirect_stdout(sys.stderr))
        return job.execute_in_process(instance=instance, run_config=run_config, tags=tags, raise_on_error=False)


# ---- summary ------------------------------------------------------------------------

SUMMARY_SQL = """
with spending as (
    select fiscal_year, region_code, any_value(region_name) as region_name,
           sum(total_wan_yuan) as total, sum(basic_wan_yuan) as basic, sum(project_wan_yuan) as project
    from marts.mart_regional_spending group by 1, 2
),
three_public as (
    select fiscal_year, region_code, sum(total_wan_yuan) as three_public
    from marts.mart_three_public_trends group by 1, 2
),
quality as (
    select fiscal_year, region_code, count(distinct unit_id) as units,
           sum(error_count) as errors, sum(warning_count) as warnings, sum(info_count) as infos
    from marts.mart_disclosure_quality group by 1, 2
),
keys as (
    select fiscal_year, region_code from spending
    union select fiscal_year, region_code from three_public
    union select fiscal_year, region_code from quality
)
select k.fiscal_year, k.region_code, s.region_name, q.units,
       s.total, s.basic, s.project, t.three_public, q.errors, q.warnings, q.infos
from keys k
left join spending s on s.fiscal_year = k.fiscal_year and s.region_code is not distinct from k.region_code
left join three_public t on t.fiscal_year = k.fiscal_year and t.region_code is not distinct from k.region_code
left join quality q on q.fiscal_year = k.fiscal_year and q.region_code is not distinct from k.region_code
order by 1, 2
"""
SUMMARY_HEADERS = [
    "fiscal_year",
    "region",
    "name",
    "units",
    "total",
    "basic",
    "project",
    "三公",
    "error",
    "warning",
    "info",
]


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):  # exact, as published: 320.06, 66, 0.0001
        return f"{value.normalize():f}"
    return str(value)


def _table(headers: list[str], rows: list[tuple]) -> str:
    cells = [list(headers)] + [[_fmt(v) for v in r] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    # numbers right-aligned, text left-aligned
    numeric = [all(isinstance(r[i], (int, Decimal)) or r[i] is None for r in rows) for i in range(len(headers))]
    out = []
    for n, row in enumerate(cells):
        out.append("  ".join(_pad(v, w, right=num and n > 0) for v, w, num in zip(row, widths, numeric)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def summary_rows(settings: Settings) -> list[tuple]:
    """Per fiscal year × region: units, spending (total/basic/project), 三公, findings by severity."""
    import duckdb

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(SUMMARY_SQL).fetchall()


def summary(settings: Settings) -> str:
    if not settings.warehouse.exists():
        return f"no warehouse at {settings.warehouse}"
    import duckdb

    try:
        rows = summary_rows(settings)
    except duckdb.Error as exc:
        return f"warehouse {settings.warehouse}: marts not readable ({exc})"
    totals = [sum(r[i] or 0 for r in rows) for i in (8, 9, 10)]
    return "\n".join(
        [
            f"warehouse {settings.warehouse} — amounts in 万元, latest revision of each disclosure",
            _table(SUMMARY_HEADERS, rows) if rows else "(no disclosures loaded)",
            f"findings: {totals[0]} error, {totals[1]} warning, {totals[2]} info",
        ]
    )


# ---- held revisions ------------------------------------------------------------------


def _print_pending(settings: Settings) -> int:
    from orchestration.revisions import pending_revisions

    try:
        rows = pending_revisions(settings)
    except ValueError as exc:
        print(f"budget-warehouse pending: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print("no held revisions")
        return 0
    print(
        _table(
            ["document_id", "file", "unit", "year", "level", "part", "held because", "current"],
            [
                (
                    r["document_id"][:12],
                    r["source_file"],
                    r["unit_id"],
                    r["fiscal_year"],
                    r["budget_level"],
                    r["publication_part"],
                    r["hold_reason"],
                    r["current_tables_source_file"] or r["current_narrative_source_file"],
                )
                for r in rows
            ],
        )
    )
    print("accept one with: budget-warehouse accept DOCUMENT_ID")
    return 0


def _accept(settings: Settings, args) -> int:
    """Check the document can be accepted (before starting a run), then run load_job with the acceptance
    (recorded by the raw_disclosures step) and nothing new to load: the dbt build makes it current."""
    from orchestration.revisions import check

    if not args.document_id:
        print(
            "budget-warehouse accept: give the held document's id (budget-warehouse pending lists them)",
            file=sys.stderr,
        )
        return 2
    try:
        document_id, _ = check(settings, args.document_id)
    except ValueError as exc:
        print(f"budget-warehouse accept: {exc}", file=sys.stderr)
        return 2
    log.info("accepting %s and rebuilding %s", document_id, settings.data_dir)
    config = {"paths": [], "accept_document_id": document_id}
    if args.note:
        config["accept_note"] = args.note
    if args.by:
        config["accepted_by"] = args.by
    result = materialize_all(ingest_config=config, tags={"budget_warehouse/trigger": "accept"})
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        log.error("accept failed (steps: %s); see the log above", ", ".join(failed) or "?")
        return 1
    print(_revision_status(settings, document_id))
    print(summary(settings))
    return _report(settings)  # the report shows what the warehouse now serves


def _revision_status(settings: Settings, document_id: str) -> str:
    import duckdb

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        row = con.execute(
            "select source_file, revision_status from core.fct_document_history where document_id = ?", [document_id]
        ).fetchone()
    if row is None:
        return f"{document_id[:12]}: not in the warehouse"
    return f"accepted {document_id[:12]} ({row[0]}): {row[1]}"


# ---- entry point ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget-warehouse", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "rebuild", "summary", "report", "accept", "pending"])
    parser.add_argument(
        "document_id", nargs="?", help="accept: the held document's SHA-256 (or its first 8+ hex digits)"
    )
    parser.add_argument("--note", help="accept: why the held revision is accepted (kept with the acceptance)")
    parser.add_argument("--by", help="accept: who accepts it (default: your user name)")
    parser.add_argument("--data-dir", help=f"data folder (default ${ENV_VAR} or ./data)")
    parser.add_argument("--year", type=int, help="rebuild: re-parse this fiscal year's documents first")
    parser.add_argument(
        "--demo-truth", type=Path, help="run: ground truth of the synthetic demo set (make run: data/synthetic-truth)"
    )
    args = parser.parse_args(argv)

    # Our loggers (cli, ingest) to stderr; Dagster and dbt log through Dagster's console logger.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("budget_warehouse")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if args.data_dir:
        os.environ[ENV_VAR] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    settings = Settings.from_env()
    os.environ[ENV_VAR] = str(settings.data_dir)  # dbt and the run see one absolute path

    if args.command == "pending":
        return _print_pending(settings)
    if args.command == "accept":
        return _accept(settings, args)
    if args.command in ("run", "rebuild"):
        if args.command == "run":
            log.info("loading %s", settings.data_dir)
            result = materialize_all()
        else:
            log.info("rebuilding %s%s", settings.data_dir, f" (re-parsing {args.year})" if args.year else "")
            result = materialize_all(
                ingest_config={"paths": [], "reparse_year": args.year},
                tags={"budget_warehouse/trigger": "rebuild"},
            )
        if not result.success:
            failed = [e.step_key for e in result.all_events if e.is_step_failure]
            log.error("load failed (steps: %s); see the log above", ", ".join(failed) or "?")
            print(summary(settings))
            return 1
    if args.command == "report":
        return _report(settings)
    print(summary(settings))
    status = 0
    if args.command in ("run", "rebuild"):
        status = _report(settings)
        from orchestration.publish_pg import configured_dsn, read_status, status_path

        publication = read_status(status_path(settings.data_dir)) if configured_dsn() else None
        if publication is not None:
            print(publication.line())
            status = status or (0 if publication.ok else 1)
    if args.demo_truth is not None and settings.warehouse.exists():
        from generator.demo import check_demo

        print(check_demo(settings.warehouse, args.demo_truth, settings.inbox / "synthetic").line())
    return status


def _report(settings: Settings) -> int:
    if not settings.warehouse.exists():
        print(f"report: no warehouse at {settings.warehouse}")
        return 1
    from orchestration.report import REPORT_NAME, build_report

    print(build_report(settings.warehouse, settings.data_dir / REPORT_NAME).line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
