-- Grain: one row per fiscal_year × unit_id whose latest budget (预算) disclosure states its
-- state-owned assets (国有资产占用使用情况), as of the date the narrative gives.
with assets as (
    select
        *,
        row_number() over (partition by document_id, asset_key, subject order by fact_no) as fact_rank
    from {{ ref('fct_assets') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
        -- per-kind lines (assets.vehicle_kind.*) carry the kind in `subject`; totals have none
        and subject is null
),

pivoted as (
    select
        fiscal_year,
        unit_id,
        -- the latest revision's narrative: one document per unit-year
        any_value(document_id) as document_id,
        any_value(source_file) as source_file,
        min(as_of_date) as as_of_date,
        max(value) filter (where asset_key = 'building.area_m2') as building_area_m2,
        max(value) filter (where asset_key = 'building.value') as building_value_wan_yuan,
        max(value) filter (where asset_key = 'vehicle.count') as vehicle_count,
        max(value) filter (where asset_key = 'vehicle.value') as vehicle_value_wan_yuan,
        max(value) filter (where asset_key = 'furniture.value') as furniture_value_wan_yuan,
        max(value) filter (where asset_key = 'other.value') as other_assets_value_wan_yuan,
        max(value) filter (where asset_key = 'equipment_over_500k.count') as equipment_over_500k_count,
        max(value) filter (where asset_key = 'equipment_over_1m.count') as equipment_over_1m_count
    from assets
    where fact_rank = 1
    group by fiscal_year, unit_id
),

units as (
    select * from {{ ref('dim_unit') }}
),

final as (
    select
        cast(pivoted.fiscal_year as integer) as fiscal_year,
        cast(pivoted.unit_id as varchar) as unit_id,
        cast(units.region_code as varchar) as region_code,
        cast(pivoted.as_of_date as date) as as_of_date,
        cast(pivoted.building_area_m2 as decimal(20, 6)) as building_area_m2,
        cast(pivoted.building_value_wan_yuan as decimal(20, 6)) as building_value_wan_yuan,
        cast(pivoted.vehicle_count as integer) as vehicle_count,
        cast(pivoted.vehicle_value_wan_yuan as decimal(20, 6)) as vehicle_value_wan_yuan,
        cast(pivoted.furniture_value_wan_yuan as decimal(20, 6)) as furniture_value_wan_yuan,
        cast(pivoted.other_assets_value_wan_yuan as decimal(20, 6)) as other_assets_value_wan_yuan,
        cast(pivoted.equipment_over_500k_count as integer) as equipment_over_500k_count,
        cast(pivoted.equipment_over_1m_count as integer) as equipment_over_1m_count,
        cast(pivoted.document_id as varchar) as document_id,
        cast(pivoted.source_file as varchar) as source_file
    from pivoted
    left join units
        on pivoted.unit_id = units.unit_id
)

select * from final
