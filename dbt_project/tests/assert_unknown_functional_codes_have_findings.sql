-- Every expenditure line conformed to the unknown functional class 'unknown' keeps its printed
-- code and has a CODE-UNKNOWN-CLASS finding on the same document and 表三 row in fct_findings
-- (an amount is never moved to 'unknown' silently).
select e.document_id, e.row_no, e.printed_functional_code
from {{ ref('fct_expenditure') }} as e
where e.functional_code = 'unknown'
    and (
        e.printed_functional_code is null
        or not exists (
            select 1
            from {{ ref('fct_findings') }} as f
            where f.document_id = e.document_id
                and f.rule_id = 'CODE-UNKNOWN-CLASS'
                and f.table_ref = '表三'
                and f.location = 'row ' || e.row_no || ': ' || e.printed_functional_code
        )
    )
