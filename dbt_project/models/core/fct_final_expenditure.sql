-- Grain: one row per printed line (document_id × table_kind × row_no) of the functional-code tables
-- of the latest revision of each unit's 决算 (final accounts): 支出决算表 (final_expenditure),
-- 一般公共预算财政拨款支出决算表 (final_general_budget_expenditure), 政府性基金预算财政拨款收入支出决算表
-- (final_government_fund) and 国有资本经营预算财政拨款支出决算表 (final_state_capital); the first table
-- of each kind in the document (a repeated one is the recognizer's business). Read from
-- stg_final_lines (one row per printed amount cell), pivoted by column meaning.
-- A line is its table's 合计 line (is_total, no code) or a line with a functional code; the
-- code is conformed like fct_expenditure's (malformed or unknown 类 → 'unknown'). is_leaf: no other
-- line of the same table has a longer code under it (the lines the execution marts add up).
-- A blank cell of a printed line is 0 for 本年支出 合计/基本/项目 (templates print zeros as blank cells);
-- adjusted_budget_wan_yuan (调整预算) is null unless the table prints that column (a cell of meaning
-- 'adjusted_budget' anywhere in it), then a blank cell is 0 too.
with cells as (
    select *
    from {{ ref('stg_final_lines') }}
    where is_latest_tables
        and table_kind in (
            'final_expenditure', 'final_general_budget_expenditure', 'final_government_fund', 'final_state_capital'
        )
),

first_tables as (
    select document_id, table_kind, min(table_no) as table_no
    from cells
    group by document_id, table_kind
),

table_cells as (
    select cells.*
    from cells
    inner join first_tables
        on cells.document_id = first_tables.document_id
            and cells.table_no = first_tables.table_no
),

lines as (
    select
        document_id,
        table_no,
        table_kind,
        row_no,
        any_value(table_title) as table_title,
        any_value(unit_id) as unit_id,
        any_value(fiscal_year) as fiscal_year,
        any_value(disclosure_kind) as disclosure_kind,
        any_value(budget_level) as budget_level,
        any_value(revision) as revision,
        any_value(source_file) as source_file,
        any_value(unit_name) as printed_unit_name,
        any_value(functional_code) as printed_functional_code,
        any_value(line_label) as printed_line_label,
        regexp_replace(coalesce(any_value(line_label), ''), '[\s\x{3000}]', '', 'g') as squashed_label,
        min(line_no) as line_no,
        max(amount_wan_yuan) filter (where column_meaning = 'total') as printed_total_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'basic') as printed_basic_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'project') as printed_project_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'adjusted_budget') as printed_adjusted_budget_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'carry_forward_begin') as carry_forward_begin_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'income') as income_wan_yuan,
        max(amount_wan_yuan) filter (where column_meaning = 'carry_forward_end') as carry_forward_end_wan_yuan,
        count(*) filter (where column_meaning in ('total', 'basic', 'project')) as expenditure_cells
    from table_cells
    group by document_id, table_no, table_kind, row_no
),

-- does the table print a 调整预算 column at all?
adjusted_tables as (
    select distinct document_id, table_no
    from table_cells
    where column_meaning = 'adjusted_budget'
),

coded as (
    select
        lines.*,
        lines.squashed_label in ('合计', '总计') and lines.printed_functional_code is null as is_total,
        adjusted_tables.table_no is not null as prints_adjusted_budget
    from lines
    left join adjusted_tables
        on lines.document_id = adjusted_tables.document_id
            and lines.table_no = adjusted_tables.table_no
    where lines.printed_functional_code is not null
        or lines.squashed_label in ('合计', '总计')
),

final as (
    select
        parent.document_id,
        parent.table_kind,
        parent.row_no,
        parent.table_no,
        parent.table_title,
        parent.unit_id,
        parent.fiscal_year,
        parent.disclosure_kind,
        parent.budget_level,
        parent.revision,
        parent.is_total,
        not parent.is_total and not exists (
            select 1
            from coded as child
            where child.document_id = parent.document_id
                and child.table_no = parent.table_no
                and length(child.printed_functional_code) > length(parent.printed_functional_code)
                and starts_with(child.printed_functional_code, parent.printed_functional_code)
        ) as is_leaf,
        case when parent.is_total then null else functional_code end as functional_code,
        case when parent.is_total then null else functional_level end as functional_level,
        case when parent.is_total then null else functional_class_code end as functional_class_code,
        case when parent.is_total then null else functional_section_code end as functional_section_code,
        parent.printed_functional_code,
        parent.printed_line_label as printed_functional_name,
        -- 本年支出 合计: as printed, else (a line printing only its split) 基本 + 项目; a blank cell is 0
        coalesce(
            parent.printed_total_wan_yuan,
            case when parent.expenditure_cells > 0
                    then coalesce(parent.printed_basic_wan_yuan, 0) + coalesce(parent.printed_project_wan_yuan, 0)
            end
        ) as total_wan_yuan,
        case when parent.expenditure_cells > 0 then coalesce(parent.printed_basic_wan_yuan, 0) end as basic_wan_yuan,
        case when parent.expenditure_cells > 0 then coalesce(parent.printed_project_wan_yuan, 0) end as project_wan_yuan,
        case when parent.prints_adjusted_budget then coalesce(parent.printed_adjusted_budget_wan_yuan, 0) end
            as adjusted_budget_wan_yuan,
        parent.carry_forward_begin_wan_yuan,
        parent.income_wan_yuan,
        parent.carry_forward_end_wan_yuan,
        parent.line_no,
        parent.source_file,
        parent.printed_unit_name
    from (
        select
            coded.*,
            {{ conformed_functional_columns('coded.printed_functional_code') }}
        from coded
    ) as parent
)

select * from final
