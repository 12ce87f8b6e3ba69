-- Grain: one row per fiscal_year × region_code (the eight divisions, '000000', and the prefecture
-- total '652300-ALL' = the eight divisions): mart_staffing summed over the region's units.
with units as (
    select * from {{ ref('mart_staffing') }}
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
        cast(sum(placed.authorized_staff) as integer) as authorized_staff,
        cast(sum(placed.actual_staff) as integer) as actual_staff,
        cast(sum(placed.in_service_staff) as integer) as in_service_staff,
        cast(sum(placed.in_service_change) as integer) as in_service_change,
        cast(sum(placed.retired_staff) as integer) as retired_staff,
        cast(sum(placed.retired_change) as integer) as retired_change,
        cast(sum(placed.separated_staff) as integer) as separated_staff,
        cast(sum(placed.separated_change) as integer) as separated_change
    from placed
    left join {{ ref('dim_region') }} as regions
        on placed.rollup_region_code = regions.region_code
    group by placed.fiscal_year, placed.rollup_region_code
)

select * from final
