-- Grain: one row per latest-revision document with a 单位概况 staffing row.
with profiles as (
    select
        *,
        row_number() over (partition by document_id order by loaded_at) as profile_rank
    from {{ ref('stg_unit_profile') }}
    where is_latest_narrative  -- the disclosure's narrative (a whole or its narrative part)
),

final as (
    select
        document_id,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        authorized_staff,
        actual_staff,
        in_service_staff,
        in_service_change,
        retired_staff,
        retired_change,
        separated_staff,
        separated_change,
        internal_department_count,
        internal_department_names,
        subordinate_unit_count,
        sentence,
        source_file
    from profiles
    where profile_rank = 1
)

select * from final
