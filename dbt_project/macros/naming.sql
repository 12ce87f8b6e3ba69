{#- The most common printed name per code (ties: the smallest name), from a CTE with columns
    code, printed_name. Used where the partial reference lists lack a code. -#}
{% macro most_common_name(cte) -%}
    select code, printed_name
    from (
        select
            code,
            printed_name,
            row_number() over (partition by code order by count(*) desc, printed_name) as name_rank
        from {{ cte }}
        where printed_name is not null
        group by code, printed_name
    )
    where name_rank = 1
{%- endmacro %}
