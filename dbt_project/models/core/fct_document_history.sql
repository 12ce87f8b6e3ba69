-- Grain: one row per loaded document (every revision of every unit × fiscal year × disclosure
-- kind, the superseded ones too): the re-publication history. document_id is the SHA-256 of the
-- file's bytes ($BUDGET_WAREHOUSE_DATA/originals/<document_id> holds them); superseded_by_document_id
-- is the next revision of the same unit-year-kind-level (null for the latest of its level; a 单位
-- budget beside the body's 部门 budget is not superseded by it, only not counted: is_latest false).
with revisions as (
    select * from {{ ref('int_document_revisions') }}
),

final as (
    select
        document_id,
        document_id as sha256,
        unit_id,
        is_registered_unit,
        printed_unit_name,
        fiscal_year,
        disclosure_kind,
        budget_level,
        revision,
        revision_count,
        is_latest_of_level,
        is_latest,
        lead(document_id) over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level order by revision
        ) as superseded_by_document_id,
        lead(loaded_at) over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level order by revision
        ) as superseded_at,
        source_file,
        reader,
        encoding,
        file_size_bytes,
        tables_found,
        parser_version,
        loaded_at,
        batch_id
    from revisions
)

select * from final
