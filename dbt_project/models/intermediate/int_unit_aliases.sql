-- Grain: one row per normalized spelling (canonical name or alias) of a registered unit.
-- The matching key drops all whitespace, so '昌吉州 外事办' matches '昌吉州外事办'.
with registry as (
    select * from {{ ref('int_registered_units') }}
),

spellings as (
    select unit_id, unit_name as spelling, 0 as priority from registry
    union all
    select unit_id, trim(alias) as spelling, 1 as priority
    from registry, unnest(string_split(coalesce(aliases, ''), '|')) as t (alias)
),

final as (
    select distinct
        {{ normalize_name('spelling') }} as name_key,
        unit_id
    from spellings
    where {{ normalize_name('spelling') }} is not null
)

select * from final
