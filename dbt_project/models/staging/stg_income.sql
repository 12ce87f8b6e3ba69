-- 表二 收入总体情况表: income by functional code × source.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_income') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(row_no as integer) as row_no,
        cast(nullif(trim(functional_code), '') as varchar) as functional_code,
        cast(functional_name as varchar) as functional_name,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(fiscal_appropriation_wan_yuan as decimal(20, 6)) as fiscal_appropriation_wan_yuan,
        cast(general_budget_wan_yuan as decimal(20, 6)) as general_budget_wan_yuan,
        cast(gov_fund_wan_yuan as decimal(20, 6)) as gov_fund_wan_yuan,
        cast(state_capital_wan_yuan as decimal(20, 6)) as state_capital_wan_yuan,
        cast(fiscal_special_account_wan_yuan as decimal(20, 6)) as fiscal_special_account_wan_yuan,
        cast(business_income_wan_yuan as decimal(20, 6)) as business_income_wan_yuan,
        cast(business_operating_income_wan_yuan as decimal(20, 6)) as business_operating_income_wan_yuan,
        cast(other_income_wan_yuan as decimal(20, 6)) as other_income_wan_yuan,
        cast(prior_year_carryover_wan_yuan as decimal(20, 6)) as prior_year_carryover_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
