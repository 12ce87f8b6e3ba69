"""The jobs: load the inbox and rebuild the warehouse (every asset and check); accept a held revision
and rebuild."""

from __future__ import annotations

import dagster as dg

load_job = dg.define_asset_job(
    name="load_job",
    selection=dg.AssetSelection.all(),
    description="Ingest new disclosures from the inbox into the lake, then `dbt build` the warehouse.",
)


def _accept_config(config: dict) -> dict:
    ingest = {"paths": [], "accept_document_id": config["document_id"]}
    for key, field in (("note", "accept_note"), ("accepted_by", "accepted_by")):
        if config.get(key):
            ingest[field] = config[key]
    return {"ops": {"raw_disclosures": {"config": ingest}}}


accept_revision_job = dg.define_asset_job(
    name="accept_revision",
    selection=dg.AssetSelection.all(),
    description="Accept a held revision (marts.mart_pending_revisions: a document that would lose tables, "
    "narrative facts or 三公/asset figures, or adds error findings, and so did not replace the current one), "
    "then `dbt build`: it becomes current. Nothing new is loaded. Same as `budget-warehouse accept DOCUMENT_ID`.",
    config=dg.ConfigMapping(
        config_fn=_accept_config,
        config_schema={
            "document_id": dg.Field(
                str,
                description="the held document's SHA-256 (or its first 8+ hex digits), "
                "as marts.mart_pending_revisions lists it",
            ),
            "note": dg.Field(str, is_required=False, description="why it is accepted"),
            "accepted_by": dg.Field(str, is_required=False, description="who accepts it"),
        },
    ),
)
