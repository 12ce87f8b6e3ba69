-- Grain: one row per latest-revision document that has a 表八 “三公”经费 line (the first printed row).
with lines as (
    select
        *,
        row_number() over (partition by document_id order by row_no) as line_rank
    from {{ ref('stg_three_public') }}
    where is_latest_tables  -- the disclosure's tables (a whole or its tables part)
),

final as (
    select
        document_id,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        total_wan_yuan,
        overseas_travel_wan_yuan,
        vehicle_total_wan_yuan,
        vehicle_purchase_wan_yuan,
        vehicle_operation_wan_yuan,
        official_reception_wan_yuan,
        source_file
    from lines
    where line_rank = 1
)

select * from final
