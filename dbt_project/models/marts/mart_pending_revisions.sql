-- Grain: one row per held revision waiting for a decision: a document the revision policy did not let
-- replace the disclosure's current document (int_document_revisions: it would lose tables, narrative
-- facts or 三公/asset figures the current one has, or add error findings), and that nothing has
-- superseded since. `budget-warehouse accept <document_id>` (or the accept_revision job in the Dagster
-- UI) records the acceptance; the rebuild that follows makes it current and removes it from here.
with revisions as (
    select * from {{ ref('int_document_revisions') }}
),

units as (
    select unit_id, unit_name from {{ ref('dim_unit') }}
),

final as (
    select
        cast(held.document_id as varchar) as document_id,
        cast(held.source_file as varchar) as source_file,
        cast(held.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(held.printed_unit_name as varchar) as printed_unit_name,
        cast(held.fiscal_year as integer) as fiscal_year,
        cast(held.disclosure_kind as varchar) as disclosure_kind,
        cast(held.budget_level as varchar) as budget_level,
        cast(held.publication_part as varchar) as publication_part,
        cast(held.revision as integer) as revision,
        cast(held.signed_date as date) as signed_date,
        cast(held.file_modified_at as timestamptz) as file_modified_at,
        cast(held.loaded_at as timestamptz) as loaded_at,
        cast(held.batch_id as varchar) as batch_id,
        cast(held.hold_reason as varchar) as hold_reason,
        cast(held.lost_tables as varchar) as lost_tables,
        cast(held.lost_narrative_facts as integer) as lost_narrative_facts,
        cast(held.lost_three_public_figures as integer) as lost_three_public_figures,
        cast(held.lost_asset_figures as integer) as lost_asset_figures,
        cast(held.added_error_findings as varchar) as added_error_findings,
        -- the disclosure's current documents, which it was compared with
        cast(held.tables_document_id as varchar) as current_tables_document_id,
        cast(tables_doc.source_file as varchar) as current_tables_source_file,
        cast(held.narrative_document_id as varchar) as current_narrative_document_id,
        cast(narrative_doc.source_file as varchar) as current_narrative_source_file,
        cast('budget-warehouse accept ' || held.document_id as varchar) as accept_command
    from revisions as held
    left join units
        on held.unit_id = units.unit_id
    left join revisions as tables_doc
        on held.tables_document_id = tables_doc.document_id
    left join revisions as narrative_doc
        on held.narrative_document_id = narrative_doc.document_id
    where held.is_pending
)

select * from final
