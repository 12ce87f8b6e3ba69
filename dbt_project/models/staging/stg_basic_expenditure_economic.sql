-- 表六 一般公共预算基本支出情况表: basic expenditure by economic code × 人员经费/公用经费.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_basic_expenditure_economic') }}
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
        cast(nullif(trim(economic_code), '') as varchar) as economic_code,
        cast(economic_name as varchar) as economic_name,
        cast(total_wan_yuan as decimal(20,6)) as total_wan_yuan,
        cast(personnel_wan_yuan as decimal(20,6)) as personnel_wan_yuan,
        cast(public_use_wan_yuan as decimal(20,6)) as public_use_wan_yuan,
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
