-- Grain: one row per project line of 表七 一般公共预算项目支出情况表 (not the 合计 line) of latest revisions.
with lines as (
    select *
    from {{ ref('stg_project_expenditure') }}
    where is_latest_tables  -- the disclosure's tables (a whole or its tables part)
        and not is_total
),

final as (
    select
        document_id,
        row_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        project_name,
        functional_code,
        functional_name as printed_functional_name,
        total_wan_yuan,
        wages_welfare_wan_yuan,
        goods_services_wan_yuan,
        individual_family_subsidy_wan_yuan,
        debt_interest_wan_yuan,
        capital_construction_wan_yuan,
        capital_wan_yuan,
        enterprise_subsidy_construction_wan_yuan,
        enterprise_subsidy_wan_yuan,
        social_security_fund_subsidy_wan_yuan,
        other_wan_yuan,
        source_file
    from lines
)

select * from final
