-- Every validation finding: schema violations and reconciliation rules.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_findings') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id,
        cast(finding_no as integer) as finding_no,
        cast(rule_id as varchar) as rule_id,
        cast(severity as varchar) as severity,
        cast(table_ref as varchar) as table_ref,
        cast(location as varchar) as location,
        cast(expected as decimal(20,6)) as expected,
        cast(actual as decimal(20,6)) as actual,
        cast(difference as decimal(20,6)) as difference,
        cast(message as varchar) as message
    from source
),

final as (
    select
        renamed.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.is_latest
    from renamed
    left join {{ ref('int_document_revisions') }} as revisions
        on renamed.document_id = revisions.document_id
)

select * from final
