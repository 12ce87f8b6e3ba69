{#- Unit-name matching key: drop all whitespace (incl. full-width U+3000) so printed spellings compare equal. -#}
{% macro normalize_name(expr) -%}
    nullif(regexp_replace(coalesce({{ expr }}, ''), '[\s\x{3000}]+', '', 'g'), '')
{%- endmacro %}

{#- A printed label without its leading classification code: '201 一般公共服务支出' / '210卫生健康支出' -> the name. -#}
{% macro strip_code_prefix(expr) -%}
    nullif(trim(regexp_replace({{ expr }}, '^[\s\x{3000}]*[0-9]+[\s\x{3000}]*', '')), '')
{%- endmacro %}

{#- Dates as written in narratives -> DATE. Accepts 2020-12-31, 2020/12/31, 2020.12.31,
    2020年12月31日, and year-end wordings 2020年底 / 2020年末 / 2020 (-> 12-31). NULL when unparseable. -#}
{% macro parse_cn_date(expr) -%}
    coalesce(
        try_cast(
            regexp_replace(
                regexp_replace(trim({{ expr }}), '^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$', '\1-\2-\3'),
                '^(\d{4})-(\d)-', '\1-0\2-')
            as date),
        case when regexp_matches(trim({{ expr }}), '^\d{4}\s*(年底|年末|年)?$')
             then make_date(cast(left(trim({{ expr }}), 4) as integer), 12, 31) end
    )
{%- endmacro %}
