-- 情况说明: every figure stated in the narrative, with the sentence it came from.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_narrative_facts') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id,
        cast(fact_no as integer) as fact_no,
        cast(section as varchar) as section,
        cast(fact_key as varchar) as fact_key,
        cast(subject as varchar) as subject,
        cast(value as decimal(20,6)) as value,
        cast(value_unit as varchar) as value_unit,
        cast(value_text as varchar) as value_text,
        cast(sentence as varchar) as sentence,
        cast(line_no as integer) as line_no
    from source
),

final as (
    select
        renamed.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.is_latest
    from renamed
    left join {{ ref('int_document_revisions') }} as revisions
        on renamed.document_id = revisions.document_id
)

select * from final
