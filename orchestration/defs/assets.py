"""Assets: the ingest batch (`raw_disclosures`) and the dbt models built on it.

`raw_disclosures` is the Parquet lake as the ingest library writes it; every dbt
source reads that lake, so the translator maps all dbt sources onto this one key and
the graph reads inbox → raw_disclosures → staging → core → marts.
"""

# No `from __future__ import annotations`: Dagster reads the Config and resource
# annotations of asset functions at definition time.
import os
import shutil
from pathlib import Path
from typing import Any, Mapping, Optional

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from pydantic import Field

from ingest import lake
from orchestration import labels, publish_pg
from ingest.pipeline import error_rules, ingest_inbox, quarantine_status, reparse_year, severity_counts

from orchestration.revisions import accept as accept_revision

from .project import dbt_project
from .resources import WarehousePaths

RAW_DISCLOSURES = dg.AssetKey("raw_disclosures")
DBT_OP = "warehouse_dbt"
# Both assets write (the lake, the warehouse): one step of either at a time in this Dagster
# instance (dagster.yaml: pools default_limit 1). Across processes the data folder's writer
# lock (ingest.lake.writer_lock) serialises them too, e.g. `make run` beside `make dev`.
WRITER_POOL = "budget_warehouse_writer"
# A load builds and tests the data; dbt's unit tests test the SQL on fixed inputs and cannot
# change with the data, so they run in `make test` (tests/test_dbt_unit_tests.py), not in
# every load (dbt's own advice; they were ~2 s of each build here, docs/benchmarks.md).
DBT_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


class IngestConfig(dg.Config):
    paths: Optional[list[str]] = Field(
        default=None,
        description="Files to load (the inbox sensor passes the new ones); default: the whole inbox. "
        "Files whose content is already in the lake are skipped either way.",
    )
    reparse_year: Optional[int] = Field(
        default=None,
        description="Rebuild a fiscal year: first re-parse every document of this year from "
        "originals/ (exact bytes) with the current parser and replace its rows in the lake. "
        "`budget-warehouse rebuild --year YEAR` sets this (with paths: [] so nothing new loads).",
    )
    accept_document_id: Optional[str] = Field(
        default=None,
        description="Accept a held revision first (marts.mart_pending_revisions): its SHA-256, or a unique "
        "prefix of at least 8 hex digits. The acceptance is recorded in lake/acceptances/ and the dbt build "
        "that follows makes the document current. `budget-warehouse accept DOCUMENT_ID` and the "
        "accept_revision job set this (with paths: [] so nothing new loads).",
    )
    accept_note: Optional[str] = Field(default=None, description="Why the held revision is accepted (kept with it).")
    accepted_by: Optional[str] = Field(
        default=None, description="Who accepts it (default: the user the run's process runs as)."
    )


@dg.asset(
    key=RAW_DISCLOSURES,
    group_name="ingest",
    kinds={"python", "parquet"},
    pool=WRITER_POOL,
    description="Disclosures from the inbox, parsed, validated and appended to the Parquet lake "
    "as one batch (unreadable files go to quarantine with a reason record).",
)
def raw_disclosures(
    context: dg.AssetExecutionContext, config: IngestConfig, warehouse: WarehousePaths
) -> dg.MaterializeResult:
    settings = warehouse.settings()
    paths = [Path(p) for p in config.paths] if config.paths is not None else None
    context.log.info(
        "ingesting %s from %s into %s",
        f"{len(paths)} file(s)" if paths is not None else "the inbox",
        settings.inbox,
        settings.lake,
    )
    accepted = None
    if config.accept_document_id is not None:
        try:
            accepted = accept_revision(
                settings, config.accept_document_id, config.accepted_by, config.accept_note, run_id=context.run.run_id
            )
        except ValueError as exc:
            raise dg.Failure(description=str(exc)) from exc
        context.log.info(accepted.summary())
    reparsed = None
    if config.reparse_year is not None:
        reparsed = reparse_year(settings, config.reparse_year)
        context.log.info(reparsed.summary())
    report = ingest_inbox(settings, paths)

    # The ingest library has logged every file (loaded, in groups of up to 100 lines with each
    # file's findings per severity and error rules; quarantined, one line each) through its
    # managed logger; here only the load's error findings counted by rule. Every finding is in the
    # lake, in the `validation_findings` check and in marts.fct_findings. (One Dagster event per
    # finding cost ~5 ms each in the SQLite event log: seconds for a prefecture year, see
    # docs/benchmarks.md.)
    errors_by_rule = report.error_findings_by_rule
    if errors_by_rule:
        context.log.warning(
            "error findings by rule: %s (per file: the `loaded` table in this materialization)",
            ", ".join(f"{rule} {n}" for rule, n in errors_by_rule.most_common()),
        )
    if report.skipped:
        context.log.info(
            "skipped %d file(s) whose content is already in the lake: %s",
            len(report.skipped),
            ", ".join(p.name for p in report.skipped[:20]) + (" …" if len(report.skipped) > 20 else ""),
        )
    context.log.info(report.summary())

    by_severity = report.findings_by_severity
    quarantine = quarantine_status(settings)
    open_quarantine = [q for q in quarantine if q["status"] == "open"]
    return dg.MaterializeResult(
        metadata={
            "batch_id": report.batch_id or "(nothing new)",
            "data_dir": dg.MetadataValue.path(str(settings.data_dir)),
            "files_loaded": len(report.loaded),
            "files_skipped": len(report.skipped),
            "files_quarantined": len(report.quarantined),
            "findings_error": by_severity.get("error", 0),
            "findings_warning": by_severity.get("warning", 0),
            "findings_info": by_severity.get("info", 0),
            "loaded": dg.MetadataValue.md(_loaded_table(report.loaded)) if report.loaded else "none",
            "quarantined": [f"{p.path.name}: {p.error}" for p in report.quarantined],
            **(
                {"reparsed_year": config.reparse_year, "reparsed_documents": len(reparsed.reparsed)}
                if reparsed is not None
                else {}
            ),
            **(
                {"accepted_document_id": accepted.document_id, "accepted": accepted.summary()}
                if accepted is not None
                else {}
            ),
            "quarantine_open": len(open_quarantine),
            "quarantine_resolved": len(quarantine) - len(open_quarantine),
            "quarantine": dg.MetadataValue.md(quarantine_table(quarantine)) if quarantine else "empty",
        }
    )


