-- Grain: one row per detail line of 表三 支出总体情况表 of the latest revision of each
-- (unit, fiscal year, disclosure kind). Detail = not the 合计 line, has a functional code, and is a
-- leaf: no other line of the same table has a longer code under it (so printed 类/款 subtotals
-- are not double counted). A malformed code, or one whose 类 does not exist, is conformed to the
-- unknown member 'unknown' (printed_functional_code keeps it; CODE-UNKNOWN-CLASS finding).
with leaves as (
    {{ expenditure_leaf_lines('is_latest_tables') }}
),

final as (
    select
        document_id,
        row_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        -- conformed: the printed code when valid, else the unknown member 'unknown' (see functional_code_status)
        case when {{ functional_code_status('functional_code') }} = 'ok' then functional_code else 'unknown' end
            as functional_code,
        case
            when {{ functional_code_status('functional_code') }} <> 'ok' then '未知'
            when length(functional_code) = 3 then '类' when length(functional_code) = 5 then '款' else '项'
        end as functional_level,
        case when {{ functional_code_status('functional_code') }} = 'ok' then left(functional_code, 3) else 'unknown' end
            as functional_class_code,
        case
            when {{ functional_code_status('functional_code') }} <> 'ok' then 'unknown'
            when length(functional_code) >= 5 then left(functional_code, 5)
        end as functional_section_code,
        functional_code as printed_functional_code,
        functional_name as printed_functional_name,
        total_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        source_file,
        unit_name as printed_unit_name
    from leaves
)

select * from final
