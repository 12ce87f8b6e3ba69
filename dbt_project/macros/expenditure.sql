{#- The detail lines of 表三 支出总体情况表 (or of table `table_no` of stg_expenditure: 5 = 表五
    一般公共预算支出情况表) of the documents `flag` selects (is_latest: the disclosure
    each body is counted by; is_latest_of_level: the latest of each 部门/单位 level). Detail = not the
    合计 line, has a functional code, and is a leaf: no other line of the same table has a longer
    code under it (so printed 类/款 subtotals are not double counted). -#}
{% macro expenditure_leaf_lines(flag, table_no=3) -%}
    with lines as (
        select *
        from {{ ref('stg_expenditure') }}
        where {{ flag }}
          and table_no = {{ table_no }}
          and not is_total
          and functional_code is not null
    )

    select *
    from lines as parent
    where not exists (
        select 1
        from lines as child
        where child.document_id = parent.document_id
          and length(child.functional_code) > length(parent.functional_code)
          and starts_with(child.functional_code, parent.functional_code)
    )
{%- endmacro %}
