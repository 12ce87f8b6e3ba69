"""The one job: load the inbox and rebuild the warehouse (every asset and check)."""
from __future__ import annotations

import dagster as dg

load_job = dg.define_asset_job(
    name="load_job",
    selection=dg.AssetSelection.all(),
    description="Ingest new disclosures from the inbox into the lake, then `dbt build` the warehouse.",
)
