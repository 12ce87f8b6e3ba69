-- 表三 支出总体情况表, 表五 一般公共预算支出情况表 and 表九 政府性基金预算支出情况表: expenditure by functional code × 基本支出/项目支出 (table_no tells which); 江苏's 支出预算总表 also prints 单位预留机动经费 (reserve) and 结转下年资金 (carry_forward) as parts of its 合计.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_expenditure') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(table_no as integer) as table_no,
        cast(row_no as integer) as row_no,
        cast(nullif(trim(functional_code), '') as varchar) as functional_code,
        cast(functional_name as varchar) as functional_name,
        cast(total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(basic_wan_yuan as decimal(20, 6)) as basic_wan_yuan,
        cast(project_wan_yuan as decimal(20, 6)) as project_wan_yuan,
        cast(reserve_wan_yuan as decimal(20, 6)) as reserve_wan_yuan,
        cast(carry_forward_wan_yuan as decimal(20, 6)) as carry_forward_wan_yuan,
        cast(is_total as boolean) as is_total
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
