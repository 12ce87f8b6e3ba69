-- Grain: one row per fiscal_year × unit_id: the latest revision of the unit's budget (预算)
-- disclosure, how many of the standard tables its template prints it contains (of the nine 表一…表九
-- slots, those not 'not_printed') and its findings by severity.
with documents as (
    select * from {{ ref('int_document_revisions') }}
    where is_latest
      and disclosure_kind = '预算'
      and fiscal_year is not null
),

tables as (
    select
        document_id,
        count(distinct table_no) filter (where status in ('present', 'empty')) as tables_found,
        count(distinct table_no) filter (where status in ('present', 'empty', 'missing')) as tables_expected,
        count(*) as tables_reported
    from {{ ref('stg_tables') }}
    where is_latest
    group by document_id
),

findings as (
    select
        document_id,
        count(*) filter (where severity = 'error') as error_count,
        count(*) filter (where severity = 'warning') as warning_count,
        count(*) filter (where severity = 'info') as info_count,
        count(*) filter (where finding_source = 'dbt') as warehouse_finding_count
    from {{ ref('fct_findings') }}
    group by document_id
),

profiles as (
    select distinct document_id from {{ ref('fct_unit_profile') }}
),

narratives as (
    select distinct document_id from {{ ref('fct_narrative_facts') }}
),

scored as (
    select
        documents.document_id,
        cast(case when tables.tables_reported > 0 then tables.tables_found else documents.tables_found end as integer)
            as tables_found,
        cast(case when tables.tables_reported > 0 then tables.tables_expected else 9 end as integer) as tables_expected,
        profiles.document_id is not null as has_unit_profile,
        narratives.document_id is not null as has_narrative
    from documents
    left join tables
        on documents.document_id = tables.document_id
    left join profiles
        on documents.document_id = profiles.document_id
    left join narratives
        on documents.document_id = narratives.document_id
),

units as (
    select * from {{ ref('dim_unit') }}
),

final as (
    select
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(documents.document_id as varchar) as document_id,
        cast(documents.source_file as varchar) as source_file,
        cast(documents.revision as integer) as revision,
        -- from 表一..表九 status rows; the parser's own count when no status rows were written
        scored.tables_found,
        scored.tables_expected,
        cast(coalesce(findings.error_count, 0) as integer) as error_count,
        cast(coalesce(findings.warning_count, 0) as integer) as warning_count,
        cast(coalesce(findings.info_count, 0) as integer) as info_count,
        cast(coalesce(findings.warehouse_finding_count, 0) as integer) as warehouse_finding_count,
        scored.has_unit_profile,
        scored.has_narrative,
        -- (tables found of those expected + 单位概况 found + 情况说明 found) / (expected + 2), exact to 4 decimals
        cast({{ exact_div('(coalesce(scored.tables_found, 0) + cast(scored.has_unit_profile as integer) + cast(scored.has_narrative as integer))', '(coalesce(scored.tables_expected, 9) + 2)', 4) }}
             as decimal(5,4)) as completeness_score
    from documents
    left join scored
        on documents.document_id = scored.document_id
    left join findings
        on documents.document_id = findings.document_id
    left join units
        on documents.unit_id = units.unit_id
)

select * from final
