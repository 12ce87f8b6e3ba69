-- 表二 收入总体情况表: income by functional code × source.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_income') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id,
        cast(row_no as integer) as row_no,
        cast(nullif(trim(functional_code), '') as varchar) as functional_code,
        cast(functional_name as varchar) as functional_name,
        cast(total_wan_yuan as decimal(20,6)) as total_wan_yuan,
        cast(general_budget_wan_yuan as decimal(20,6)) as general_budget_wan_yuan,
        cast(gov_fund_wan_yuan as decimal(20,6)) as gov_fund_wan_yuan,
        cast(state_capital_wan_yuan as decimal(20,6)) as state_capital_wan_yuan,
        cast(fiscal_special_account_wan_yuan as decimal(20,6)) as fiscal_special_account_wan_yuan,
        cast(business_income_wan_yuan as decimal(20,6)) as business_income_wan_yuan,
        cast(business_operating_income_wan_yuan as decimal(20,6)) as business_operating_income_wan_yuan,
        cast(other_income_wan_yuan as decimal(20,6)) as other_income_wan_yuan,
        cast(prior_year_carryover_wan_yuan as decimal(20,6)) as prior_year_carryover_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    select
        renamed.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.is_latest
    from renamed
    left join {{ ref('int_document_revisions') }} as revisions
        on renamed.document_id = revisions.document_id
)

select * from final
