-- 项目支出绩效目标表: one row per project table.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_performance_targets') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(target_no as integer) as target_no,
        cast(project_name as varchar) as project_name,
        cast(budget_unit_name as varchar) as budget_unit_name,
        cast(target_year as integer) as target_year,
        cast(funds_total_wan_yuan as decimal(20, 6)) as funds_total_wan_yuan,
        cast(funds_fiscal_wan_yuan as decimal(20, 6)) as funds_fiscal_wan_yuan,
        cast(funds_other_wan_yuan as decimal(20, 6)) as funds_other_wan_yuan,
        cast(overall_goal as varchar) as overall_goal
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
