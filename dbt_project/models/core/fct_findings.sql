-- Grain: one row per finding of a latest-revision document: the ingest's schema and
-- reconciliation rules (finding_source = 'ingest') and the warehouse's own rules
-- (finding_source = 'dbt': UNIT-UNRESOLVED, CODE-UNKNOWN-CLASS; see int_warehouse_findings).
-- Findings describe the disclosure, not the warehouse: an internally inconsistent disclosure
-- (e.g. 表七 合计 36 vs rows 66) shows up here, it does not fail dbt.
{% set columns = [
    'document_id', 'finding_no', 'unit_id', 'fiscal_year', 'disclosure_kind', 'revision', 'rule_id',
    'severity', 'table_ref', 'location', 'expected', 'actual', 'difference', 'message', 'source_file',
    'printed_unit_name',
] %}
with ingest_findings as (
    select * rename (unit_name as printed_unit_name)
    from {{ ref('stg_findings') }}
    where is_latest
),

revisions as (
    select * from {{ ref('int_document_revisions') }}
    where is_latest
),

warehouse_findings as (
    select
        findings.*,
        revisions.unit_id,
        revisions.fiscal_year,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.source_file,
        revisions.printed_unit_name
    from {{ ref('int_warehouse_findings') }} as findings
    inner join revisions
        on findings.document_id = revisions.document_id
),

final as (
    select {{ columns | join(', ') }}, 'ingest' as finding_source
    from ingest_findings
    union all
    select {{ columns | join(', ') }}, 'dbt' as finding_source
    from warehouse_findings
)

select * from final
