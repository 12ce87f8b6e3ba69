-- 情况说明: every figure stated in the narrative, with the sentence it came from.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_narrative_facts') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(fact_no as integer) as fact_no,
        cast(section as varchar) as section,
        cast(fact_key as varchar) as fact_key,
        cast(subject as varchar) as subject,
        cast(value as decimal(20, 6)) as value,
        cast(value_unit as varchar) as value_unit,
        cast(value_text as varchar) as value_text,
        cast(sentence as varchar) as sentence,
        cast(line_no as integer) as line_no
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
