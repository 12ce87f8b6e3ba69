-- Grain: one row per functional classification code (支出功能分类) at 类 (3 digits), 款 (5) or
-- 项 (7) (national standard 类 only: functional_class_standard): every code of the (partial) reference list, every code printed in a loaded document,
-- and every ancestor of a printed code. Name priority: reference list > most common printed
-- name > explicit placeholder '(未列名类 203)' / '(未列名款 20399)' (name_source tells which).
-- Plus one unknown member 'unknown' (level '未知') for malformed codes and codes of a 类 that does
-- not exist (CODE-UNKNOWN-CLASS findings), so no amount is ever dropped.
with reference as (
    select
        cast(code as varchar) as code,
        cast(name as varchar) as name
    from {{ ref('functional_classification') }}
),

printed as (
    select functional_code as code, trim(functional_name) as printed_name
    from {{ ref('stg_expenditure') }}
    where not is_total
    union all
    select functional_code, trim(functional_name)
    from {{ ref('stg_income') }}
    where not is_total
    union all
    select functional_code, trim(functional_name)
    from {{ ref('stg_project_expenditure') }}
    where not is_total
    union all
    -- 表一/表四 print the 类 lines as '203 国防支出'
    select functional_class_code, {{ strip_code_prefix('item_name') }}
    from {{ ref('stg_budget_summary') }}
    where side = 'expenditure' and not is_total
    union all
    -- the functional-code tables of 决算 (支出决算表 …): each printed line once (a row per cell there)
    select distinct on (document_id, table_no, row_no) functional_code, trim(line_label)
    from {{ ref('stg_final_lines') }}
    where functional_code is not null
),

valid_printed as (
    select code, nullif(printed_name, '') as printed_name
    from printed
    where {{ functional_code_status('code') }} = 'ok'
),

printed_names as (
    {{ most_common_name('valid_printed') }}
),

all_codes as (
    select code from reference
    union
    select code from valid_printed
    union
    select left(code, 3) from valid_printed
    union
    select left(code, 5) from valid_printed
    where length(code) = 7
),

final as (
    select
        all_codes.code as functional_code,
        case length(all_codes.code) when 3 then '类' when 5 then '款' else '项' end as level,
        coalesce(
            reference.name,
            printed_names.printed_name,
            '(未列名' || case length(all_codes.code) when 3 then '类' when 5 then '款' else '项' end
            || ' ' || all_codes.code || ')'
        ) as name,
        case
            when reference.name is not null then 'reference'
            when printed_names.printed_name is not null then 'observed'
            else 'unknown'
        end as name_source,
        reference.name as reference_name,
        printed_names.printed_name,
        left(all_codes.code, 3) as class_code,
        case when length(all_codes.code) >= 5 then left(all_codes.code, 5) end as section_code,
        case length(all_codes.code)
            when 3 then null
            else left(all_codes.code, length(all_codes.code) - 2)
        end as parent_code
    from all_codes
    left join reference
        on all_codes.code = reference.code
    left join printed_names
        on all_codes.code = printed_names.code
),

-- the explicit unknown member: lines whose printed code is malformed or whose 类 does not exist
unknown_member as (
    select
        'unknown' as functional_code,
        '未知' as level,
        '(未识别功能分类 unknown)' as name,
        'unknown' as name_source,
        cast(null as varchar) as reference_name,
        cast(null as varchar) as printed_name,
        'unknown' as class_code,
        'unknown' as section_code,
        cast(null as varchar) as parent_code
)

select *, false as is_unknown_member from final
union all
select *, true from unknown_member
