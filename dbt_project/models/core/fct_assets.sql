-- Grain: one row per asset figure (国有资产占用使用情况: fact keys 'assets.*' other than the date)
-- of latest-revision documents, with the as-of date the narrative states ('截至2020年底').
with facts as (
    select * from {{ ref('fct_narrative_facts') }}
    where fact_key like 'assets.%'
),

as_of as (
    select
        document_id,
        min({{ parse_cn_date('value_text') }}) as as_of_date
    from facts
    where fact_key = 'assets.as_of_date'
    group by document_id
),

final as (
    select
        facts.document_id,
        facts.fact_no,
        facts.unit_id,
        facts.fiscal_year,
        facts.disclosure_kind,
        facts.revision,
        as_of.as_of_date,
        substr(facts.fact_key, length('assets.') + 1) as asset_key,
        facts.subject,
        facts.value,
        facts.value_unit,
        facts.sentence,
        facts.source_file
    from facts
    left join as_of
        on facts.document_id = as_of.document_id
    where facts.fact_key <> 'assets.as_of_date'
)

select * from final
