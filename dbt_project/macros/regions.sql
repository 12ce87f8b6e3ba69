{#- The prefecture total's region code: every division together (not 652300, which is 州本级). -#}
{% macro prefecture_total_code() -%}'652300-ALL'{%- endmacro %}

{#- Each row of `cte` placed twice for a regional rollup: under its own region_code and under the
    prefecture total (rollup_region_code). Unregistered units ('000000') keep their own rows only. -#}
{% macro placed_with_prefecture_total(cte) -%}
    select *, region_code as rollup_region_code from {{ cte }}
    union all
    select *, {{ prefecture_total_code() }} from {{ cte }} where region_code <> '000000'
{%- endmacro %}


{#- The 表三 detail lines of budget (预算) disclosures with a fiscal year, each with its unit's
    region_code: what the regional spending marts sum. -#}
{% macro budget_expenditure_with_region() %}
    select
        e.*,
        units.region_code
    from {{ ref('fct_expenditure') }} as e
    inner join {{ ref('dim_unit') }} as units
        on e.unit_id = units.unit_id
    where e.disclosure_kind = '预算'
      and e.fiscal_year is not null
{% endmacro %}


{#- Money sums of 表三 detail lines over a group, and the units they come from. A line that
    prints only its basic/project split (no line total) counts as basic + project. -#}
{% macro spending_sums() %}
        sum(coalesce(basic_wan_yuan, 0)) as basic_wan_yuan,
        sum(coalesce(project_wan_yuan, 0)) as project_wan_yuan,
        sum(coalesce(total_wan_yuan, coalesce(basic_wan_yuan, 0) + coalesce(project_wan_yuan, 0))) as total_wan_yuan,
        count(distinct unit_id) as unit_count
{% endmacro %}


{#- Every row of `relation` with the total_wan_yuan of the row with the same `keys` one fiscal
    year earlier (null when that year has no such row). -#}
{% macro with_prior_year_total(relation, keys) %}
    select
        {{ relation }}.*,
        prior_year.total_wan_yuan as prior_year_total_wan_yuan
    from {{ relation }}
    left join {{ relation }} as prior_year
        on {% for key in keys %}{{ relation }}.{{ key }} = prior_year.{{ key }}
        and {% endfor %}{{ relation }}.fiscal_year = prior_year.fiscal_year + 1
{% endmacro %}
