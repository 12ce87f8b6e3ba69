-- Grain: one row per validation finding (from ingest's schema and reconciliation rules) of a
-- latest-revision document. Findings describe the disclosure, not the warehouse: an internally
-- inconsistent disclosure (e.g. 表七 合计 36 vs rows 66) shows up here, it does not fail dbt.
with findings as (
    select * from {{ ref('stg_findings') }}
    where is_latest
),

final as (
    select
        document_id,
        finding_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        rule_id,
        severity,
        table_ref,
        location,
        expected,
        actual,
        difference,
        message,
        source_file,
        unit_name as printed_unit_name
    from findings
)

select * from final
