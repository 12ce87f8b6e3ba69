-- Grain: one row per fiscal_year × unit_id × disclosure_kind: the latest revision of the unit's budget
-- (预算) disclosure and of its final accounts (决算), how many of the standard tables its template prints
-- it contains (预算: of the nine 表一…表九 slots, those not 'not_printed'; 决算: of the nine 决算 tables,
-- 收入支出决算总表 … “三公”经费支出决算表, those with a printed amount) and its findings by severity.
-- A 决算's completeness has no 单位概况 term (has_unit_profile is null: the profile is not read from a 决算).
-- A split publication (a narrative part and a tables part, ingest/publications.py) is one
-- disclosure and one row here: its tables are counted from the tables part, its 单位概况 and
-- 情况说明 from the narrative part, its findings and rejected rows are both parts' (the narrative-vs-table findings
-- computed across the two included); document_id is the tables part's, narrative_document_id the
-- narrative part's.
with documents as (
    select * from {{ ref('int_document_revisions') }}
    where is_latest
        and disclosure_kind in ('预算', '决算')
        and fiscal_year is not null
),

-- one row per disclosure: the document its tables come from and the one its narrative comes from
-- (the same whole document, or the two parts of a split one)
disclosures as (
    select
        unit_id,
        fiscal_year,
        disclosure_kind,
        max(document_id) filter (where is_latest_tables) as tables_document_id,
        max(document_id) filter (where is_latest_narrative) as narrative_document_id
    from documents
    group by unit_id, fiscal_year, disclosure_kind
),

framed as (
    select
        disclosures.*,
        coalesce(tables_document_id, narrative_document_id) as document_id,
        case
            when tables_document_id = narrative_document_id then 'whole'
            when tables_document_id is not null and narrative_document_id is not null then 'narrative+tables'
            when tables_document_id is not null then 'tables'
            else 'narrative'
        end as publication_parts
    from disclosures
),

tables as (
    select
        document_id,
        count(distinct table_no) filter (where status in ('present', 'empty')) as tables_found,
        count(distinct table_no) filter (where status in ('present', 'empty', 'missing')) as tables_expected,
        count(*) as tables_reported
    from {{ ref('stg_tables') }}
    where is_latest_tables
    group by document_id
),

-- a 决算's tables: the nine 决算 kinds with at least one printed amount (stg_final_lines holds the
-- printed cells only, so a table printed wholly blank, or with only its 说明, is not counted)
final_tables as (
    select
        document_id,
        count(distinct table_kind) as tables_found
    from {{ ref('stg_final_lines') }}
    where is_latest_tables
        and table_kind in (
            'final_income_expenditure_summary', 'final_income', 'final_expenditure', 'final_appropriation_summary',
            'final_general_budget_expenditure', 'final_general_budget_basic', 'final_government_fund',
            'final_state_capital', 'final_three_public'
        )
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

-- both parts' findings, each document once
disclosure_findings as (
    select
        framed.document_id,
        sum(findings.error_count) as error_count,
        sum(findings.warning_count) as warning_count,
        sum(findings.info_count) as info_count,
        sum(findings.warehouse_finding_count) as warehouse_finding_count
    from framed
    inner join findings
        on findings.document_id in (framed.tables_document_id, framed.narrative_document_id)
    group by framed.document_id
),

-- rows set aside by the ingest because they failed their raw table's schema (fct_rejected_rows),
-- of both parts of a split publication
rejected as (
    select
        framed.document_id,
        count(*) as rejected_row_count
    from framed
    inner join {{ ref('fct_rejected_rows') }} as rejected_rows
        on rejected_rows.document_id in (framed.tables_document_id, framed.narrative_document_id)
    group by framed.document_id
),

profiles as (
    select distinct document_id from {{ ref('fct_unit_profile') }}
),

narratives as (
    select distinct document_id from {{ ref('fct_narrative_facts') }}
),

scored as (
    select
        framed.document_id,
        cast(
            case
                when framed.disclosure_kind = '决算' then coalesce(final_tables.tables_found, 0)
                when tables.tables_reported > 0 then tables.tables_found
                else coalesce(tables_doc.tables_found, 0)
            end
            as integer
        ) as tables_found,
        cast(
            case when framed.disclosure_kind = '预算' and tables.tables_reported > 0 then tables.tables_expected else 9 end
            as integer
        ) as tables_expected,
        -- the 单位概况 is read from a 预算 only
        case when framed.disclosure_kind = '预算' then profiles.document_id is not null end as has_unit_profile,
        narratives.document_id is not null as has_narrative
    from framed
    left join documents as tables_doc
        on framed.tables_document_id = tables_doc.document_id
    left join tables
        on framed.tables_document_id = tables.document_id
    left join final_tables
        on framed.tables_document_id = final_tables.document_id
    left join profiles
        on framed.narrative_document_id = profiles.document_id
    left join narratives
        on framed.narrative_document_id = narratives.document_id
),

units as (
    select * from {{ ref('dim_unit') }}
),

final as (
    select
        cast(framed.fiscal_year as integer) as fiscal_year,
        cast(framed.unit_id as varchar) as unit_id,
        cast(framed.disclosure_kind as varchar) as disclosure_kind,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(framed.document_id as varchar) as document_id,
        cast(primary_doc.source_file as varchar) as source_file,
        cast(primary_doc.revision as integer) as revision,
        cast(framed.publication_parts as varchar) as publication_parts,
        cast(
            case when framed.narrative_document_id <> framed.document_id then framed.narrative_document_id end
            as varchar
        ) as narrative_document_id,
        cast(
            case when framed.narrative_document_id <> framed.document_id then narrative_doc.source_file end
            as varchar
        ) as narrative_source_file,
        -- from 表一..表九 status rows; the parser's own count when no status rows were written
        scored.tables_found,
        scored.tables_expected,
        cast(coalesce(disclosure_findings.error_count, 0) as integer) as error_count,
        cast(coalesce(disclosure_findings.warning_count, 0) as integer) as warning_count,
        cast(coalesce(disclosure_findings.info_count, 0) as integer) as info_count,
        cast(coalesce(disclosure_findings.warehouse_finding_count, 0) as integer) as warehouse_finding_count,
        cast(coalesce(rejected.rejected_row_count, 0) as integer) as rejected_row_count,
        scored.has_unit_profile,
        scored.has_narrative,
        -- 预算: (tables found of those expected + 单位概况 found + 情况说明 found) / (expected + 2);
        -- 决算: (tables found + 情况说明 found) / (9 + 1); exact to 4 decimals
        cast(
            {{ exact_div(
                '(coalesce(scored.tables_found, 0) + coalesce(cast(scored.has_unit_profile as integer), 0)'
                ~ ' + cast(scored.has_narrative as integer))',
                "(coalesce(scored.tables_expected, 9) + case when framed.disclosure_kind = '预算' then 2 else 1 end)",
                4
            ) }}
            as decimal(5, 4)
        ) as completeness_score
    from framed
    left join documents as primary_doc
        on framed.document_id = primary_doc.document_id
    left join documents as narrative_doc
        on framed.narrative_document_id = narrative_doc.document_id
    left join scored
        on framed.document_id = scored.document_id
    left join disclosure_findings
        on framed.document_id = disclosure_findings.document_id
    left join rejected
        on framed.document_id = rejected.document_id
    left join units
        on framed.unit_id = units.unit_id
)

select * from final
