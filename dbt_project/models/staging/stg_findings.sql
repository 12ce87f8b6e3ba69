-- Every validation finding: schema violations and reconciliation rules.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_findings') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(finding_no as integer) as finding_no,
        cast(rule_id as varchar) as rule_id,
        cast(severity as varchar) as severity,
        cast(table_ref as varchar) as table_ref,
        cast(location as varchar) as location,
        cast(expected as decimal(20, 6)) as expected,
        cast(actual as decimal(20, 6)) as actual,
        cast(difference as decimal(20, 6)) as difference,
        cast(message as varchar) as message,
        cast(companion_document_id as varchar) as companion_document_id
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
