-- Every fact row must come from the latest revision of its (unit, fiscal year, disclosure kind):
-- table facts from the document the disclosure's tables come from, narrative facts from the one its
-- narrative comes from (the same whole document, or the two parts of a split publication).
{% set facts = ['fct_expenditure', 'fct_income', 'fct_basic_expenditure_economic', 'fct_project_expenditure',
                'fct_three_public', 'fct_assets', 'fct_unit_profile', 'fct_narrative_facts',
                'fct_performance_targets', 'fct_performance_indicators', 'fct_findings'] %}
{% set flag = {'fct_expenditure': 'is_latest_tables', 'fct_income': 'is_latest_tables',
               'fct_basic_expenditure_economic': 'is_latest_tables', 'fct_project_expenditure': 'is_latest_tables',
               'fct_three_public': 'is_latest_tables', 'fct_assets': 'is_latest_narrative',
               'fct_unit_profile': 'is_latest_narrative', 'fct_narrative_facts': 'is_latest_narrative'} %}
with fact_documents as (
    {% for f in facts %}
        select distinct '{{ f }}' as fact_model, '{{ flag.get(f, 'is_latest') }}' as flag, document_id from {{ ref(f) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select fact_documents.*
from fact_documents
left join {{ ref('int_document_revisions') }} as revisions
    on fact_documents.document_id = revisions.document_id
where revisions.is_latest is distinct from true
    or (fact_documents.flag = 'is_latest_tables' and not revisions.is_latest_tables)
    or (fact_documents.flag = 'is_latest_narrative' and not revisions.is_latest_narrative)
