{#- Shared by every stg_* model: the provenance columns each raw row carries (ingest/model.py
    PROVENANCE), cast once here so they have one type everywhere. -#}
{% macro provenance_columns() -%}
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id
{%- endmacro %}

{#- Attach unit_id, disclosure kind and revision (latest flag) from int_document_revisions. -#}
{% macro with_revision(cte) -%}
    select
        {{ cte }}.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.budget_level,
        revisions.revision,
        revisions.is_latest_of_level,
        revisions.is_latest
    from {{ cte }}
    left join {{ ref('int_document_revisions') }} as revisions
        on {{ cte }}.document_id = revisions.document_id
{%- endmacro %}
