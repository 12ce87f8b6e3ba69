-- Grain: one row per fiscal year that any loaded document belongs to.
with documents as (
    select * from {{ ref('int_document_revisions') }}
),

final as (
    select
        fiscal_year,
        fiscal_year - 1 as prior_fiscal_year,
        count(*) as document_count,
        count(*) filter (where is_latest) as latest_document_count,
        -- a split publication's two current parts are one disclosure
        count(distinct disclosure_key) filter (where is_latest) as latest_disclosure_count,
        count(distinct unit_id) as unit_count
    from documents
    where fiscal_year is not null
    group by fiscal_year
)

select * from final
