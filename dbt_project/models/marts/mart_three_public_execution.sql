-- Grain: one row per fiscal_year × unit_id × item (overseas_travel, vehicle_purchase,
-- vehicle_operation, official_reception, total): the unit's “三公”经费 in its own 预算 disclosure of
-- the year (表八, fct_three_public) against the 预算数 and the 决算数 its 决算 prints
-- (fct_final_three_public). A FULL OUTER JOIN: an item with only one document kind loaded has the
-- other side null. A blank cell of a printed 表八 / 三公 决算 table is 0 (templates print zeros as
-- blank cells); no document of that kind loaded (or no such table in it) → null.
-- Latest revision of each document kind; a 决算 never replaces a 预算, both are named on the row.
with budget_tables as (
    select * from {{ ref('fct_three_public') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
),

budget_side as (
    select document_id, unit_id, fiscal_year, source_file, item, coalesce(amount, 0) as budget_wan_yuan
    from (
        select
            document_id,
            unit_id,
            fiscal_year,
            source_file,
            total_wan_yuan as total,
            overseas_travel_wan_yuan as overseas_travel,
            vehicle_purchase_wan_yuan as vehicle_purchase,
            vehicle_operation_wan_yuan as vehicle_operation,
            official_reception_wan_yuan as official_reception
        from budget_tables
    ) unpivot include nulls (amount for item in (
        total, overseas_travel, vehicle_purchase, vehicle_operation, official_reception
    ))
),

final_side as (
    select *
    from {{ ref('fct_final_three_public') }}
    where disclosure_kind = '决算'
        and fiscal_year is not null
        and item in ('total', 'overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'official_reception')
),

joined as (
    select
        coalesce(budget_side.fiscal_year, final_side.fiscal_year) as fiscal_year,
        coalesce(budget_side.unit_id, final_side.unit_id) as unit_id,
        coalesce(budget_side.item, final_side.item) as item,
        budget_side.budget_wan_yuan,
        final_side.budget_wan_yuan as final_budget_wan_yuan,
        final_side.final_wan_yuan,
        budget_side.document_id as budget_document_id,
        budget_side.source_file as budget_source_file,
        final_side.document_id as final_document_id,
        final_side.source_file as final_source_file
    from budget_side
    full outer join final_side
        on budget_side.unit_id = final_side.unit_id
            and budget_side.fiscal_year = final_side.fiscal_year
            and budget_side.item = final_side.item
),

units as (
    select * from {{ ref('dim_unit') }}
),

final as (
    select
        cast(joined.fiscal_year as integer) as fiscal_year,
        cast(joined.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(joined.item as varchar) as item,
        cast(case joined.item
            when 'overseas_travel' then '因公出国（境）费'
            when 'vehicle_purchase' then '公务用车购置费'
            when 'vehicle_operation' then '公务用车运行维护费'
            when 'official_reception' then '公务接待费'
            when 'total' then '合计'
        end as varchar) as item_name,
        cast(joined.budget_wan_yuan as decimal(20, 6)) as budget_wan_yuan,
        cast(joined.final_budget_wan_yuan as decimal(20, 6)) as final_budget_wan_yuan,
        cast(joined.final_wan_yuan as decimal(20, 6)) as final_wan_yuan,
        cast(joined.final_wan_yuan - joined.budget_wan_yuan as decimal(20, 6)) as difference_wan_yuan,
        {{ exact_ratio('joined.final_wan_yuan', 'joined.budget_wan_yuan') }} as execution_rate,
        cast(joined.final_wan_yuan <= joined.budget_wan_yuan as boolean) as within_budget,
        cast(joined.budget_document_id as varchar) as budget_document_id,
        cast(joined.budget_source_file as varchar) as budget_source_file,
        cast(joined.final_document_id as varchar) as final_document_id,
        cast(joined.final_source_file as varchar) as final_source_file
    from joined
    left join units
        on joined.unit_id = units.unit_id
)

select * from final
