-- Every latest budget (预算) document with a fiscal year has exactly one row in
-- mart_disclosure_quality, and its finding counts equal the findings in fct_findings.
with expected as (
    select
        r.document_id,
        count(f.finding_no) filter (where f.severity = 'error') as error_count,
        count(f.finding_no) filter (where f.severity = 'warning') as warning_count,
        count(f.finding_no) filter (where f.severity = 'info') as info_count
    from {{ ref('int_document_revisions') }} as r
    left join {{ ref('fct_findings') }} as f
        on r.document_id = f.document_id
    where r.is_latest
      and r.disclosure_kind = '预算'
      and r.fiscal_year is not null
    group by r.document_id
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
