-- Grain: one row per fiscal_year × region_code × rollup_level (类 / 款 / 项) × functional_code:
-- the 表三 detail lines of mart_regional_spending summed at each level of the functional
-- classification, for every region and for the prefecture total '652300-ALL' (the eight
-- divisions together; unregistered units, region '000000', have their own rows and are not in
-- the prefecture total until they are registered). Filter on rollup_level to avoid double counting.
with expenditure as (
    {{ budget_expenditure_with_region() }}
),

-- every line once per region it counts in: its own region, and the prefecture total
placed as (
    {{ placed_with_prefecture_total('expenditure') }}
),

leveled as (
    select placed.*, '类' as rollup_level, functional_class_code as rollup_code from placed
    union all
    -- a line printed only down to 类 stays at its 类 code on the 款 level
    select placed.*, '款', coalesce(functional_section_code, functional_code) from placed
    union all
    select placed.*, '项', functional_code from placed
),

aggregated as (
    select
        fiscal_year,
        rollup_region_code as region_code,
        rollup_level,
        rollup_code as functional_code,
        {{ spending_sums() }}
    from leveled
    group by all
),

with_prior as (
    {{ with_prior_year_total('aggregated', ['region_code', 'rollup_level', 'functional_code']) }}
),

final as (
    select
        cast(with_prior.fiscal_year as integer) as fiscal_year,
        cast(with_prior.region_code as varchar) as region_code,
        cast(regions.region_name as varchar) as region_name,
        cast(with_prior.rollup_level as varchar) as rollup_level,
        cast(with_prior.functional_code as varchar) as functional_code,
        cast(classes.name as varchar) as functional_name,
        cast(classes.class_code as varchar) as functional_class_code,
        cast(with_prior.basic_wan_yuan as decimal(20, 6)) as basic_wan_yuan,
        cast(with_prior.project_wan_yuan as decimal(20, 6)) as project_wan_yuan,
        cast(with_prior.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(with_prior.unit_count as integer) as unit_count,
        cast(with_prior.prior_year_total_wan_yuan as decimal(20, 6)) as prior_year_total_wan_yuan,
        cast(with_prior.total_wan_yuan - with_prior.prior_year_total_wan_yuan as decimal(20, 6)) as yoy_change_wan_yuan
    from with_prior
    left join {{ ref('dim_region') }} as regions
        on with_prior.region_code = regions.region_code
    left join {{ ref('dim_functional_class') }} as classes
        on with_prior.functional_code = classes.functional_code
)

select * from final
