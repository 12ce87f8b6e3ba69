-- Every latest budget (预算) disclosure, and every latest 决算, with a fiscal year has exactly one row
-- in mart_disclosure_quality, and its finding counts equal the findings in fct_findings of its
-- current documents (one whole document, or the tables part and the narrative part of a split
-- publication: one disclosure, one row, both parts' findings).
with disclosures as (
    select
        unit_id,
        fiscal_year,
        disclosure_kind,
        coalesce(
            max(document_id) filter (where is_latest_tables),
            max(document_id) filter (where is_latest_narrative)
        ) as document_id
    from {{ ref('int_document_revisions') }}
    where is_latest
        and disclosure_kind in ('预算', '决算')
        and fiscal_year is not null
    group by unit_id, fiscal_year, disclosure_kind
),

expected as (
    select
        d.document_id,
        count(f.finding_no) filter (where f.severity = 'error') as error_count,
        count(f.finding_no) filter (where f.severity = 'warning') as warning_count,
        count(f.finding_no) filter (where f.severity = 'info') as info_count
    from disclosures as d
    inner join {{ ref('int_document_revisions') }} as r
        on r.unit_id = d.unit_id
            and r.fiscal_year = d.fiscal_year
            and r.is_latest
            and r.disclosure_kind = d.disclosure_kind
    left join {{ ref('fct_findings') }} as f
        on r.document_id = f.document_id
    group by d.document_id
)

select expected.document_id, mart.document_id as mart_document_id
from expected
full outer join {{ ref('mart_disclosure_quality') }} as mart
    on expected.document_id = mart.document_id
where expected.document_id is null
    or mart.document_id is null
    or expected.error_count <> mart.error_count
    or expected.warning_count <> mart.warning_count
    or expected.info_count <> mart.info_count
