-- Grain: one row per fiscal_year × unit_id whose latest budget (预算) disclosure states its
-- government procurement budget (情况说明 政府采购情况: procurement.* facts, as printed).
with facts as (
    select
        *,
        row_number() over (partition by document_id, fact_key order by fact_no) as fact_rank
    from {{ ref('fct_narrative_facts') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
        and fact_key like 'procurement.%'
),

pivoted as (
    select
        fiscal_year,
        unit_id,
        any_value(document_id) as document_id,
        any_value(source_file) as source_file,
        max(value) filter (where fact_key = 'procurement.total') as total_wan_yuan,
        max(value) filter (where fact_key = 'procurement.goods') as goods_wan_yuan,
        max(value) filter (where fact_key = 'procurement.works') as works_wan_yuan,
        max(value) filter (where fact_key = 'procurement.services') as services_wan_yuan,
        max(value) filter (where fact_key = 'procurement.sme_reserved') as sme_reserved_wan_yuan,
        max(value) filter (where fact_key = 'procurement.small_micro_reserved') as small_micro_reserved_wan_yuan
    from facts
    where fact_rank = 1
    group by fiscal_year, unit_id
),

final as (
    select
        cast(pivoted.fiscal_year as integer) as fiscal_year,
        cast(pivoted.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(pivoted.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(pivoted.goods_wan_yuan as decimal(20, 6)) as goods_wan_yuan,
        cast(pivoted.works_wan_yuan as decimal(20, 6)) as works_wan_yuan,
        cast(pivoted.services_wan_yuan as decimal(20, 6)) as services_wan_yuan,
        cast(pivoted.sme_reserved_wan_yuan as decimal(20, 6)) as sme_reserved_wan_yuan,
        cast(pivoted.small_micro_reserved_wan_yuan as decimal(20, 6)) as small_micro_reserved_wan_yuan,
        cast(
            pivoted.total_wan_yuan - coalesce(pivoted.goods_wan_yuan, 0) - coalesce(pivoted.works_wan_yuan, 0)
            - coalesce(pivoted.services_wan_yuan, 0) as decimal(20, 6)
        ) as unexplained_wan_yuan,
        cast(pivoted.document_id as varchar) as document_id,
        cast(pivoted.source_file as varchar) as source_file
    from pivoted
    left join {{ ref('dim_unit') }} as units
        on pivoted.unit_id = units.unit_id
)

select * from final
