-- Grain: one row per detail line of 表五 一般公共预算支出情况表 of the latest revision of each
-- (unit, fiscal year, disclosure kind): the 预算 side of the 'general_budget' scope of
-- mart_budget_execution. Detail and conformed code as in fct_expenditure (表三): not the 合计 line,
-- has a functional code, and no other line of the same table has a longer code under it; a
-- malformed code, or one whose 类 does not exist, is conformed to the unknown member 'unknown'.
with leaves as (
    {{ expenditure_leaf_lines('is_latest_tables', table_no=5) }}
),

final as (
    select
        document_id,
        row_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        {{ conformed_functional_columns('functional_code') }},
        functional_code as printed_functional_code,
        functional_name as printed_functional_name,
        total_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        source_file,
        unit_name as printed_unit_name
    from leaves
)

select * from final
