-- Grain: one row per loaded document: the unit it belongs to, its revision number within
-- (unit_id, fiscal_year, disclosure_kind, budget_level, publication_part), and whether it is current.
-- Order (macro revision_order): load batches in load order; inside one batch by the printed 编制 date
-- (an undated document last), the file's modification time, the file name, the content hash, so every
-- rebuild numbers them the same way.
-- Policy: a disclosure's documents are taken in that order; each replaces the disclosure's current
-- tables document (when it supplies tables: a whole document or a tables part) and its current
-- narrative document (a whole document or a narrative part), unless it is WORSE than them: it lacks a
-- table, a narrative fact, a 三公 or an asset figure the current one has, or it adds error findings
-- (int_document_contents). A worse document is HELD (is_held, hold_reason) and the current ones stay,
-- until an operator accepts it (`budget-warehouse accept DOCUMENT_ID`, the accept_revision job; source
-- acceptances): an accepted document is never held. A document at least as complete replaces the
-- current one. A held document compared with what is still current is pending (is_pending;
-- marts.mart_pending_revisions); one a later document superseded is history.
-- A body may publish a 部门 budget (consolidating its units) and a 单位 budget (its own) for the same
-- year: two disclosures, not revisions of each other. Facts and regional marts count each body once:
-- is_latest marks the current 部门 disclosure when the unit-year has one, else the current 单位 one.
-- A split publication (a narrative part and a tables part, ingest/publications.py) is ONE disclosure:
-- its parts share the unit (a part takes its companion's registered unit, or the tables part's
-- surrogate, when its own printed name resolves to none) and the fiscal year (when it printed none),
-- and neither part is a revision of the other (revisions are numbered per part). The tables of a
-- disclosure come from its current tables document (is_latest_tables), its narrative from its current
-- narrative document (is_latest_narrative); is_latest = either.
with recursive documents as (
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
    from documents, unnest(string_split(coalesce(unit_name_variants, ''), '|')) as t (variant)
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

contents as (
    select * from {{ ref('int_document_contents') }}
),

acceptances as (
    select * from {{ ref('stg_revision_acceptances') }}
),

ordered as (
    select
        resolved.*,
        -- one disclosure: unit × fiscal year × kind × level, whatever parts it was published in
        concat_ws(
            '|', resolved.unit_id, coalesce(cast(resolved.fiscal_year as varchar), ''),
            coalesce(resolved.disclosure_kind, ''), coalesce(resolved.budget_level, '')
        ) as disclosure_key,
        resolved.publication_part <> 'narrative' as supplies_tables,
        resolved.publication_part <> 'tables' as supplies_narrative,
        row_number() over (
            partition by
                resolved.unit_id, resolved.fiscal_year, resolved.disclosure_kind, resolved.budget_level,
                resolved.publication_part
            order by {{ revision_order('resolved') }}
        ) as revision,
        count(*) over (
            partition by
                resolved.unit_id, resolved.fiscal_year, resolved.disclosure_kind, resolved.budget_level,
                resolved.publication_part
        ) as revision_count,
        -- the order the policy takes the disclosure's documents in, whatever their part
        row_number() over (
            partition by resolved.unit_id, resolved.fiscal_year, resolved.disclosure_kind, resolved.budget_level
            order by {{ revision_order('resolved') }}
        ) as disclosure_seq,
        count(*) over (
            partition by resolved.unit_id, resolved.fiscal_year, resolved.disclosure_kind, resolved.budget_level
        ) as disclosure_documents,
        acceptances.document_id is not null as is_accepted,
        acceptances.accepted_at
    from resolved
    left join acceptances
        on resolved.document_id = acceptances.document_id
),

-- The documents of disclosures with more than one (a single document is simply current), with what
-- each holds for the role(s) it plays: the tables (a whole document or a tables part) and the
-- narrative (a whole document or a narrative part). Error findings of the NR-* rules (the narrative
-- against the tables) count for the narrative, the others for the tables; every finding of a
-- narrative part counts for its narrative.
candidates as materialized (
    select
        ordered.document_id,
        ordered.disclosure_key,
        ordered.disclosure_seq,
        ordered.supplies_tables,
        ordered.supplies_narrative,
        ordered.is_accepted,
        coalesce(contents.tables, []) as has_tables,
        list_filter(coalesce(contents.three_public, []), lambda x: starts_with(x, '表八.')) as has_table_three_public,
        list_filter(
            coalesce(contents.blocking_findings, []),
            lambda x: ordered.publication_part <> 'narrative' and not starts_with(x, 'NR-')
        ) as has_table_findings,
        coalesce(contents.narrative_facts, []) as has_narrative_facts,
        list_filter(coalesce(contents.three_public, []), lambda x: not starts_with(x, '表八.'))
            as has_narrative_three_public,
        coalesce(contents.assets, []) as has_assets,
        list_filter(
            coalesce(contents.blocking_findings, []),
            lambda x: ordered.publication_part = 'narrative' or starts_with(x, 'NR-')
        ) as has_narrative_findings
    from ordered
    left join contents
        on ordered.document_id = contents.document_id
    where ordered.disclosure_documents > 1
),

-- Every document against every earlier one of its disclosure (the current documents are always
-- earlier ones): is it worse for the tables (it lacks a table or a 表八 figure, or adds a non-NR error
-- finding) or for the narrative (it lacks a narrative fact, a 三公 or an asset figure, or adds an NR-*
-- error finding)? Computed once here, so the fold below carries only ids.
comparisons as materialized (
    select
        candidate.document_id,
        earlier.document_id as earlier_document_id,
        candidate.supplies_tables and (
            not list_has_all(candidate.has_tables, earlier.has_tables)
            or not list_has_all(candidate.has_table_three_public, earlier.has_table_three_public)
            or not list_has_all(earlier.has_table_findings, candidate.has_table_findings)
        ) as is_worse_tables,
        candidate.supplies_narrative and (
            not list_has_all(candidate.has_narrative_facts, earlier.has_narrative_facts)
            or not list_has_all(candidate.has_narrative_three_public, earlier.has_narrative_three_public)
            or not list_has_all(candidate.has_assets, earlier.has_assets)
            or not list_has_all(earlier.has_narrative_findings, candidate.has_narrative_findings)
        ) as is_worse_narrative
    from candidates as candidate
    inner join candidates as earlier
        on candidate.disclosure_key = earlier.disclosure_key
            and earlier.disclosure_seq < candidate.disclosure_seq
),

steps as materialized (
    select document_id, disclosure_key, disclosure_seq, supplies_tables, supplies_narrative, is_accepted
    from candidates
),

-- The disclosure's documents in turn, carrying its current tables document and its current narrative
-- document. A document worse than the current document of a role it plays replaces nothing unless
-- accepted (held); otherwise it becomes the current document of each role it plays.
policy (
    disclosure_key, disclosure_seq, document_id, is_worse, is_held, compared_tables_document_id,
    compared_narrative_document_id, tables_current_id, narrative_current_id) as (
    select
        disclosure_key, disclosure_seq, document_id, false, false, cast(null as varchar), cast(null as varchar),
        case when supplies_tables then document_id end,
        case when supplies_narrative then document_id end
    from steps
    where disclosure_seq = 1

    union all

    select
        disclosure_key,
        disclosure_seq,
        document_id,
        is_worse,
        is_worse and not is_accepted,
        compared_tables_document_id,
        compared_narrative_document_id,
        case when supplies_tables and not (is_worse and not is_accepted) then document_id
            else compared_tables_document_id
        end,
        case when supplies_narrative and not (is_worse and not is_accepted) then document_id
            else compared_narrative_document_id
        end
    from (
        select
            step.disclosure_key,
            step.disclosure_seq,
            step.document_id,
            step.is_accepted,
            step.supplies_tables,
            step.supplies_narrative,
            policy.tables_current_id as compared_tables_document_id,
            policy.narrative_current_id as compared_narrative_document_id,
            coalesce(against_tables.is_worse_tables, false)
            or coalesce(against_narrative.is_worse_narrative, false) as is_worse
        from policy
        inner join steps as step
            on policy.disclosure_key = step.disclosure_key
                and step.disclosure_seq = policy.disclosure_seq + 1
        left join comparisons as against_tables
            on step.document_id = against_tables.document_id
                and policy.tables_current_id = against_tables.earlier_document_id
        left join comparisons as against_narrative
            on step.document_id = against_narrative.document_id
                and policy.narrative_current_id = against_narrative.earlier_document_id
    )
),

decided as (
    select
        ordered.*,
        coalesce(policy.is_worse, false) as is_worse,
        coalesce(policy.is_held, false) as is_held,
        policy.compared_tables_document_id,
        policy.compared_narrative_document_id,
        -- the disclosure's current documents once every document is taken (null: none supplies it)
        case
            when ordered.disclosure_documents = 1 then case when ordered.supplies_tables then ordered.document_id end
            else last_value(policy.tables_current_id) over disclosure_docs
        end as tables_document_id,
        case
            when ordered.disclosure_documents = 1 then case when ordered.supplies_narrative then ordered.document_id end
            else last_value(policy.narrative_current_id) over disclosure_docs
        end as narrative_document_id
    from ordered
    left join policy
        on ordered.document_id = policy.document_id
    window disclosure_docs as (
        partition by ordered.disclosure_key order by ordered.disclosure_seq
        rows between unbounded preceding and unbounded following
    )
),

current_parts as (
    select
        *,
        document_id = tables_document_id as is_latest_tables_of_level,
        document_id = narrative_document_id as is_latest_narrative_of_level,
        -- held, and compared with what is still current (nothing replaced it since): waiting for a decision
        is_held
        and (not supplies_tables or compared_tables_document_id is not distinct from tables_document_id)
        and (not supplies_narrative or compared_narrative_document_id is not distinct from narrative_document_id)
            as is_pending,
        -- the first later document that replaced it in a role it plays (the policy's order)
        first_value(case when supplies_tables and not is_held then document_id end ignore nulls) over later_docs
            as next_tables_document_id,
        first_value(case when supplies_tables and not is_held then disclosure_seq end ignore nulls) over later_docs
            as next_tables_seq,
        first_value(case when supplies_narrative and not is_held then document_id end ignore nulls) over later_docs
            as next_narrative_document_id,
        first_value(case when supplies_narrative and not is_held then disclosure_seq end ignore nulls) over later_docs
            as next_narrative_seq,
        -- 0 when the unit-year-kind has a 部门 disclosure: then the 单位 one is not counted
        min(case when budget_level = '部门' then 0 else 1 end) over (
            partition by unit_id, fiscal_year, disclosure_kind
        ) as counted_level_rank
    from decided
    window later_docs as (
        partition by disclosure_key order by disclosure_seq
        rows between 1 following and unbounded following
    )
),

-- what a worse document lacks or adds, against the current documents it was compared with
worse as (
    select
        doc.document_id,
        case when doc.supplies_tables then {{ missing_from('cur_t.has_tables', 'cand.has_tables') }} end as lost_tables,
        case when doc.supplies_narrative
                then len({{ missing_from('cur_n.has_narrative_facts', 'cand.has_narrative_facts') }})
            else 0
        end as lost_narrative_facts,
        case when doc.supplies_tables
                then len({{ missing_from('cur_t.has_table_three_public', 'cand.has_table_three_public') }})
            else 0
        end
        + case when doc.supplies_narrative
                then len({{ missing_from('cur_n.has_narrative_three_public', 'cand.has_narrative_three_public') }})
            else 0
        end as lost_three_public_figures,
        case when doc.supplies_narrative
                then len({{ missing_from('cur_n.has_assets', 'cand.has_assets') }})
            else 0
        end as lost_asset_figures,
        list_concat(
            case when doc.supplies_tables
                    then {{ missing_from('cand.has_table_findings', 'coalesce(cur_t.has_table_findings, [])') }}
            end,
            case when doc.supplies_narrative
                    then {{ missing_from('cand.has_narrative_findings', 'coalesce(cur_n.has_narrative_findings, [])') }}
            end
        ) as added_findings
    from current_parts as doc
    inner join candidates as cand
        on doc.document_id = cand.document_id
    left join candidates as cur_t
        on doc.compared_tables_document_id = cur_t.document_id
    left join candidates as cur_n
        on doc.compared_narrative_document_id = cur_n.document_id
    where doc.is_worse
),

lost_table_names as (
    select
        document_id,
        string_agg(table_code, '、' order by strpos('一二三四五六七八九', substr(table_code, 2, 1))) as lost_tables
    from (select document_id, split_part(unnest(lost_tables), '#', 1) as table_code from worse)
    group by document_id
),

added_rules as (
    select document_id, string_agg(rule_id || ' +' || findings, ', ' order by rule_id) as added_error_findings
    from (
        select document_id, rule_id, count(*) as findings
        from (select document_id, split_part(unnest(added_findings), '#', 1) as rule_id from worse)
        group by document_id, rule_id
    )
    group by document_id
),

reasons as (
    select
        worse.document_id,
        lost_table_names.lost_tables,
        worse.lost_narrative_facts,
        worse.lost_three_public_figures,
        worse.lost_asset_figures,
        added_rules.added_error_findings,
        concat_ws(
            '; ',
            'loses tables ' || lost_table_names.lost_tables,
            case when worse.lost_narrative_facts > 0 then 'loses ' || worse.lost_narrative_facts || ' narrative facts' end,
            case when worse.lost_three_public_figures > 0
                    then 'loses ' || worse.lost_three_public_figures || ' 三公 figures'
            end,
            case when worse.lost_asset_figures > 0 then 'loses ' || worse.lost_asset_figures || ' asset figures' end,
            'adds error findings ' || added_rules.added_error_findings
        ) as hold_reason
    from worse
    left join lost_table_names
        on worse.document_id = lost_table_names.document_id
    left join added_rules
        on worse.document_id = added_rules.document_id
),

final as (
    select
        current_parts.document_id,
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
        file_modified_at,
        tables_found,
        parser_version,
        loaded_at,
        batch_id,
        publication_part,
        companion_document_id,
        publication_note,
        disclosure_key,
        tables_document_id,
        narrative_document_id,
        revision,
        revision_count,
        disclosure_seq,
        is_latest_tables_of_level or is_latest_narrative_of_level as is_latest_of_level,
        is_latest_tables_of_level,
        is_latest_narrative_of_level,
        (is_latest_tables_of_level or is_latest_narrative_of_level)
        and (case when budget_level = '部门' then 0 else 1 end) = counted_level_rank as is_latest,
        is_latest_tables_of_level
        and (case when budget_level = '部门' then 0 else 1 end) = counted_level_rank as is_latest_tables,
        is_latest_narrative_of_level
        and (case when budget_level = '部门' then 0 else 1 end) = counted_level_rank as is_latest_narrative,
        -- the revision policy
        is_held,
        is_pending,
        is_accepted,
        accepted_at,
        -- the current documents it was compared with when its turn came (null for the first)
        compared_tables_document_id,
        compared_narrative_document_id,
        reasons.hold_reason,
        reasons.lost_tables,
        reasons.lost_narrative_facts,
        reasons.lost_three_public_figures,
        reasons.lost_asset_figures,
        reasons.added_error_findings,
        -- the first later document that took over a role it played (null while it is current or pending)
        case
            when is_latest_tables_of_level or is_latest_narrative_of_level or is_pending then null
            when publication_part = 'tables' then next_tables_document_id
            when publication_part = 'narrative' then next_narrative_document_id
            when next_narrative_seq is null or next_tables_seq < next_narrative_seq then next_tables_document_id
            else next_narrative_document_id
        end as superseded_by_document_id
    from current_parts
    left join reasons
        on current_parts.document_id = reasons.document_id
)

select * from final
