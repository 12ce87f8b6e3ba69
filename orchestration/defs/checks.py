"""Asset checks on the lake. (dbt tests arrive as checks through dagster-dbt.)

Validation findings are facts about what a unit published, not pipeline failures:
the check warns (never errors) when any disclosure has error-severity findings.
"""

from collections import Counter, defaultdict

import dagster as dg

from ingest import lake

from .assets import RAW_DISCLOSURES
from .resources import WarehousePaths

SEVERITIES = ("error", "warning", "info")


@dg.asset_check(
    asset=RAW_DISCLOSURES,
    name="validation_findings",
    description="Validation findings of every disclosure in the lake, by rule and severity. "
    "Warns when any finding has severity error.",
)
def validation_findings(warehouse: WarehousePaths) -> dg.AssetCheckResult:
    settings = warehouse.settings()
    findings = lake.read_table(settings.lake, "raw_findings").select(["document_id", "rule_id", "severity"]).to_pylist()
    documents = lake.read_table(settings.lake, "raw_documents").num_rows

    by_severity = Counter(f["severity"] for f in findings)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        by_rule[f["rule_id"]][f["severity"]] += 1
    docs_with_errors = len({f["document_id"] for f in findings if f["severity"] == "error"})

    rule_table = ["| rule | error | warning | info |", "|---|---|---|---|"]
    for rule in sorted(by_rule):
        c = by_rule[rule]
        rule_table.append(f"| {rule} | {c['error']} | {c['warning']} | {c['info']} |")

    return dg.AssetCheckResult(
        passed=by_severity["error"] == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{documents} documents: "
            + ", ".join(f"{by_severity[s]} {s}" for s in SEVERITIES)
            + (f"; {docs_with_errors} documents with errors" if docs_with_errors else "")
        ),
        metadata={
            "documents": documents,
            "documents_with_errors": docs_with_errors,
            **{f"findings_{s}": by_severity[s] for s in SEVERITIES},
            "findings_by_rule": dg.MetadataValue.json({rule: dict(c) for rule, c in sorted(by_rule.items())}),
            "findings_by_rule_table": dg.MetadataValue.md("\n".join(rule_table)),
        },
    )


@dg.asset_check(
    asset=RAW_DISCLOSURES,
    name="quarantine",
    description="Files that could not be read at all and sit in quarantine/. Warns while any is "
    "open; a record is resolved when a file of the same name loads later (fixed and re-dropped). "
    "The same list is the table marts.mart_quarantined_files.",
)
def quarantine_check(warehouse: WarehousePaths) -> dg.AssetCheckResult:
    from ingest.pipeline import quarantine_status

    from .assets import quarantine_table

    records = quarantine_status(warehouse.settings())
    open_records = [r for r in records if r["status"] == "open"]
    return dg.AssetCheckResult(
        passed=not open_records,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(open_records)} file(s) in quarantine: "
            + ", ".join(f"{r['file_name']} ({r['error']})" for r in open_records[:5])
            if open_records
            else f"nothing in quarantine ({len(records)} resolved)"
        ),
        metadata={
            "open": len(open_records),
            "resolved": len(records) - len(open_records),
            "files": dg.MetadataValue.md(quarantine_table(records)) if records else "empty",
        },
    )


# The marts as PostgreSQL serves them (BUDGET_WAREHOUSE_PG_DSN): published after every successful
# build by the dbt asset; the check sits on one mart of that build.
PG_PUBLICATION_ASSET = dg.AssetKey(["marts", "mart_regional_spending"])


@dg.asset_check(
    asset=PG_PUBLICATION_ASSET,
    name="pg_publication",
    description="With BUDGET_WAREHOUSE_PG_DSN set, every successful build publishes the marts (and the "
    "bi_zh views) to PostgreSQL in one swap. Fails when the last publication failed (PostgreSQL still "
    "serves the previous one), when warehouse.duckdb is newer than the publication, or when "
    "PostgreSQL's publication id or row counts differ from it. Passes, saying so, when not configured.",
)
def pg_publication(warehouse: WarehousePaths) -> dg.AssetCheckResult:
    from orchestration.publish_pg import check_publication

    passed, description, metadata = check_publication(warehouse.settings())
    return dg.AssetCheckResult(passed=passed, description=description, metadata=metadata)
