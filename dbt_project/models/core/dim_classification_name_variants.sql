-- Grain: one row per classification system × code × printed name: every name a unit printed for
-- a functional (表二/三/五/七/九, 表一/表四 类 lines) or economic (表六) code, with how many lines
-- (all loaded documents, every revision) printed it and whether it is the conformed name.
with functional as (
    select functional_code as code, trim(functional_name) as printed_name, document_id
    from {{ ref('stg_expenditure') }}
    where not is_total
    union all
    select functional_code, trim(functional_name), document_id
    from {{ ref('stg_income') }}
    where not is_total
    union all
    select functional_code, trim(functional_name), document_id
    from {{ ref('stg_project_expenditure') }}
    where not is_total
    union all
    select functional_class_code, {{ strip_code_prefix('item_name') }}, document_id
    from {{ ref('stg_budget_summary') }}
    where side = 'expenditure' and not is_total
),

economic as (
    select economic_code as code, trim(economic_name) as printed_name, document_id
    from {{ ref('stg_basic_expenditure_economic') }}
    where not is_total
),

variants as (
    select
        'functional' as classification, code, printed_name, count(*) as line_count,
        count(distinct document_id) as document_count
    from functional
    where code is not null and nullif(printed_name, '') is not null
    group by all
    union all
    select 'economic', code, printed_name, count(*), count(distinct document_id)
    from economic
    where code is not null and nullif(printed_name, '') is not null
    group by all
),

final as (
    select
        cast(variants.classification as varchar) as classification,
        cast(variants.code as varchar) as code,
        cast(variants.printed_name as varchar) as printed_name,
        cast(variants.line_count as integer) as line_count,
        cast(variants.document_count as integer) as document_count,
        coalesce(variants.printed_name = coalesce(f.name, e.name), false) as is_conformed_name
    from variants
    left join {{ ref('dim_functional_class') }} as f
        on variants.classification = 'functional' and variants.code = f.functional_code
    left join {{ ref('dim_economic_class') }} as e
        on variants.classification = 'economic' and variants.code = e.economic_code
)

select * from final
