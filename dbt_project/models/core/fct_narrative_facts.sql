-- Grain: one row per figure stated in the narrative (情况说明) of latest-revision documents.
with facts as (
    select *
    from {{ ref('stg_narrative_facts') }}
    where is_latest_narrative  -- the disclosure's narrative (a whole or its narrative part)
),

final as (
    select
        document_id,
        fact_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        section,
        fact_key,
        subject,
        value,
        value_unit,
        value_text,
        sentence,
        line_no,
        source_file
    from facts
)

select * from final
