-- Grain: one row per fiscal_year × unit_id × scope × functional_item_code: a unit's 年初预算 (its 预算
-- disclosure) against its 决算 of the same fiscal year, line by line (docs/mart_contract.md).
--   scope 'all'             预算 表三 支出总体情况表 (fct_expenditure) vs 决算 支出决算表 本年支出
--   scope 'general_budget'  预算 表五 一般公共预算支出情况表 (fct_general_budget_expenditure) vs 决算
--                           一般公共预算财政拨款支出决算表
-- The lines are the leaf lines of each side (the printed leaf code, conformed as in fct_expenditure).
-- A FULL OUTER JOIN of the two sides: a line only one side prints is a row with the other side null
-- (not 0). The latest revision of each document kind (is_latest_tables: the 部门 disclosure when one
-- is loaded, else the 单位 one). A 决算 never replaces a 预算: both documents are named on the row.
with budget_lines as (
    select 'all' as scope, *
    from {{ ref('fct_expenditure') }}
    where disclosure_kind = '预算' and fiscal_year is not null
    union all by name
    select 'general_budget' as scope, *
    from {{ ref('fct_general_budget_expenditure') }}
    where disclosure_kind = '预算' and fiscal_year is not null
),

budget_side as (
    select
        unit_id,
        fiscal_year,
        scope,
        functional_code,
        any_value(functional_class_code) as functional_class_code,
        any_value(functional_section_code) as functional_section_code,
        -- a line that prints only its basic/project split counts as basic + project (as the spending marts)
        sum(coalesce(total_wan_yuan, coalesce(basic_wan_yuan, 0) + coalesce(project_wan_yuan, 0)))
            as initial_budget_wan_yuan,
        min(document_id) as document_id,
        min(source_file) as source_file
    from budget_lines
    group by unit_id, fiscal_year, scope, functional_code
),

final_side as (
    select
        unit_id,
        fiscal_year,
        case table_kind when 'final_expenditure' then 'all' else 'general_budget' end as scope,
        functional_code,
        any_value(functional_class_code) as functional_class_code,
        any_value(functional_section_code) as functional_section_code,
        sum(adjusted_budget_wan_yuan) as adjusted_budget_wan_yuan,
        sum(total_wan_yuan) as final_wan_yuan,
        sum(basic_wan_yuan) as final_basic_wan_yuan,
        sum(project_wan_yuan) as final_project_wan_yuan,
        min(document_id) as document_id,
        min(source_file) as source_file
    from {{ ref('fct_final_expenditure') }}
    where disclosure_kind = '决算'
        and fiscal_year is not null
        and is_leaf
        and table_kind in ('final_expenditure', 'final_general_budget_expenditure')
    group by all
),

joined as (
    select
        coalesce(budget_side.fiscal_year, final_side.fiscal_year) as fiscal_year,
        coalesce(budget_side.unit_id, final_side.unit_id) as unit_id,
        coalesce(budget_side.scope, final_side.scope) as scope,
        coalesce(budget_side.functional_class_code, final_side.functional_class_code) as functional_class_code,
        coalesce(budget_side.functional_section_code, final_side.functional_section_code) as functional_section_code,
        coalesce(budget_side.functional_code, final_side.functional_code) as functional_item_code,
        budget_side.initial_budget_wan_yuan,
        final_side.adjusted_budget_wan_yuan,
        final_side.final_wan_yuan,
        final_side.final_basic_wan_yuan,
        final_side.final_project_wan_yuan,
        budget_side.document_id as budget_document_id,
        budget_side.source_file as budget_source_file,
        final_side.document_id as final_document_id,
        final_side.source_file as final_source_file
    from budget_side
    full outer join final_side
        on budget_side.unit_id = final_side.unit_id
            and budget_side.fiscal_year = final_side.fiscal_year
            and budget_side.scope = final_side.scope
            and budget_side.functional_code = final_side.functional_code
),

units as (
    select * from {{ ref('dim_unit') }}
),

classes as (
    select * from {{ ref('dim_functional_class') }}
),

final as (
    select
        cast(joined.fiscal_year as integer) as fiscal_year,
        cast(joined.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(joined.scope as varchar) as scope,
        cast(joined.functional_class_code as varchar) as functional_class_code,
        cast(joined.functional_section_code as varchar) as functional_section_code,
        cast(joined.functional_item_code as varchar) as functional_item_code,
        cast(item.name as varchar) as functional_item_name,
        cast(joined.initial_budget_wan_yuan as decimal(20, 6)) as initial_budget_wan_yuan,
        cast(joined.adjusted_budget_wan_yuan as decimal(20, 6)) as adjusted_budget_wan_yuan,
        cast(joined.final_wan_yuan as decimal(20, 6)) as final_wan_yuan,
        cast(joined.final_basic_wan_yuan as decimal(20, 6)) as final_basic_wan_yuan,
        cast(joined.final_project_wan_yuan as decimal(20, 6)) as final_project_wan_yuan,
        cast(joined.final_wan_yuan - joined.initial_budget_wan_yuan as decimal(20, 6)) as difference_wan_yuan,
        {{ exact_ratio('joined.final_wan_yuan', 'joined.initial_budget_wan_yuan') }}
            as execution_rate,
        cast(joined.budget_document_id as varchar) as budget_document_id,
        cast(joined.budget_source_file as varchar) as budget_source_file,
        cast(joined.final_document_id as varchar) as final_document_id,
        cast(joined.final_source_file as varchar) as final_source_file
    from joined
    left join units
        on joined.unit_id = units.unit_id
    left join classes as item
        on joined.functional_item_code = item.functional_code
)

select * from final
