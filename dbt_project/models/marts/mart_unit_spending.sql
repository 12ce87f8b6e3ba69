-- Grain: one row per fiscal_year × unit_id × budget_level × functional_code: what each body's latest
-- 部门 and 单位 budget (预算) prints in 表三 支出总体情况表 (detail lines; see expenditure_leaf_lines),
-- with the document and file it comes from. Both levels of one body are here side by side; regional
-- marts count each body once (is_counted: the 部门 budget when there is one, else the 单位 one).
with lines as (
    {{ expenditure_leaf_lines('is_latest_tables_of_level') }}
),

budget_lines as (
    select * from lines
    where disclosure_kind = '预算' and fiscal_year is not null
),

units as (
    select * from {{ ref('dim_unit') }}
),

classes as (
    select * from {{ ref('dim_functional_class') }}
),

final as (
    select
        cast(l.fiscal_year as integer) as fiscal_year,
        cast(l.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(l.budget_level as varchar) as budget_level,
        cast(
            case when {{ functional_code_status('l.functional_code') }} = 'ok' then l.functional_code else 'unknown' end
            as varchar
        ) as functional_code,
        cast(coalesce(classes.name, l.functional_name) as varchar) as functional_name,
        cast(l.functional_code as varchar) as printed_functional_code,
        cast(sum(l.total_wan_yuan) as decimal(20, 6)) as total_wan_yuan,
        cast(sum(l.basic_wan_yuan) as decimal(20, 6)) as basic_wan_yuan,
        cast(sum(l.project_wan_yuan) as decimal(20, 6)) as project_wan_yuan,
        cast(bool_or(l.is_latest_tables) as boolean) as is_counted,
        cast(l.document_id as varchar) as document_id,
        cast(l.source_file as varchar) as source_file
    from budget_lines as l
    left join units on units.unit_id = l.unit_id
    left join classes
        on classes.functional_code
            = case when {{ functional_code_status('l.functional_code') }} = 'ok' then l.functional_code else 'unknown' end
    group by all
)

select * from final
