-- 单位概况: staffing and internal organisation (one row per document).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_unit_profile') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id,
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
    select
        renamed.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.is_latest
    from renamed
    left join {{ ref('int_document_revisions') }} as revisions
        on renamed.document_id = revisions.document_id
)

select * from final
