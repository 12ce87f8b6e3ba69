-- Grain: one row per loaded document (every revision of every unit × fiscal year × disclosure
-- kind, the superseded ones too): the re-publication history. document_id is the SHA-256 of the
-- file's bytes ($BUDGET_WAREHOUSE_DATA/originals/<document_id> holds them); superseded_by_document_id
-- is the next revision of the same unit-year-kind-level-part (null for the latest of its level; a 单位
-- budget beside the body's 部门 budget is not superseded by it, only not counted: is_latest false; the
-- narrative part and the tables part of a split publication are one disclosure, neither supersedes
-- the other: disclosure_key is the same, companion_document_id links them).
with revisions as (
    select * from {{ ref('int_document_revisions') }}
),

successors as (
    select
        document_id,
        coalesce(
            lead(document_id) over (
                partition by unit_id, fiscal_year, disclosure_kind, budget_level, publication_part order by revision
            ),
            -- no later document of its own part: a later one of the other kind took its role (a whole
            -- replaced by a split pair, or a part by a whole)
            case
                when is_latest_of_level then null
                when publication_part = 'narrative' then narrative_document_id
                else tables_document_id
            end
        ) as superseded_by_document_id
    from revisions
),

final as (
    select
        revisions.document_id,
        revisions.document_id as sha256,
        revisions.unit_id,
        revisions.is_registered_unit,
        revisions.printed_unit_name,
        revisions.fiscal_year,
        revisions.disclosure_kind,
        revisions.budget_level,
        revisions.publication_part,
        revisions.disclosure_key,
        revisions.companion_document_id,
        revisions.publication_note,
        revisions.revision,
        revisions.revision_count,
        revisions.is_latest_of_level,
        revisions.is_latest,
        revisions.is_latest_tables,
        revisions.is_latest_narrative,
        successors.superseded_by_document_id,
        successor.loaded_at as superseded_at,
        revisions.source_file,
        revisions.reader,
        revisions.encoding,
        revisions.file_size_bytes,
        revisions.tables_found,
        revisions.parser_version,
        revisions.loaded_at,
        revisions.batch_id
    from revisions
    inner join successors
        on revisions.document_id = successors.document_id
    left join revisions as successor
        on successors.superseded_by_document_id = successor.document_id
)

select * from final
