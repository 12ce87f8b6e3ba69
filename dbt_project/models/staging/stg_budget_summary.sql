-- 表一 收支总体情况表 and 表四 财政拨款收支预算总体情况表: income lines and expenditure by functional 类.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_budget_summary') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(table_no as integer) as table_no,
        cast(row_no as integer) as row_no,
        cast(side as varchar) as side,
        cast(item_name as varchar) as item_name,
        cast(nullif(trim(functional_class_code), '') as varchar) as functional_class_code,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(general_budget_wan_yuan as decimal(20, 6)) as general_budget_wan_yuan,
        cast(gov_fund_wan_yuan as decimal(20, 6)) as gov_fund_wan_yuan,
        cast(state_capital_wan_yuan as decimal(20, 6)) as state_capital_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
