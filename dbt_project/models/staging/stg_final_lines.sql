-- 决算 (final accounts) tables: one row per printed amount cell of every recognised 决算 table
-- (ingest/recognize/final_accounts.py; kinds final_* in ingest/recognize/table_kinds.yaml).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
-- Read by the 决算 facts (fct_final_expenditure, fct_final_three_public, fct_final_summary), the
-- execution marts through them, mart_disclosure_quality and int_warehouse_findings.
with source as (
    select * from {{ source('lake', 'raw_final_lines') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(table_no as integer) as table_no,
        cast(table_kind as varchar) as table_kind,
        cast(table_title as varchar) as table_title,
        cast(row_no as integer) as row_no,
        cast(side as varchar) as side,
        cast(line_label as varchar) as line_label,
        cast(functional_code as varchar) as functional_code,
        cast(economic_code as varchar) as economic_code,
        cast(column_meaning as varchar) as column_meaning,
        cast(amount_wan_yuan as decimal(20, 6)) as amount_wan_yuan,
        cast(printed_text as varchar) as printed_text,
        cast(line_no as integer) as line_no
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
