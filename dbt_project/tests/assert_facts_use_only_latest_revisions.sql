-- Every fact row must come from the latest revision of its (unit, fiscal year, disclosure kind).
{% set facts = ['fct_expenditure', 'fct_income', 'fct_basic_expenditure_economic', 'fct_project_expenditure',
                'fct_three_public', 'fct_assets', 'fct_unit_profile', 'fct_narrative_facts',
                'fct_performance_targets', 'fct_performance_indicators', 'fct_findings'] %}
with fact_documents as (
    {% for f in facts %}
    select distinct '{{ f }}' as fact_model, document_id from {{ ref(f) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select fact_documents.*
from fact_documents
left join {{ ref('int_document_revisions') }} as revisions
    on fact_documents.document_id = revisions.document_id
where revisions.is_latest is distinct from true
