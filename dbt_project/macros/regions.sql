{#- The prefecture total's region code: every division together (not 652300, which is 州本级). -#}
{% macro prefecture_total_code() -%}'652300-ALL'{%- endmacro %}

{#- Each row of `cte` placed twice for a regional rollup: under its own region_code and under the
    prefecture total (rollup_region_code). Unregistered units ('000000') keep their own rows only. -#}
{% macro placed_with_prefecture_total(cte) -%}
    select *, region_code as rollup_region_code from {{ cte }}
    union all
    select *, {{ prefecture_total_code() }} from {{ cte }} where region_code <> '000000'
{%- endmacro %}
