-- Grain: one row per loaded document (every revision of every unit × fiscal year × disclosure
-- kind, the superseded and the held ones too): the re-publication history. document_id is the SHA-256
-- of the file's bytes ($BUDGET_WAREHOUSE_DATA/originals/<document_id> holds them).
-- revision_status: 'current' (the disclosure's tables or narrative come from it; a 单位 budget beside
-- the body's 部门 budget is current of its level, only not counted: is_latest false), 'pending' (held
-- by the revision policy: it would lose tables, narrative facts or 三公/asset figures, or add error
-- findings, against the current document; marts.mart_pending_revisions), 'superseded' (a later
-- document took over its role: superseded_by_document_id; a held document that a later one superseded
-- stays is_held). The narrative part and the tables part of a split publication are one disclosure,
-- neither supersedes the other: disclosure_key is the same, companion_document_id links them.
-- See int_document_revisions for the order and the policy.
with revisions as (
    select * from {{ ref('int_document_revisions') }}
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
        case
            when revisions.is_latest_of_level then 'current'
            when revisions.is_pending then 'pending'
            else 'superseded'
        end as revision_status,
        revisions.is_held,
        revisions.is_accepted,
        revisions.accepted_at,
        revisions.hold_reason,
        revisions.superseded_by_document_id,
        successor.loaded_at as superseded_at,
        revisions.signed_date,
        revisions.source_file,
        revisions.file_modified_at,
        revisions.reader,
        revisions.encoding,
        revisions.file_size_bytes,
        revisions.tables_found,
        revisions.parser_version,
        revisions.loaded_at,
        revisions.batch_id
    from revisions
    left join revisions as successor
        on revisions.superseded_by_document_id = successor.document_id
)

select * from final
