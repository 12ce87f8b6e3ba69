-- Grain: one row per 项目支出绩效自评表 (project performance self-evaluation) of the latest revision of
-- each unit's 决算: the project, its 年度资金总额 line (年初预算数, 全年预算数, 全年执行数, the 执行率 as
-- printed and as computed, its 分值 and 得分), its 总分, and its indicators (count, 分值 and 得分 summed,
-- how many scored below their 分值). From stg_final_evaluation_lines (ingest/recognize/final_evaluation.py);
-- the form's own arithmetic is checked at ingest (FA-EVALUATION findings), not here.
with lines as (
    select *
    from {{ ref('stg_final_evaluation_lines') }}
    where is_latest_tables
        and fiscal_year is not null
),

-- the 年度资金总额 line of each form (its label as printed; the first funds line when it prints none)
funds as (
    select *
    from lines
    where line_kind = 'funds'
    qualify row_number() over (
            partition by document_id, evaluation_no
            order by fund_source = '年度资金总额' desc, row_no
        ) = 1
),

forms as (
    select
        document_id,
        evaluation_no,
        any_value(unit_id) as unit_id,
        any_value(fiscal_year) as fiscal_year,
        any_value(source_file) as source_file,
        any_value(project_name) as project_name,
        any_value(department) as department,
        any_value(implementing_unit) as implementing_unit,
        max(score) filter (where line_kind = 'total') as total_score,
        count(*) filter (where line_kind = 'indicator') as indicator_count,
        sum(weight) filter (where line_kind = 'indicator') as indicator_weight,
        sum(score) filter (where line_kind = 'indicator') as indicator_score,
        count(*) filter (where line_kind = 'indicator' and score < weight) as indicators_below_weight
    from lines
    group by document_id, evaluation_no
),

units as (
    select * from {{ ref('dim_unit') }}
),

final as (
    select
        cast(forms.fiscal_year as integer) as fiscal_year,
        cast(forms.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(forms.evaluation_no as integer) as evaluation_no,
        cast(forms.project_name as varchar) as project_name,
        cast(forms.department as varchar) as department,
        cast(forms.implementing_unit as varchar) as implementing_unit,
        cast(funds.initial_budget_wan_yuan as decimal(20, 6)) as initial_budget_wan_yuan,
        cast(funds.full_year_budget_wan_yuan as decimal(20, 6)) as full_year_budget_wan_yuan,
        cast(funds.executed_wan_yuan as decimal(20, 6)) as executed_wan_yuan,
        {{ exact_ratio('funds.executed_wan_yuan', 'funds.full_year_budget_wan_yuan') }} as execution_rate,
        cast(funds.execution_rate_pct as decimal(20, 6)) as printed_execution_rate_pct,
        cast(funds.weight as decimal(20, 6)) as funds_weight,
        cast(funds.score as decimal(20, 6)) as funds_score,
        cast(forms.total_score as decimal(20, 6)) as total_score,
        cast(forms.indicator_count as integer) as indicator_count,
        cast(forms.indicator_weight as decimal(20, 6)) as indicator_weight,
        cast(forms.indicator_score as decimal(20, 6)) as indicator_score,
        cast(forms.indicators_below_weight as integer) as indicators_below_weight,
        cast(forms.document_id as varchar) as document_id,
        cast(forms.source_file as varchar) as source_file
    from forms
    left join funds
        on forms.document_id = funds.document_id
            and forms.evaluation_no = funds.evaluation_no
    left join units
        on forms.unit_id = units.unit_id
)

select * from final
