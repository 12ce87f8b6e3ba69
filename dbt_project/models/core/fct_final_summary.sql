-- Grain: one row per printed line (document_id × table_kind × row_no) of the two summary tables of
-- the latest revision of each unit's 决算: 收入支出决算总表 (final_income_expenditure_summary) and
-- 财政拨款收入支出决算总表 (final_appropriation_summary), the first of each kind in the document.
-- side is 收入 or 支出 (the table's left or right half); line_type names the lines the identities
-- use (总计 'total', 本年收入合计 'income_total', 本年支出合计 'expenditure_total', 年初/年末结转和结余
-- 'carry_forward_begin' / 'carry_forward_end', 使用非财政拨款结余 'non_appropriation_balance_used',
-- 结余分配 'balance_distribution'), every other line is 'line'. amount_wan_yuan is the line's 决算数
-- (the 合计 column where the table splits its 支出 side by fund: general_budget_wan_yuan …).
-- A line whose cells are all blank prints no amount and is not a row (stg_final_lines holds printed cells).
with cells as (
    select *
    from {{ ref('stg_final_lines') }}
    where is_latest_tables
        and table_kind in ('final_income_expenditure_summary', 'final_appropriation_summary')
),

first_tables as (
    select document_id, table_kind, min(table_no) as table_no
    from cells
    group by document_id, table_kind
),

lines as (
    select
        cells.document_id,
        cells.table_kind,
        cells.row_no,
        any_value(cells.table_no) as table_no,
        any_value(cells.table_title) as table_title,
        any_value(cells.unit_id) as unit_id,
        any_value(cells.fiscal_year) as fiscal_year,
        any_value(cells.disclosure_kind) as disclosure_kind,
        any_value(cells.budget_level) as budget_level,
        any_value(cells.revision) as revision,
        any_value(cells.side) as side,
        any_value(cells.line_label) as line_label,
        regexp_replace(coalesce(any_value(cells.line_label), ''), '[\s\x{3000}]', '', 'g') as squashed_label,
        min(cells.line_no) as line_no,
        max(cells.amount_wan_yuan) filter (where cells.column_meaning = 'amount') as printed_amount_wan_yuan,
        max(cells.amount_wan_yuan) filter (where cells.column_meaning = 'total') as printed_total_wan_yuan,
        max(cells.amount_wan_yuan) filter (where cells.column_meaning = 'general_budget') as general_budget_wan_yuan,
        max(cells.amount_wan_yuan) filter (where cells.column_meaning = 'government_fund') as government_fund_wan_yuan,
        max(cells.amount_wan_yuan) filter (where cells.column_meaning = 'state_capital') as state_capital_wan_yuan,
        any_value(cells.source_file) as source_file
    from cells
    inner join first_tables
        on cells.document_id = first_tables.document_id
            and cells.table_no = first_tables.table_no
    group by cells.document_id, cells.table_kind, cells.row_no
),

final as (
    select
        document_id,
        table_kind,
        row_no,
        table_no,
        table_title,
        unit_id,
        fiscal_year,
        disclosure_kind,
        budget_level,
        revision,
        side,
        line_label,
        case
            when squashed_label = '总计' then 'total'
            when squashed_label = '本年收入合计' then 'income_total'
            when squashed_label = '本年支出合计' then 'expenditure_total'
            when squashed_label like '%年初%结转和结余%' then 'carry_forward_begin'
            when squashed_label like '%年末%结转和结余%' then 'carry_forward_end'
            when squashed_label like '%使用非财政拨款结余%' then 'non_appropriation_balance_used'
            when squashed_label like '%结余分配%' then 'balance_distribution'
            else 'line'
        end as line_type,
        coalesce(printed_amount_wan_yuan, printed_total_wan_yuan) as amount_wan_yuan,
        general_budget_wan_yuan,
        government_fund_wan_yuan,
        state_capital_wan_yuan,
        line_no,
        source_file
    from lines
)

select * from final
