-- 决算 项目支出绩效自评表 (project performance self-evaluations): one row per line of every form — its
-- 年度资金总额 lines by source, its 年度总体目标, each indicator and its 总分
-- (ingest/recognize/final_evaluation.py; kind final_performance_self_evaluation in table_kinds.yaml).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
-- Read by marts.mart_performance_evaluations (one row per form).
with source as (
    select * from {{ source('lake', 'raw_final_evaluation_lines') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(evaluation_no as integer) as evaluation_no,
        cast(evaluation_title as varchar) as evaluation_title,
        cast(project_name as varchar) as project_name,
        cast(department as varchar) as department,
        cast(implementing_unit as varchar) as implementing_unit,
        cast(row_no as integer) as row_no,
        cast(line_kind as varchar) as line_kind,
        cast(fund_source as varchar) as fund_source,
        cast(initial_budget_wan_yuan as decimal(20, 6)) as initial_budget_wan_yuan,
        cast(full_year_budget_wan_yuan as decimal(20, 6)) as full_year_budget_wan_yuan,
        cast(executed_wan_yuan as decimal(20, 6)) as executed_wan_yuan,
        cast(execution_rate_pct as decimal(20, 6)) as execution_rate_pct,
        cast(level1 as varchar) as level1,
        cast(level2 as varchar) as level2,
        cast(level3 as varchar) as level3,
        cast(target_value as varchar) as target_value,
        cast(actual_value as varchar) as actual_value,
        cast(weight as decimal(20, 6)) as weight,
        cast(score as decimal(20, 6)) as score,
        cast(deviation_reason as varchar) as deviation_reason,
        cast(line_no as integer) as line_no
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
