-- Grain: one row per income line of 表二 收入总体情况表 (not the 合计 line) of latest revisions.
-- is_leaf = false marks printed 类/款 subtotal lines that have finer lines under them.
with lines as (
    select *
    from {{ ref('stg_income') }}
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
        functional_code,
        functional_name as printed_functional_name,
        functional_code is not null and not exists (
            select 1 from lines as child
            where child.document_id = lines.document_id
                and length(child.functional_code) > length(lines.functional_code)
                and starts_with(child.functional_code, lines.functional_code)
        ) as is_leaf,
        total_wan_yuan,
        general_budget_wan_yuan,
        gov_fund_wan_yuan,
        state_capital_wan_yuan,
        fiscal_special_account_wan_yuan,
        business_income_wan_yuan,
        business_operating_income_wan_yuan,
        other_income_wan_yuan,
        prior_year_carryover_wan_yuan,
        source_file
    from lines
)

select * from final
