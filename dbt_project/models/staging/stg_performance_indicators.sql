-- 项目支出绩效目标表 indicators: 一级/二级/三级 with target value as printed and parsed.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_performance_indicators') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(target_no as integer) as target_no,
        cast(project_name as varchar) as project_name,
        cast(indicator_no as integer) as indicator_no,
        cast(level1 as varchar) as level1,
        cast(level2 as varchar) as level2,
        cast(level3 as varchar) as level3,
        cast(target_value as varchar) as target_value,
        cast(comparator as varchar) as comparator,
        cast(target_number as decimal(20, 6)) as target_number,
        cast(target_number_high as decimal(20, 6)) as target_number_high,
        cast(target_unit as varchar) as target_unit
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
