-- Grain: one row per budget unit: every registered unit (real, or synthetic demo units with
-- is_synthetic = true), plus one row per printed
-- unit name that matched no registry name or alias (is_registered = false, region '000000'), so a
-- new unit's data is never dropped before someone adds it to the registry. A document without any
-- printed unit name is one such unit, named '（未识别单位）<file name>'.
with registry as (
    select * from {{ ref('int_registered_units') }}
),

documents as (
    select * from {{ ref('int_document_revisions') }}
),

registered as (
    select
        cast(unit_id as varchar) as unit_id,
        cast(unit_name as varchar) as unit_name,
        cast(aliases as varchar) as aliases,
        cast(region_code as varchar) as region_code,
        cast(level as varchar) as unit_level,
        cast(supervising_department as varchar) as supervising_department,
        true as is_registered,
        is_synthetic
    from registry
),

unregistered as (
    select
        unit_id,
        -- the most recently loaded spelling of the documents the surrogate comes from (not a split
        -- publication's part that took its companion's unit)
        -- a document that prints no unit name at all (DOC-UNIT) is its own surrogate, named by its file
        coalesce(
            arg_max(printed_unit_name, loaded_at) filter (where coalesce(unit_source, 'own') = 'own'),
            '（未识别单位）' || arg_max(source_file, loaded_at)
        ) as unit_name,
        string_agg(distinct printed_unit_name, '|') as aliases,
        '000000' as region_code,
        null as unit_level,
        null as supervising_department,
        false as is_registered,
        false as is_synthetic
    from documents
    where not is_registered_unit
    group by unit_id
),

document_counts as (
    select
        unit_id,
        count(*) as document_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year
    from documents
    group by unit_id
),

final as (
    select
        units.*,
        coalesce(document_counts.document_count, 0) as document_count,
        document_counts.first_fiscal_year,
        document_counts.last_fiscal_year
    from (
        select * from registered
        union all
        select * from unregistered
    ) as units
    left join document_counts
        on units.unit_id = document_counts.unit_id
)

select * from final
