-- Grain: one row per loaded document: what it holds, for the revision policy of int_document_revisions
-- (a revision that would lose any of it, or that adds error findings, is held). Each list is a
-- multiset written as sorted '<item>#<k>' strings (the k-th occurrence of the item), so "the new one
-- has everything the current one has" is list_has_all(new, current), and one project amount or one
-- SUM-ROWS error more or less shows:
--   tables            the standard tables printed (status present, or empty with its note): '表一#1'
--   narrative_facts   情况说明 / 单位概况 facts by fact_key, other than the 三公 and asset ones
--   three_public      三公 figures: 表八's printed columns ('表八.total_wan_yuan#1') and the narrative's
--                     three_public.* facts
--   assets            asset figures: the narrative's assets.* facts (国有资产占用情况)
--   blocking_findings error-severity findings by rule id ('SUM-ROWS#2'): the ingest's rules, schemas
--                     and recognizers, cross-part findings of a split publication included (dbt's own
--                     findings are about the unit or the code lists, not the revision, and are left out)
-- Read from the lake sources, not the stg_* models: those attach the revision, which is computed from
-- this.
with documents as (
    select document_id from {{ ref('stg_documents') }}
),

tables as (
    select distinct
        cast(document_id as varchar) as document_id,
        cast(table_code as varchar) || '#1' as item
    from {{ source('lake', 'raw_tables') }}
    where status in ('present', 'empty')
),

facts as (
    select
        cast(document_id as varchar) as document_id,
        cast(fact_key as varchar) as fact_key,
        row_number() over (
            partition by document_id, fact_key order by batch_id, fact_no
        ) as occurrence
    from {{ source('lake', 'raw_narrative_facts') }}
),

three_public_line as (
    select *
    from {{ source('lake', 'raw_three_public') }}
    qualify row_number() over (partition by document_id order by row_no) = 1
),

three_public_table as (
    -- the printed cells of 表八's first line (the one fct_three_public reads); UNPIVOT leaves out nulls
    select
        cast(document_id as varchar) as document_id,
        '表八.' || figure || '#1' as item
    from (
        select
            document_id,
            total_wan_yuan,
            overseas_travel_wan_yuan,
            vehicle_total_wan_yuan,
            vehicle_purchase_wan_yuan,
            vehicle_operation_wan_yuan,
            official_reception_wan_yuan
        from three_public_line
    ) unpivot (amount for figure in (
        total_wan_yuan,
        overseas_travel_wan_yuan,
        vehicle_total_wan_yuan,
        vehicle_purchase_wan_yuan,
        vehicle_operation_wan_yuan,
        official_reception_wan_yuan
    ))
),

findings as (
    select
        cast(document_id as varchar) as document_id,
        cast(rule_id as varchar) || '#' || row_number() over (
            partition by document_id, rule_id order by batch_id, finding_no
        ) as item
    from {{ source('lake', 'raw_findings') }}
    where severity = 'error'
),

items as (
    select document_id, 'tables' as list_name, item from tables
    union all
    select
        document_id,
        case
            when starts_with(fact_key, 'three_public.') then 'three_public'
            when starts_with(fact_key, 'assets.') then 'assets'
            else 'narrative_facts'
        end,
        fact_key || '#' || occurrence
    from facts
    union all
    select document_id, 'three_public', item from three_public_table
    union all
    select document_id, 'blocking_findings', item from findings
),

final as (
    select
        documents.document_id,
        coalesce(list(items.item order by items.item) filter (where items.list_name = 'tables'), [])
            as tables,
        coalesce(list(items.item order by items.item) filter (where items.list_name = 'narrative_facts'), [])
            as narrative_facts,
        coalesce(list(items.item order by items.item) filter (where items.list_name = 'three_public'), [])
            as three_public,
        coalesce(list(items.item order by items.item) filter (where items.list_name = 'assets'), [])
            as assets,
        coalesce(list(items.item order by items.item) filter (where items.list_name = 'blocking_findings'), [])
            as blocking_findings
    from documents
    left join items
        on documents.document_id = items.document_id
    group by documents.document_id
)

select * from final
