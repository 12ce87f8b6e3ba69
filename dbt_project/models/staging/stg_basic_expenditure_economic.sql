-- 表六 一般公共预算基本支出情况表: basic expenditure by economic code × 人员经费/公用经费.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_basic_expenditure_economic') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(row_no as integer) as row_no,
        cast(nullif(trim(economic_code), '') as varchar) as economic_code,
        cast(economic_name as varchar) as economic_name,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(personnel_wan_yuan as decimal(20, 6)) as personnel_wan_yuan,
        cast(public_use_wan_yuan as decimal(20, 6)) as public_use_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
