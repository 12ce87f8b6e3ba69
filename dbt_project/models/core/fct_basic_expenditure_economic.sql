-- Grain: one row per line of 表六 一般公共预算基本支出情况表 (not the 合计 line) of latest
-- revisions, by economic code; is_leaf = false marks printed 类 subtotals that have 款 lines.
with lines as (
    select *
    from {{ ref('stg_basic_expenditure_economic') }}
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
        economic_code,
        left(economic_code, 3) as economic_class_code,
        economic_name as printed_economic_name,
        economic_code is not null and not exists (
            select 1 from lines as child
            where child.document_id = lines.document_id
                and length(child.economic_code) > length(lines.economic_code)
                and starts_with(child.economic_code, lines.economic_code)
        ) as is_leaf,
        total_wan_yuan,
        personnel_wan_yuan,
        public_use_wan_yuan,
        source_file
    from lines
)

select * from final
