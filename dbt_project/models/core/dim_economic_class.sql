-- Grain: one row per economic classification code (支出经济分类) at 类 (3 digits), 款 (5) or a
-- local sub-item under a 款 that some provinces print (目, 7 digits: 重庆 3010201, 北京 3021101):
-- the department (部门预算, 3xx) and government (政府预算, 5xx) reference lists, plus every code
-- printed in 表六 that the partial lists lack (name_source = 'observed'), plus missing ancestors.
with reference as (
    select cast(code as varchar) as code, cast(name as varchar) as name, 'department' as classification_system
    from {{ ref('economic_classification_department') }}
    union all
    select cast(code as varchar), cast(name as varchar), 'government'
    from {{ ref('economic_classification_government') }}
),

printed as (
    select economic_code as code, nullif(trim(economic_name), '') as printed_name
    from {{ ref('stg_basic_expenditure_economic') }}
    where not is_total
        and regexp_full_match(coalesce(economic_code, ''), '\d{3}(\d{2}){0,2}')
),

printed_names as (
    {{ most_common_name('printed') }}
),

all_codes as (
    select code from reference
    union
    select code from printed
    union
    select left(code, 3) from printed
    union
    select left(code, 5) from printed
    where length(code) = 7
),

levels as (
    select code, case length(code) when 3 then '类' when 5 then '款' else '目' end as level
    from all_codes
),

final as (
    select
        all_codes.code as economic_code,
        levels.level,
        coalesce(
            reference.name,
            printed_names.printed_name,
            '(未列名' || levels.level || ' ' || all_codes.code || ')'
        ) as name,
        case
            when reference.name is not null then 'reference'
            when printed_names.printed_name is not null then 'observed'
            else 'unknown'
        end as name_source,
        reference.name as reference_name,
        printed_names.printed_name,
        case when left(all_codes.code, 1) = '5' then 'government' else 'department' end as classification_system,
        case length(all_codes.code) when 5 then left(all_codes.code, 3) when 7 then left(all_codes.code, 5) end as parent_code
    from all_codes
    inner join levels
        on all_codes.code = levels.code
    left join reference
        on all_codes.code = reference.code
    left join printed_names
        on all_codes.code = printed_names.code
)

select * from final
