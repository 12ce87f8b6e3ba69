-- Grain: one row per fiscal_year × unit_id whose latest budget (预算) disclosure states its
-- staffing in 单位概况 (编制/实有/在职/退休/离休, with the changes the profile states).
with profiles as (
    select * from {{ ref('fct_unit_profile') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
),

final as (
    select
        cast(profiles.fiscal_year as integer) as fiscal_year,
        cast(profiles.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(profiles.authorized_staff as integer) as authorized_staff,
        cast(profiles.actual_staff as integer) as actual_staff,
        cast(profiles.in_service_staff as integer) as in_service_staff,
        cast(profiles.in_service_change as integer) as in_service_change,
        cast(profiles.retired_staff as integer) as retired_staff,
        cast(profiles.retired_change as integer) as retired_change,
        cast(profiles.separated_staff as integer) as separated_staff,
        cast(profiles.separated_change as integer) as separated_change,
        cast(profiles.document_id as varchar) as document_id,
        cast(profiles.source_file as varchar) as source_file
    from profiles
    left join {{ ref('dim_unit') }} as units
        on profiles.unit_id = units.unit_id
)

select * from final
