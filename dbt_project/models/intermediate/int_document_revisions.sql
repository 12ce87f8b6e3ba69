-- Grain: one row per loaded document: the unit it belongs to and its revision number within
-- (unit_id, fiscal_year, disclosure_kind, budget_level). A corrected disclosure arrives as a new
-- document in a later batch; the latest one (highest revision) of its level is is_latest_of_level.
-- A body may publish a 部门 budget (consolidating its units) and a 单位 budget (its own) for the same
-- year: two disclosures, not revisions of each other. Facts and regional marts count each body once:
-- is_latest marks the latest 部门 disclosure when the unit-year has one, else the latest 单位 one.
with documents as (
    select * from {{ ref('stg_documents') }}
),

aliases as (
    select * from {{ ref('int_unit_aliases') }}
),

-- every spelling the document printed: the 编制部门 name first, then the variants
printed_names as (
    select document_id, unit_name as spelling, 0 as priority
    from documents
    union all
    select document_id, trim(variant) as spelling, 1 as priority
    from documents, unnest(string_split(coalesce(unit_name_variants, ''), '|')) as t(variant)
),

matches as (
    select
        printed_names.document_id,
        aliases.unit_id,
        row_number() over (
            partition by printed_names.document_id
            order by printed_names.priority, aliases.unit_id
        ) as match_rank
    from printed_names
    inner join aliases
        on {{ normalize_name('printed_names.spelling') }} = aliases.name_key
),

resolved as (
    select
        documents.*,
        -- unregistered units stay visible under a stable surrogate id (see dim_unit)
        coalesce(
            matches.unit_id,
            'unregistered-' || left(md5(coalesce({{ normalize_name('documents.unit_name') }}, documents.document_id)), 12)
        ) as unit_id,
        matches.unit_id is not null as is_registered_unit
    from documents
    left join matches
        on documents.document_id = matches.document_id
        and matches.match_rank = 1
),

numbered as (
    select
        *,
        row_number() over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level
            order by loaded_at, document_id
        ) as revision,
        count(*) over (partition by unit_id, fiscal_year, disclosure_kind, budget_level) as revision_count,
        -- 0 when the unit-year-kind has a 部门 disclosure: then the 单位 one is not counted
        min(case when budget_level = '部门' then 0 else 1 end) over (
            partition by unit_id, fiscal_year, disclosure_kind
        ) as counted_level_rank
    from resolved
),

final as (
    select
        document_id,
        unit_id,
        is_registered_unit,
        unit_name as printed_unit_name,
        unit_name_variants,
        fiscal_year,
        disclosure_kind,
        budget_level,
        signed_date,
        title,
        source_file,
        reader,
        encoding,
        file_size_bytes,
        tables_found,
        parser_version,
        loaded_at,
        batch_id,
        revision,
        revision_count,
        revision = revision_count as is_latest_of_level,
        revision = revision_count
            and (case when budget_level = '部门' then 0 else 1 end) = counted_level_rank as is_latest
    from numbered
)

select * from final
