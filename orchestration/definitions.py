"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets import raw_disclosures, warehouse_dbt
from orchestration.defs.checks import pg_publication, quarantine_check, validation_findings
from orchestration.defs.jobs import accept_revision_job, load_job
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import annual_load
from orchestration.defs.sensors import inbox_sensor

defs = dg.Definitions(
    assets=[raw_disclosures, warehouse_dbt],
    asset_checks=[validation_findings, quarantine_check, pg_publication],
    jobs=[load_job, accept_revision_job],
    sensors=[inbox_sensor],
    schedules=[annual_load],
    resources=build_resources(),
    # Steps run one after the other anyway (ingest → checks → dbt, one writer); in-process
    # saves starting a Python process per step (seconds each on a small machine). dbt itself
    # and the ingest's parser pool still use every core.
    executor=dg.in_process_executor,
)
