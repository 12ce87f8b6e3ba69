-- 项目支出绩效目标表: one row per project table.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_performance_targets') }}
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
        cast(target_no as integer) as target_no,
        cast(project_name as varchar) as project_name,
        cast(budget_unit_name as varchar) as budget_unit_name,
        cast(target_year as integer) as target_year,
        cast(funds_total_wan_yuan as decimal(20,6)) as funds_total_wan_yuan,
        cast(funds_fiscal_wan_yuan as decimal(20,6)) as funds_fiscal_wan_yuan,
        cast(funds_other_wan_yuan as decimal(20,6)) as funds_other_wan_yuan,
        cast(overall_goal as varchar) as overall_goal
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
