-- Grain: one row per fiscal_year × region_code × functional_item_code: 表三 detail lines of the
-- latest revision of every unit's budget (预算) disclosure, summed over the units of the region,
-- with the same region × item's total of the previous fiscal year and the change.
with expenditure as (
    select * from {{ ref('fct_expenditure') }}
    where disclosure_kind = '预算'
      and fiscal_year is not null
),

units as (
    select * from {{ ref('dim_unit') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

classes as (
    select * from {{ ref('dim_functional_class') }}
),

aggregated as (
    select
        expenditure.fiscal_year,
        units.region_code,
        expenditure.functional_class_code,
        expenditure.functional_section_code,
        expenditure.functional_code as functional_item_code,
        sum(coalesce(expenditure.basic_wan_yuan, 0)) as basic_wan_yuan,
        sum(coalesce(expenditure.project_wan_yuan, 0)) as project_wan_yuan,
        -- the printed line total; a line that prints only its split counts as basic + project
        sum(coalesce(
            expenditure.total_wan_yuan,
            coalesce(expenditure.basic_wan_yuan, 0) + coalesce(expenditure.project_wan_yuan, 0)
        )) as total_wan_yuan,
        count(distinct expenditure.unit_id) as unit_count
    from expenditure
    inner join units
        on expenditure.unit_id = units.unit_id
    group by all
),

-- the same region × item one fiscal year earlier (null when that year has no such row)
with_prior as (
    select
        aggregated.*,
        prior_year.total_wan_yuan as prior_year_total_wan_yuan
    from aggregated
    left join aggregated as prior_year
        on aggregated.region_code = prior_year.region_code
        and aggregated.functional_item_code = prior_year.functional_item_code
        and aggregated.fiscal_year = prior_year.fiscal_year + 1
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
        cast(aggregated.basic_wan_yuan as decimal(20,6)) as basic_wan_yuan,
        cast(aggregated.project_wan_yuan as decimal(20,6)) as project_wan_yuan,
        cast(aggregated.total_wan_yuan as decimal(20,6)) as total_wan_yuan,
        cast(aggregated.unit_count as integer) as unit_count,
        cast(aggregated.prior_year_total_wan_yuan as decimal(20,6)) as prior_year_total_wan_yuan,
        cast(aggregated.total_wan_yuan - aggregated.prior_year_total_wan_yuan as decimal(20,6)) as yoy_change_wan_yuan
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
