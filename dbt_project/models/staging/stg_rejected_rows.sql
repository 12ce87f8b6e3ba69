-- Rows that failed their raw table's schema, set aside by the ingest (ingest/validate/schemas.py):
-- they are not in the raw table they failed, so no fact counts them as valid.
-- Grain: one row per rejected raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_rejected_rows') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(rejected_no as integer) as rejected_no,
        cast(raw_table as varchar) as raw_table,
        cast(table_ref as varchar) as table_ref,
        cast(row_no as integer) as row_no,
        cast(location as varchar) as location,
        cast(rule_id as varchar) as rule_id,
        cast(failed_columns as varchar) as failed_columns,
        cast(message as varchar) as message,
        cast(row_values as varchar) as row_values,
        cast(functional_code as varchar) as functional_code,
        cast(item_name as varchar) as item_name,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(amounts_wan_yuan as varchar) as amounts_wan_yuan
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
