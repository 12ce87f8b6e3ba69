-- Grain: one row per county-level division of 昌吉回族自治州 (652300 = 州本级 and the 7
-- cities/counties), plus the prefecture total '652300-ALL' (全州合计: every division together; it is
-- not 652300, which is 州本级, the prefecture's own departments) and one explicit unknown member
-- '000000' for units that are not in the unit registry yet.
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
        false as is_unknown_member,
        false as is_prefecture_total
    from regions
    union all
    select {{ prefecture_total_code() }}, '昌吉回族自治州（全州合计）', '全州合计', '652300', '昌吉回族自治州', false, true
    union all
    select '000000', '(未登记地区 unknown)', null, null, null, true, false
)

select * from final
