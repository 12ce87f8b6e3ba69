-- 单位概况: staffing and internal organisation (one row per document).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_unit_profile') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(authorized_staff as integer) as authorized_staff,
        cast(actual_staff as integer) as actual_staff,
        cast(in_service_staff as integer) as in_service_staff,
        cast(in_service_change as integer) as in_service_change,
        cast(retired_staff as integer) as retired_staff,
        cast(retired_change as integer) as retired_change,
        cast(separated_staff as integer) as separated_staff,
        cast(separated_change as integer) as separated_change,
        cast(internal_department_count as integer) as internal_department_count,
        cast(internal_department_names as varchar) as internal_department_names,
        cast(subordinate_unit_count as integer) as subordinate_unit_count,
        cast(sentence as varchar) as sentence
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
