-- Grain: one row per rejected raw row (document_id, rejected_no) of a latest-revision document:
-- a row that failed its raw table's schema (a malformed code such as '合计' in a code column, a
-- negative amount…), set aside by the ingest (ingest/validate/schemas.py) with its printed values
-- and exact amounts. It is in no other fact: the disclosure's figures here are what it printed
-- validly; mart_disclosure_quality counts these rows per disclosure.
with rejected as (
    select * from {{ ref('stg_rejected_rows') }}
    where is_latest  -- a current part of the disclosure (either part of a split publication)
),

final as (
    select
        document_id,
        rejected_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        budget_level,
        revision,
        raw_table,
        table_ref,
        row_no,
        location,
        rule_id,
        failed_columns,
        message,
        functional_code as printed_code,
        item_name as printed_name,
        total_wan_yuan,
        amounts_wan_yuan,
        row_values,
        source_file,
        unit_name as printed_unit_name
    from rejected
)

select * from final
