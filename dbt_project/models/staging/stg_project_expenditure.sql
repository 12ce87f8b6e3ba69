-- 表七 一般公共预算项目支出情况表: each project × functional code × economic-type columns.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_project_expenditure') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(row_no as integer) as row_no,
        cast(nullif(trim(functional_code), '') as varchar) as functional_code,
        cast(functional_name as varchar) as functional_name,
        cast(project_name as varchar) as project_name,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(wages_welfare_wan_yuan as decimal(20, 6)) as wages_welfare_wan_yuan,
        cast(goods_services_wan_yuan as decimal(20, 6)) as goods_services_wan_yuan,
        cast(individual_family_subsidy_wan_yuan as decimal(20, 6)) as individual_family_subsidy_wan_yuan,
        cast(debt_interest_wan_yuan as decimal(20, 6)) as debt_interest_wan_yuan,
        cast(capital_construction_wan_yuan as decimal(20, 6)) as capital_construction_wan_yuan,
        cast(capital_wan_yuan as decimal(20, 6)) as capital_wan_yuan,
        cast(enterprise_subsidy_construction_wan_yuan as decimal(20, 6)) as enterprise_subsidy_construction_wan_yuan,
        cast(enterprise_subsidy_wan_yuan as decimal(20, 6)) as enterprise_subsidy_wan_yuan,
        cast(social_security_fund_subsidy_wan_yuan as decimal(20, 6)) as social_security_fund_subsidy_wan_yuan,
        cast(other_wan_yuan as decimal(20, 6)) as other_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
