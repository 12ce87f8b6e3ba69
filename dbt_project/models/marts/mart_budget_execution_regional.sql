-- Grain: one row per fiscal_year × region_code × scope × functional_item_code: mart_budget_execution
-- summed over the units of the region (the unit's region_code: the eight divisions, '000000' for
-- unregistered units). Sums ignore nulls and a sum of no values is null. difference_wan_yuan and
-- execution_rate are over the units whose row has both sides (a unit that printed the line on one
-- side only does not move the rate).
with units as (
    select * from {{ ref('mart_budget_execution') }}
),

aggregated as (
    select
        fiscal_year,
        region_code,
        scope,
        functional_item_code,
        any_value(functional_class_code) as functional_class_code,
        any_value(functional_section_code) as functional_section_code,
        sum(initial_budget_wan_yuan) as initial_budget_wan_yuan,
        sum(adjusted_budget_wan_yuan) as adjusted_budget_wan_yuan,
        sum(final_wan_yuan) as final_wan_yuan,
        sum(difference_wan_yuan) as difference_wan_yuan,
        sum(final_wan_yuan) filter (where initial_budget_wan_yuan is not null) as both_final_wan_yuan,
        sum(initial_budget_wan_yuan) filter (where final_wan_yuan is not null) as both_initial_budget_wan_yuan,
        count(initial_budget_wan_yuan) as unit_count_budget,
        count(final_wan_yuan) as unit_count_final,
        count(*) filter (where initial_budget_wan_yuan is not null and final_wan_yuan is not null) as unit_count_both
    from units
    group by fiscal_year, region_code, scope, functional_item_code
),

classes as (
    select * from {{ ref('dim_functional_class') }}
),

final as (
    select
        cast(aggregated.fiscal_year as integer) as fiscal_year,
        cast(aggregated.region_code as varchar) as region_code,
        cast(regions.region_name as varchar) as region_name,
        cast(aggregated.scope as varchar) as scope,
        cast(aggregated.functional_class_code as varchar) as functional_class_code,
        cast(class.name as varchar) as functional_class_name,
        cast(aggregated.functional_section_code as varchar) as functional_section_code,
        cast(section.name as varchar) as functional_section_name,
        cast(aggregated.functional_item_code as varchar) as functional_item_code,
        cast(item.name as varchar) as functional_item_name,
        cast(aggregated.initial_budget_wan_yuan as decimal(20, 6)) as initial_budget_wan_yuan,
        cast(aggregated.adjusted_budget_wan_yuan as decimal(20, 6)) as adjusted_budget_wan_yuan,
        cast(aggregated.final_wan_yuan as decimal(20, 6)) as final_wan_yuan,
        cast(aggregated.difference_wan_yuan as decimal(20, 6)) as difference_wan_yuan,
        {{ exact_ratio('aggregated.both_final_wan_yuan', 'aggregated.both_initial_budget_wan_yuan') }}
            as execution_rate,
        cast(aggregated.unit_count_budget as integer) as unit_count_budget,
        cast(aggregated.unit_count_final as integer) as unit_count_final,
        cast(aggregated.unit_count_both as integer) as unit_count_both
    from aggregated
    left join {{ ref('dim_region') }} as regions
        on aggregated.region_code = regions.region_code
    left join classes as class
        on aggregated.functional_class_code = class.functional_code
    left join classes as section
        on aggregated.functional_section_code = section.functional_code
    left join classes as item
        on aggregated.functional_item_code = item.functional_code
)

select * from final
