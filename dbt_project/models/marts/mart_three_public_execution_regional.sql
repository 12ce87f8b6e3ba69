-- Grain: one row per fiscal_year × region_code × item: mart_three_public_execution summed over the
-- units of the region (the unit's region_code: the eight divisions, '000000' for unregistered
-- units). Sums ignore nulls (a sum of no values is null); difference_wan_yuan and execution_rate
-- are over the units with both a 预算 and a 决算 figure; unit_count_over_budget counts the units whose
-- 决算数 exceeds their 预算 (within_budget = false).
with units as (
    select * from {{ ref('mart_three_public_execution') }}
),

aggregated as (
    select
        fiscal_year,
        region_code,
        item,
        any_value(item_name) as item_name,
        sum(budget_wan_yuan) as budget_wan_yuan,
        sum(final_budget_wan_yuan) as final_budget_wan_yuan,
        sum(final_wan_yuan) as final_wan_yuan,
        sum(difference_wan_yuan) as difference_wan_yuan,
        sum(final_wan_yuan) filter (where budget_wan_yuan is not null) as both_final_wan_yuan,
        sum(budget_wan_yuan) filter (where final_wan_yuan is not null) as both_budget_wan_yuan,
        count(budget_wan_yuan) as unit_count_budget,
        count(final_wan_yuan) as unit_count_final,
        count(*) filter (where budget_wan_yuan is not null and final_wan_yuan is not null) as unit_count_both,
        count(*) filter (where not within_budget) as unit_count_over_budget
    from units
    group by fiscal_year, region_code, item
),

final as (
    select
        cast(aggregated.fiscal_year as integer) as fiscal_year,
        cast(aggregated.region_code as varchar) as region_code,
        cast(regions.region_name as varchar) as region_name,
        cast(aggregated.item as varchar) as item,
        cast(aggregated.item_name as varchar) as item_name,
        cast(aggregated.budget_wan_yuan as decimal(20, 6)) as budget_wan_yuan,
        cast(aggregated.final_budget_wan_yuan as decimal(20, 6)) as final_budget_wan_yuan,
        cast(aggregated.final_wan_yuan as decimal(20, 6)) as final_wan_yuan,
        cast(aggregated.difference_wan_yuan as decimal(20, 6)) as difference_wan_yuan,
        {{ exact_ratio('aggregated.both_final_wan_yuan', 'aggregated.both_budget_wan_yuan') }} as execution_rate,
        cast(aggregated.unit_count_budget as integer) as unit_count_budget,
        cast(aggregated.unit_count_final as integer) as unit_count_final,
        cast(aggregated.unit_count_both as integer) as unit_count_both,
        cast(aggregated.unit_count_over_budget as integer) as unit_count_over_budget
    from aggregated
    left join {{ ref('dim_region') }} as regions
        on aggregated.region_code = regions.region_code
)

select * from final
