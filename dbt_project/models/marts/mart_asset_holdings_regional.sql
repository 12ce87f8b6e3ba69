-- Grain: one row per fiscal_year × region_code (the eight divisions, '000000', and the prefecture
-- total '652300-ALL' = the eight divisions): mart_asset_holdings summed over the region's units.
with units as (
    select * from {{ ref('mart_asset_holdings') }}
),

placed as (
    {{ placed_with_prefecture_total('units') }}
),

final as (
    select
        cast(placed.fiscal_year as integer) as fiscal_year,
        cast(placed.rollup_region_code as varchar) as region_code,
        cast(any_value(regions.region_name) as varchar) as region_name,
        cast(count(*) as integer) as unit_count,
        cast(sum(placed.building_area_m2) as decimal(20, 6)) as building_area_m2,
        cast(sum(placed.building_value_wan_yuan) as decimal(20, 6)) as building_value_wan_yuan,
        cast(sum(placed.vehicle_count) as integer) as vehicle_count,
        cast(sum(placed.vehicle_value_wan_yuan) as decimal(20, 6)) as vehicle_value_wan_yuan,
        cast(sum(placed.furniture_value_wan_yuan) as decimal(20, 6)) as furniture_value_wan_yuan,
        cast(sum(placed.other_assets_value_wan_yuan) as decimal(20, 6)) as other_assets_value_wan_yuan,
        cast(sum(placed.equipment_over_500k_count) as integer) as equipment_over_500k_count,
        cast(sum(placed.equipment_over_1m_count) as integer) as equipment_over_1m_count
    from placed
    left join {{ ref('dim_region') }} as regions
        on placed.rollup_region_code = regions.region_code
    group by placed.fiscal_year, placed.rollup_region_code
)

select * from final
