-- Grain: one row per fiscal_year × unit_id with a “三公”经费 figure (表八, else the narrative
-- total) in the latest revision of the unit's budget (预算) disclosure, with the prior-year total
-- from last year's disclosure when loaded, else derived from the narrative's stated change.
-- A split publication is one disclosure: 表八 from its tables part, the narrative from its narrative part.
with tables as (
    select * from {{ ref('fct_three_public') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
),

facts as (
    select
        document_id,
        source_file,
        unit_id,
        fiscal_year,
        fact_key,
        value,
        row_number() over (partition by document_id, fact_key order by fact_no) as fact_rank
    from {{ ref('fct_narrative_facts') }}
    where disclosure_kind = '预算'
        and fiscal_year is not null
        and fact_key in (
            'three_public.total', 'three_public.change.total', 'three_public.overseas_travel',
            'three_public.vehicle_purchase', 'three_public.vehicle_operation', 'three_public.official_reception'
        )
),

narrative as (
    select
        document_id,
        any_value(source_file) as source_file,
        any_value(unit_id) as unit_id,
        any_value(fiscal_year) as fiscal_year,
        max(value) filter (where fact_key = 'three_public.total') as stated_total_wan_yuan,
        max(value) filter (where fact_key = 'three_public.change.total') as stated_change_wan_yuan,
        max(value) filter (where fact_key = 'three_public.overseas_travel') as stated_overseas_travel_wan_yuan,
        max(value) filter (where fact_key = 'three_public.vehicle_purchase') as stated_vehicle_purchase_wan_yuan,
        max(value) filter (where fact_key = 'three_public.vehicle_operation') as stated_vehicle_operation_wan_yuan,
        max(value) filter (where fact_key = 'three_public.official_reception') as stated_official_reception_wan_yuan
    from facts
    where fact_rank = 1
    group by document_id
),

current_year as (
    select
        coalesce(tables.unit_id, narrative.unit_id) as unit_id,
        coalesce(tables.fiscal_year, narrative.fiscal_year) as fiscal_year,
        -- 表八 first; a cell printed blank falls back to the amount the narrative states
        coalesce(tables.overseas_travel_wan_yuan, narrative.stated_overseas_travel_wan_yuan) as overseas_travel_wan_yuan,
        coalesce(tables.vehicle_purchase_wan_yuan, narrative.stated_vehicle_purchase_wan_yuan) as vehicle_purchase_wan_yuan,
        coalesce(tables.vehicle_operation_wan_yuan, narrative.stated_vehicle_operation_wan_yuan) as vehicle_operation_wan_yuan,
        coalesce(tables.official_reception_wan_yuan, narrative.stated_official_reception_wan_yuan) as official_reception_wan_yuan,
        coalesce(tables.total_wan_yuan, narrative.stated_total_wan_yuan) as total_wan_yuan,
        narrative.stated_change_wan_yuan,
        -- the document the figures come from: 表八's when it is printed, else the narrative's
        coalesce(tables.document_id, narrative.document_id) as document_id,
        coalesce(tables.source_file, narrative.source_file) as source_file
    from tables
    -- the same disclosure: one document, or the tables part and the narrative part of a split one
    full outer join narrative
        on tables.unit_id = narrative.unit_id
            and tables.fiscal_year = narrative.fiscal_year
),

with_prior as (
    select
        current_year.*,
        prior_year.total_wan_yuan as disclosed_prior_total_wan_yuan
    from current_year
    left join current_year as prior_year
        on current_year.unit_id = prior_year.unit_id
            and current_year.fiscal_year = prior_year.fiscal_year + 1
),

resolved as (
    select
        *,
        case
            when disclosed_prior_total_wan_yuan is not null then disclosed_prior_total_wan_yuan
            when total_wan_yuan is not null and stated_change_wan_yuan is not null
                then total_wan_yuan - stated_change_wan_yuan
        end as prior_year_total_wan_yuan,
        case
            when disclosed_prior_total_wan_yuan is not null then 'disclosure'
            when total_wan_yuan is not null and stated_change_wan_yuan is not null then 'narrative'
        end as prior_year_source
    from with_prior
),

units as (
    select * from {{ ref('dim_unit') }}
),

staff as (
    select unit_id, fiscal_year, max(in_service_staff) as in_service_staff
    from {{ ref('fct_unit_profile') }}
    where disclosure_kind = '预算'
    group by all
),

final as (
    select
        cast(resolved.fiscal_year as integer) as fiscal_year,
        cast(resolved.unit_id as varchar) as unit_id,
        cast(units.unit_name as varchar) as unit_name,
        cast(units.region_code as varchar) as region_code,
        cast(resolved.overseas_travel_wan_yuan as decimal(20, 6)) as overseas_travel_wan_yuan,
        cast(resolved.vehicle_purchase_wan_yuan as decimal(20, 6)) as vehicle_purchase_wan_yuan,
        cast(resolved.vehicle_operation_wan_yuan as decimal(20, 6)) as vehicle_operation_wan_yuan,
        cast(resolved.official_reception_wan_yuan as decimal(20, 6)) as official_reception_wan_yuan,
        cast(resolved.total_wan_yuan as decimal(20, 6)) as total_wan_yuan,
        cast(resolved.prior_year_total_wan_yuan as decimal(20, 6)) as prior_year_total_wan_yuan,
        cast(resolved.prior_year_source as varchar) as prior_year_source,
        cast(resolved.total_wan_yuan - resolved.prior_year_total_wan_yuan as decimal(20, 6)) as yoy_change_wan_yuan,
        cast(staff.in_service_staff as integer) as in_service_staff,
        {{ exact_div('resolved.total_wan_yuan', 'staff.in_service_staff') }} as per_in_service_staff_wan_yuan,
        cast(resolved.document_id as varchar) as document_id,
        cast(resolved.source_file as varchar) as source_file
    from resolved
    left join units
        on resolved.unit_id = units.unit_id
    left join staff
        on resolved.unit_id = staff.unit_id
            and resolved.fiscal_year = staff.fiscal_year
)

select * from final
