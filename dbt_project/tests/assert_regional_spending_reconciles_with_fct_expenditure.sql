-- Reconciliation: per fiscal_year × region, mart_regional_spending holds exactly the money of the
-- budget (预算) 表三 detail lines in fct_expenditure (nothing dropped by joins, nothing doubled).
with fact as (
    select
        e.fiscal_year,
        u.region_code,
        sum(coalesce(e.total_wan_yuan, coalesce(e.basic_wan_yuan, 0) + coalesce(e.project_wan_yuan, 0))) as total_wan_yuan,
        sum(coalesce(e.basic_wan_yuan, 0)) as basic_wan_yuan,
        sum(coalesce(e.project_wan_yuan, 0)) as project_wan_yuan,
        count(*) as line_count
    from {{ ref('fct_expenditure') }} as e
    left join {{ ref('dim_unit') }} as u
        on e.unit_id = u.unit_id
    where e.disclosure_kind = '预算'
        and e.fiscal_year is not null
    group by 1, 2
),

mart as (
    select
        fiscal_year,
        region_code,
        sum(total_wan_yuan) as total_wan_yuan,
        sum(basic_wan_yuan) as basic_wan_yuan,
        sum(project_wan_yuan) as project_wan_yuan
    from {{ ref('mart_regional_spending') }}
    group by 1, 2
)

select
    coalesce(fact.fiscal_year, mart.fiscal_year) as fiscal_year,
    coalesce(fact.region_code, mart.region_code) as region_code,
    fact.total_wan_yuan as fact_total,
    mart.total_wan_yuan as mart_total,
    fact.basic_wan_yuan as fact_basic,
    mart.basic_wan_yuan as mart_basic,
    fact.project_wan_yuan as fact_project,
    mart.project_wan_yuan as mart_project
from fact
full outer join mart
    on fact.fiscal_year = mart.fiscal_year
        and fact.region_code is not distinct from mart.region_code
where fact.total_wan_yuan is distinct from mart.total_wan_yuan
    or fact.basic_wan_yuan is distinct from mart.basic_wan_yuan
    or fact.project_wan_yuan is distinct from mart.project_wan_yuan
