-- Grain: one row per document_id × item of the “三公”经费支出决算表 (final_three_public) of the latest
-- revision of each unit's 决算: the six items the table prints (合计, 因公出国（境）费, 公务用车购置及
-- 运行维护费 and its 购置费 / 运行维护费, 公务接待费), each with the 预算数 and the 决算数 it prints.
-- Templates print zeros as blank cells, so a blank cell of a printed table is 0 (budget_printed /
-- final_printed say whether the cell was printed). A table is known to be printed when at least
-- one of its cells is (stg_final_lines holds printed cells only): a 三公 table printed wholly blank
-- cannot be told from an absent one and gives no rows. The first such table of the document counts.
with cells as (
    select *
    from {{ ref('stg_final_lines') }}
    where is_latest_tables
        and table_kind = 'final_three_public'
),

first_tables as (
    select document_id, min(table_no) as table_no
    from cells
    group by document_id
),

table_cells as (
    select cells.*
    from cells
    inner join first_tables
        on cells.document_id = first_tables.document_id
            and cells.table_no = first_tables.table_no
),

items as (
    select 1 as item_order, 'three_public_total' as column_meaning, 'total' as item, '合计' as item_name
    union all
    select 2, 'three_public_outbound', 'overseas_travel', '因公出国（境）费'
    union all
    select 3, 'three_public_vehicle_total', 'vehicle_total', '公务用车购置及运行维护费'
    union all
    select 4, 'three_public_vehicle_purchase', 'vehicle_purchase', '公务用车购置费'
    union all
    select 5, 'three_public_vehicle_operation', 'vehicle_operation', '公务用车运行维护费'
    union all
    select 6, 'three_public_reception', 'official_reception', '公务接待费'
),

documents as (
    select
        document_id,
        any_value(table_no) as table_no,
        any_value(table_title) as table_title,
        any_value(unit_id) as unit_id,
        any_value(fiscal_year) as fiscal_year,
        any_value(disclosure_kind) as disclosure_kind,
        any_value(budget_level) as budget_level,
        any_value(revision) as revision,
        any_value(source_file) as source_file
    from table_cells
    group by document_id
),

final as (
    select
        documents.document_id,
        items.item,
        items.item_name,
        items.item_order,
        documents.unit_id,
        documents.fiscal_year,
        documents.disclosure_kind,
        documents.budget_level,
        documents.revision,
        documents.table_title,
        cast(coalesce(max(cells.amount_wan_yuan) filter (where cells.side = '预算数'), 0) as decimal(20, 6))
            as budget_wan_yuan,
        cast(coalesce(max(cells.amount_wan_yuan) filter (where cells.side = '决算数'), 0) as decimal(20, 6))
            as final_wan_yuan,
        count(cells.amount_wan_yuan) filter (where cells.side = '预算数') > 0 as budget_printed,
        count(cells.amount_wan_yuan) filter (where cells.side = '决算数') > 0 as final_printed,
        documents.source_file
    from documents
    cross join items
    left join table_cells as cells
        on documents.document_id = cells.document_id
            and items.column_meaning = cells.column_meaning
    group by all
)

select * from final
