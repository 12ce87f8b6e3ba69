-- 表八 一般公共预算“三公”经费支出情况表 (one row per document).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_three_public') }}
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
        cast(row_no as integer) as row_no,
        cast(total_wan_yuan as decimal(20,6)) as total_wan_yuan,
        cast(overseas_travel_wan_yuan as decimal(20,6)) as overseas_travel_wan_yuan,
        cast(vehicle_total_wan_yuan as decimal(20,6)) as vehicle_total_wan_yuan,
        cast(vehicle_purchase_wan_yuan as decimal(20,6)) as vehicle_purchase_wan_yuan,
        cast(vehicle_operation_wan_yuan as decimal(20,6)) as vehicle_operation_wan_yuan,
        cast(official_reception_wan_yuan as decimal(20,6)) as official_reception_wan_yuan
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
