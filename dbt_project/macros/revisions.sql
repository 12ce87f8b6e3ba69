{#- The order of a unit-year's revisions (int_document_revisions): load batches in the order they
    were loaded; inside one batch by what the documents say, the printed 编制 date (signed_date, an
    undated document last), then the file's modification time (file_modified_at; unknown last), then
    the file name, then the content hash, so every rebuild numbers them the same way. `descending`
    gives the reverse (the latest first). -#}
{% macro revision_order(relation='', descending=false) -%}
    {%- set r = relation ~ '.' if relation else '' -%}
    {%- if descending -%}
        {{ r }}loaded_at desc, {{ r }}signed_date desc nulls first, {{ r }}file_modified_at desc nulls first,
        {{ r }}source_file desc, {{ r }}document_id desc
    {%- else -%}
        {{ r }}loaded_at, {{ r }}signed_date nulls last, {{ r }}file_modified_at nulls last,
        {{ r }}source_file, {{ r }}document_id
    {%- endif -%}
{%- endmacro %}


{#- The items of list `items` that list `other` lacks: what a held revision loses against the current
    document (items = the current one's, other = its own), or adds (the other way round). -#}
{% macro missing_from(items, other) -%}
    list_filter({{ items }}, lambda x: not list_contains({{ other }}, x))
{%- endmacro %}