def quarantine_table(records: list[dict]) -> str:
    """Markdown list of quarantine records (asset metadata and the quarantine check)."""
    lines = ["| status | file | sha256 | reader | error | quarantined at |", "|---|---|---|---|---|---|"]
    for r in records:
        error = (r["error"] or "").replace("|", "\\|")
        lines.append(
            f"| {r['status']} | {r['file_name']} | {r['sha256'][:12]} | {r['reader']} | {error} "
            f"| {r['quarantined_at']:%Y-%m-%d %H:%M:%S} UTC |"
        )
    return "\n".join(lines)


def _loaded_table(loaded) -> str:
    lines = ["| file | unit | year | error | warning | info | error rules |", "|---|---|---|---|---|---|---|"]
    for p in loaded:
        c = severity_counts(p.findings)
        lines.append(
            f"| {p.path.name} | {p.disclosure.unit_name} | {p.disclosure.fiscal_year} "
            f"| {c['error']} | {c['warning']} | {c['info']} | {error_rules(p.findings)} |"
        )
    return "\n".join(lines)


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """dbt sources → `raw_disclosures`; models grouped by layer folder (staging/core/marts)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return RAW_DISCLOSURES
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> Optional[str]:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn") or []
        # fqn = [project, <layer folder>, ..., name]
        return fqn[1] if len(fqn) > 2 else "warehouse"


dbt_translator = WarehouseDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,  # dbt tests → asset checks
        enable_duplicate_source_asset_keys=True,  # all sources share raw_disclosures
        enable_source_tests_as_checks=True,  # lake tests (unique document_id, ...) check raw_disclosures
    )
)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    name=DBT_OP,
    pool=WRITER_POOL,
)
def warehouse_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehousePaths):
    """`dbt build` (seeds, models and their data tests, reported as asset checks) in one invocation,
    into a private file that is published as warehouse.duckdb only when the build succeeds."""
    settings = warehouse.settings()
    lake.ensure_acceptances(settings.lake)  # dbt's acceptances source globs it (a lake older than it has none)
    with lake.writer_lock(settings.data_dir), warehouse.build(start_from_published=context.is_subset) as build:
        with warehouse.dbt_env(build.path):
            context.log.info("dbt build → %s (published as %s when it succeeds)", build.path, build.target)
            invocation = dbt.cli(DBT_BUILD_ARGS, context=context)
        yield from invocation.stream()  # raises if the build failed: the old warehouse stays
        labels.apply_to_duckdb(build.path)  # 中文 labels: column comments and the bi_zh views
        build.publish()
        context.log.info("published %s", build.target)
        # and to PostgreSQL when BUDGET_WAREHOUSE_PG_DSN is set; a failure keeps the previous
        # publication there and fails the `pg_publication` check (never this build)
        publication = publish_pg.publish_if_configured(settings)
        if publication is not None:
            (context.log.info if publication.ok else context.log.error)(publication.line())
    target = Path(dbt_project.project_dir) / dbt_project.target_path
    _keep_partial_parse(invocation.target_path, target)
    _prune_target_dirs(target)


def _keep_partial_parse(invocation_target: Path, target: Path) -> None:
    """dagster-dbt seeds each invocation with `target/partial_parse.msgpack`. dbt re-parses the
    whole project when the profile it was written under differs (the warehouse path is part of
    it, and `dbt parse` at start-up ran without a build file), so keep the one this build wrote:
    the next load of the same data folder parses only what changed (~3 s less per load)."""
    fresh = Path(invocation_target) / "partial_parse.msgpack"
    if not fresh.exists():
        return
    tmp = target / f".partial_parse.{os.getpid()}.tmp"
    shutil.copyfile(fresh, tmp)
    os.replace(tmp, target / "partial_parse.msgpack")


KEEP_TARGET_DIRS = 10


def _prune_target_dirs(target: Path) -> None:
    """dagster-dbt gives each invocation its own target folder; keep only the latest few."""
    runs = sorted(
        (p for p in target.glob(f"{DBT_OP}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
    )
    for old in runs[:-KEEP_TARGET_DIRS]:
        shutil.rmtree(old, ignore_errors=True)
