-- Grain: one row per county-level division of 昌吉回族自治州 (plus 州本级), and one explicit
-- unknown member '000000' for units that are not in the unit registry yet.
with regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        cast(region_code as varchar) as region_code,
        cast(region_name as varchar) as region_name,
        cast(region_type as varchar) as region_type,
        cast(prefecture_code as varchar) as prefecture_code,
        cast(prefecture_name as varchar) as prefecture_name,
        false as is_unknown_member
    from regions
    union all
    select '000000', '(未登记地区 unknown)', null, null, null, true
)

select * from final
