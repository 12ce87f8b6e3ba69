-- Grain: one row per indicator (一级/二级/三级指标) of a project performance target table, latest revisions.
with indicators as (
    select * from {{ ref('stg_performance_indicators') }}
    where is_latest
),

final as (
    select
        document_id,
        target_no,
        indicator_no,
        unit_id,
        fiscal_year,
        disclosure_kind,
        revision,
        project_name,
        level1,
        level2,
        level3,
        target_value,
        comparator,
        target_number,
        target_number_high,
        target_unit,
        source_file
    from indicators
)

select * from final
