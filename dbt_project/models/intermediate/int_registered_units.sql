-- Grain: one row per registered budget unit: the bureau's registry (unit_registry) and the
-- registry of the synthetic demo units (synthetic_unit_registry, ids 'SYN-…', names ending
-- （模拟）), kept apart by is_synthetic so real and synthetic units can never be mixed up.
with real_units as (
    select *, false as is_synthetic from {{ ref('unit_registry') }}
),

synthetic_units as (
    select *, true as is_synthetic from {{ ref('synthetic_unit_registry') }}
),

final as (
    select
        cast(unit_id as varchar) as unit_id,
        cast(unit_name as varchar) as unit_name,
        cast(aliases as varchar) as aliases,
        cast(region_code as varchar) as region_code,
        cast(level as varchar) as level,
        cast(supervising_department as varchar) as supervising_department,
        is_synthetic
    from real_units
    union all
    select
        cast(unit_id as varchar),
        cast(unit_name as varchar),
        cast(aliases as varchar),
        cast(region_code as varchar),
        cast(level as varchar),
        cast(supervising_department as varchar),
        is_synthetic
    from synthetic_units
)

select * from final
