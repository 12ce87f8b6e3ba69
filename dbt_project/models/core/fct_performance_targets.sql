-- Grain: one row per 项目支出绩效目标表 (project performance target table) of latest revisions.
with targets as (
    select * from {{ ref('stg_performance_targets') }}
    where is_latest
),

final as (
    select
        document_id,
        target_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        project_name,
        budget_unit_name,
        target_year,
        funds_total_wan_yuan,
        funds_fiscal_wan_yuan,
        funds_other_wan_yuan,
        overall_goal,
        source_file
    from targets
)

select * from final
