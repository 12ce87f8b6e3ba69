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

{#- Attach unit_id, disclosure kind and revision (latest flags) from int_document_revisions: is_latest
    for any current part of a disclosure, is_latest_tables / is_latest_narrative for the document its
    tables / its narrative come from (the same whole document, or the two parts of a split one). A
    part that printed no fiscal year has its companion's (int_document_revisions). -#}
{% macro with_revision(cte) -%}
    select
        {{ cte }}.* replace (coalesce({{ cte }}.fiscal_year, revisions.fiscal_year) as fiscal_year),
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.budget_level,
        revisions.revision,
        revisions.is_latest_of_level,
        revisions.is_latest,
        revisions.is_latest_tables_of_level,
        revisions.is_latest_tables,
        revisions.is_latest_narrative
    from {{ cte }}
    left join {{ ref('int_document_revisions') }} as revisions
        on {{ cte }}.document_id = revisions.document_id
{%- endmacro %}
