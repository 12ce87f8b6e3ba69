-- Grain: one row per fiscal_year × region_code (the eight divisions, '000000' for unregistered
-- units, and the prefecture total '652300-ALL' = the eight divisions): mart_three_public_trends
-- summed over the units of the region.
with units as (
    select * from {{ ref('mart_three_public_trends') }}
),

placed as (
    {{ placed_with_prefecture_total('units') }}
),

aggregated as (
    select
        fiscal_year,
        rollup_region_code as region_code,
        sum(overseas_travel_wan_yuan) as overseas_travel_wan_yuan,
        sum(vehicle_purchase_wan_yuan) as vehicle_purchase_wan_yuan,
        sum(vehicle_operation_wan_yuan) as vehicle_operation_wan_yuan,
        sum(official_reception_wan_yuan) as official_reception_wan_yuan,
        sum(total_wan_yuan) as total_wan_yuan,
        count(*) as unit_count,
        count(prior_year_total_wan_yuan) as prior_year_unit_count,
        sum(prior_year_total_wan_yuan) as prior_year_total_wan_yuan,
        sum(in_service_staff) as in_service_staff,
        count(in_service_staff) as staffed_unit_count,
        -- numerator of the per-staff figure: only units whose staff number is known
        sum(total_wan_yuan) filter (where in_service_staff is not null) as staffed_total_wan_yuan
    from placed
    group by all
),

final as (
    select
        cast(aggregated.fiscal_year as integer) as fiscal_year,
        cast(aggregated.region_code as varchar) as region_code,
        cast(regions.region_name as varchar) as region_name,
        cast(aggregated.overseas_travel_wan_yuan as decimal(20, 6)) as overseas_travel_wan_yuan,
        cast(aggregated.vehicle_purchase_wan_yuan as decimal(20, 6)) as vehicle_purchase_wan_yuan,
        cast(aggregated.vehicle_operation_wan_yuan as decimal(20, 6)) as vehicle_operation_wan_yuan,
        cast(aggregated.official_reception_wan_yuan as decimal(20, 6)) as official_reception_wan_yuan,
        cast(aggregated.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(aggregated.unit_count as integer) as unit_count,
        -- prior year only when every unit of the row has one (else the sums are not comparable)
        cast(case when aggregated.prior_year_unit_count = aggregated.unit_count
                then aggregated.prior_year_total_wan_yuan
        end as decimal(20, 6)) as prior_year_total_wan_yuan,
        cast(case when aggregated.prior_year_unit_count = aggregated.unit_count
                then aggregated.total_wan_yuan - aggregated.prior_year_total_wan_yuan
        end as decimal(20, 6))
            as yoy_change_wan_yuan,
        cast(aggregated.in_service_staff as integer) as in_service_staff,
        {{ exact_div('aggregated.staffed_total_wan_yuan', 'aggregated.in_service_staff') }} as per_in_service_staff_wan_yuan
    from aggregated
    left join {{ ref('dim_region') }} as regions
        on aggregated.region_code = regions.region_code
)

select * from final
