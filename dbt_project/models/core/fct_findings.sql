-- Grain: one row per finding of a latest-revision document: the ingest's schema and
-- reconciliation rules (finding_source = 'ingest') and the warehouse's own rules
-- (finding_source = 'dbt': UNIT-UNRESOLVED, CODE-UNKNOWN-CLASS, FA-THREE-PUBLIC-BUDGET; see
-- int_warehouse_findings).
-- A split publication's findings are those of its current parts: each file's own, and the
-- narrative-vs-table findings computed across the two (companion_document_id, on the narrative part).
-- Findings describe the disclosure, not the warehouse: an internally inconsistent disclosure
-- (e.g. 表七 合计 36 vs rows 66) shows up here, it does not fail dbt.
{% set columns = [
    'document_id', 'finding_no', 'unit_id', 'fiscal_year', 'disclosure_kind', 'revision', 'rule_id',
    'severity', 'table_ref', 'location', 'expected', 'actual', 'difference', 'message', 'source_file',
    'printed_unit_name', 'companion_document_id',
] %}
with ingest_findings as (
    select findings.* rename (unit_name as printed_unit_name)
    from {{ ref('stg_findings') }} as findings
    left join {{ ref('int_document_revisions') }} as current_parts
        on findings.document_id = current_parts.document_id
    where findings.is_latest
        -- a finding computed across the two parts of a split publication (recorded on the narrative
        -- part, companion_document_id = the tables part) counts while that tables part is the
        -- disclosure's current one
        and (
            findings.companion_document_id is null
            or findings.companion_document_id = current_parts.tables_document_id
        )
        -- a part loaded before its companion, without a unit name or a fiscal year of its own, keeps
        -- its DOC-UNIT / DOC-YEAR in the lake; the warehouse has both from the companion
        and not (findings.rule_id = 'DOC-UNIT' and current_parts.unit_source = 'companion')
        and not (
            findings.rule_id = 'DOC-YEAR' and current_parts.fiscal_year is not null
            and current_parts.publication_part <> 'whole'
        )
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
        revisions.printed_unit_name,
        cast(null as varchar) as companion_document_id
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
