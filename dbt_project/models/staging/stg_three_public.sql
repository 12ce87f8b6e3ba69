-- 表八 一般公共预算“三公”经费支出情况表 (one row per document).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_three_public') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(row_no as integer) as row_no,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(overseas_travel_wan_yuan as decimal(20, 6)) as overseas_travel_wan_yuan,
        cast(vehicle_total_wan_yuan as decimal(20, 6)) as vehicle_total_wan_yuan,
        cast(vehicle_purchase_wan_yuan as decimal(20, 6)) as vehicle_purchase_wan_yuan,
        cast(vehicle_operation_wan_yuan as decimal(20, 6)) as vehicle_operation_wan_yuan,
        cast(official_reception_wan_yuan as decimal(20, 6)) as official_reception_wan_yuan
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
