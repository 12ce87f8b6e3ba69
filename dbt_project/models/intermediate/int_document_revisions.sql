-- Grain: one row per loaded document: the unit it belongs to and its revision number within
-- (unit_id, fiscal_year, disclosure_kind, budget_level, publication_part). A corrected disclosure
-- arrives as a new document in a later batch; the latest one (highest revision) is current.
-- A body may publish a 部门 budget (consolidating its units) and a 单位 budget (its own) for the same
-- year: two disclosures, not revisions of each other. Facts and regional marts count each body once:
-- is_latest marks the latest 部门 disclosure when the unit-year has one, else the latest 单位 one.
-- A split publication (a narrative part and a tables part, ingest/publications.py) is ONE disclosure:
-- its parts share the unit (a part takes its companion's registered unit, or the tables part's
-- surrogate, when its own printed name resolves to none) and the fiscal year (when it printed none),
-- and neither part is a revision of the other (revisions are numbered per part). The tables of a
-- disclosure come from its latest tables-or-whole document (is_latest_tables), its narrative from
-- its latest narrative-or-whole document (is_latest_narrative); is_latest = either.
with documents as (
    select * replace (coalesce(publication_part, 'whole') as publication_part)
    from {{ ref('stg_documents') }}
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

own_units as (
    select
        documents.*,
        -- unregistered units stay visible under a stable surrogate id (see dim_unit)
        coalesce(
            matches.unit_id,
            'unregistered-' || left(md5(coalesce({{ normalize_name('documents.unit_name') }}, documents.document_id)), 12)
        ) as own_unit_id,
        matches.unit_id is not null as own_is_registered
    from documents
    left join matches
        on documents.document_id = matches.document_id
        and matches.match_rank = 1
),

-- the parts of split publications, linked both ways (the link is recorded on the part loaded second)
companion_links as (
    select document_id, companion_document_id as companion_id
    from documents
    where companion_document_id is not null
    union
    select companion_document_id, document_id
    from documents
    where companion_document_id is not null
),

-- each part's companion that decides its unit: a registered one first, then the latest loaded
companions as (
    select
        companion_links.document_id,
        other.own_unit_id as companion_unit_id,
        other.own_is_registered as companion_is_registered,
        other.publication_part as companion_part,
        other.fiscal_year as companion_fiscal_year,
        row_number() over (
            partition by companion_links.document_id
            order by other.own_is_registered desc, other.loaded_at desc, other.document_id desc
        ) as companion_rank
    from companion_links
    inner join own_units as other
        on companion_links.companion_id = other.document_id
),

resolved as (
    select
        own_units.* exclude (own_unit_id, own_is_registered)
            replace (coalesce(own_units.fiscal_year, companions.companion_fiscal_year) as fiscal_year),
        case
            when own_units.own_is_registered then own_units.own_unit_id
            when companions.companion_is_registered then companions.companion_unit_id
            -- neither registered: the parts share the tables part's surrogate
            when companions.companion_part = 'tables' then companions.companion_unit_id
            else own_units.own_unit_id
        end as unit_id,
        own_units.own_is_registered or coalesce(companions.companion_is_registered, false) as is_registered_unit,
        -- 'companion' when the unit was taken from the other part of a split publication
        case
            when own_units.own_is_registered then 'own'
            when companions.companion_is_registered or companions.companion_part = 'tables' then 'companion'
            else 'own'
        end as unit_source
    from own_units
    left join companions
        on own_units.document_id = companions.document_id
        and companions.companion_rank = 1
),

numbered as (
    select
        *,
        row_number() over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level, publication_part
            order by loaded_at, document_id
        ) as revision,
        count(*) over (partition by unit_id, fiscal_year, disclosure_kind, budget_level, publication_part)
            as revision_count,
        -- the latest document that supplies the disclosure's tables (a whole or a tables part) and
        -- the latest that supplies its narrative (a whole or a narrative part); a whole wins a tie
        publication_part <> 'narrative' and row_number() over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level, publication_part <> 'narrative'
            order by loaded_at desc, publication_part = 'whole' desc, document_id desc
        ) = 1 as is_latest_tables_of_level,
        publication_part <> 'tables' and row_number() over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level, publication_part <> 'tables'
            order by loaded_at desc, publication_part = 'whole' desc, document_id desc
        ) = 1 as is_latest_narrative_of_level,
        -- 0 when the unit-year-kind has a 部门 disclosure: then the 单位 one is not counted
        min(case when budget_level = '部门' then 0 else 1 end) over (
            partition by unit_id, fiscal_year, disclosure_kind
        ) as counted_level_rank
    from resolved
),

current_parts as (
    select
        *,
        (case when budget_level = '部门' then 0 else 1 end) = counted_level_rank as is_counted_level,
        -- the documents the disclosure's tables and narrative come from (null when none is loaded)
        max(case when is_latest_tables_of_level then document_id end) over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level
        ) as tables_document_id,
        max(case when is_latest_narrative_of_level then document_id end) over (
            partition by unit_id, fiscal_year, disclosure_kind, budget_level
        ) as narrative_document_id
    from numbered
),

final as (
    select
        document_id,
        unit_id,
        is_registered_unit,
        unit_source,
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
        publication_part,
        companion_document_id,
        publication_note,
        -- one disclosure: unit × fiscal year × kind × level, whatever parts it was published in
        unit_id || '|' || coalesce(cast(fiscal_year as varchar), '') || '|' || disclosure_kind || '|'
            || budget_level as disclosure_key,
        tables_document_id,
        narrative_document_id,
        revision,
        revision_count,
        is_latest_tables_of_level or is_latest_narrative_of_level as is_latest_of_level,
        is_latest_tables_of_level,
        is_latest_narrative_of_level,
        (is_latest_tables_of_level or is_latest_narrative_of_level) and is_counted_level as is_latest,
        is_latest_tables_of_level and is_counted_level as is_latest_tables,
        is_latest_narrative_of_level and is_counted_level as is_latest_narrative
    from current_parts
)

select * from final
