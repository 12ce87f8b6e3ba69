-- Grain: one row per fiscal_year × region_code × functional_item_code: 表三 detail lines of the
-- latest revision of every unit's budget (预算) disclosure, summed over the units of the region,
-- with the same region × item's total of the previous fiscal year and the change.
with expenditure as (
    {{ budget_expenditure_with_region() }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

classes as (
    select * from {{ ref('dim_functional_class') }}
),

aggregated as (
    select
        fiscal_year,
        region_code,
        functional_class_code,
        functional_section_code,
        functional_code as functional_item_code,
        {{ spending_sums() }}
    from expenditure
    group by all
),

with_prior as (
    {{ with_prior_year_total('aggregated', ['region_code', 'functional_item_code']) }}
),

final as (
    select
        cast(aggregated.fiscal_year as integer) as fiscal_year,
        cast(aggregated.region_code as varchar) as region_code,
        cast(regions.region_name as varchar) as region_name,
        cast(aggregated.functional_class_code as varchar) as functional_class_code,
        cast(class.name as varchar) as functional_class_name,
        cast(aggregated.functional_section_code as varchar) as functional_section_code,
        cast(section.name as varchar) as functional_section_name,
        cast(aggregated.functional_item_code as varchar) as functional_item_code,
        cast(item.name as varchar) as functional_item_name,
        cast(aggregated.basic_wan_yuan as decimal(20, 6)) as basic_wan_yuan,
        cast(aggregated.project_wan_yuan as decimal(20, 6)) as project_wan_yuan,
        cast(aggregated.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(aggregated.unit_count as integer) as unit_count,
        cast(aggregated.prior_year_total_wan_yuan as decimal(20, 6)) as prior_year_total_wan_yuan,
        cast(aggregated.total_wan_yuan - aggregated.prior_year_total_wan_yuan as decimal(20, 6)) as yoy_change_wan_yuan
    from with_prior as aggregated
    left join regions
        on aggregated.region_code = regions.region_code
    left join classes as class
        on aggregated.functional_class_code = class.functional_code
    left join classes as section
        on aggregated.functional_section_code = section.functional_code
    left join classes as item
        on aggregated.functional_item_code = item.functional_code
)

select * from final
