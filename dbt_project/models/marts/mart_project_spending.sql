-- Grain: one row per project line of 表七 (not 合计) of the latest budget (预算) disclosure of a
-- unit-year (fiscal_year × unit_id × row_no), with its 项目支出绩效目标表 matched on the project
-- name (same normalization as unit names; a target table printed under another name is not
-- matched and its columns are null).
with projects as (
    select * from {{ ref('fct_project_expenditure') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
),

targets as (
    select
        *,
        {{ normalize_name('project_name') }} as name_key,
        row_number() over (partition by document_id, {{ normalize_name('project_name') }} order by target_no) as target_rank
    from {{ ref('fct_performance_targets') }}
),

indicators as (
    select
        document_id,
        target_no,
        count(*) as indicator_count,
        -- 成本指标: the first cost indicator's parsed number (万元 as printed)
        arg_min(target_number, indicator_no) filter (where level2 = '成本指标') as cost_indicator_wan_yuan
    from {{ ref('fct_performance_indicators') }}
    group by document_id, target_no
),

final as (
    select
        cast(projects.fiscal_year as integer) as fiscal_year,
        cast(projects.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(projects.row_no as integer) as row_no,
        cast(projects.project_name as varchar) as project_name,
        cast(projects.functional_code as varchar) as functional_code,
        cast(projects.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(projects.goods_services_wan_yuan as decimal(20, 6)) as goods_services_wan_yuan,
        cast(projects.individual_family_subsidy_wan_yuan as decimal(20, 6)) as individual_family_subsidy_wan_yuan,
        cast(projects.capital_wan_yuan as decimal(20, 6)) as capital_wan_yuan,
        targets.target_no is not null as has_performance_target,
        cast(targets.funds_total_wan_yuan as decimal(20, 6)) as target_funds_total_wan_yuan,
        cast(targets.funds_fiscal_wan_yuan as decimal(20, 6)) as target_funds_fiscal_wan_yuan,
        cast(indicators.indicator_count as integer) as indicator_count,
        cast(indicators.cost_indicator_wan_yuan as decimal(20, 6)) as cost_indicator_wan_yuan,
        cast(projects.document_id as varchar) as document_id,
        cast(projects.source_file as varchar) as source_file
    from projects
    left join targets
        on projects.document_id = targets.document_id
            and {{ normalize_name('projects.project_name') }} = targets.name_key
            and targets.target_rank = 1
    left join indicators
        on targets.document_id = indicators.document_id
            and targets.target_no = indicators.target_no
    left join {{ ref('dim_unit') }} as units
        on projects.unit_id = units.unit_id
)

select * from final
