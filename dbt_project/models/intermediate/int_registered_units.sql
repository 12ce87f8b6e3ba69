-- Grain: one row per registered budget unit: the bureau's registry (unit_registry), the
-- registry of the synthetic demo units (synthetic_unit_registry, ids 'SYN-…', names ending
-- （模拟）), and, when the environment variable BUDGET_WAREHOUSE_EXTRA_REGISTRY names a CSV with
-- the registry columns, that file's units (registry_source = 'extra'; see docs/unit_registry.md).
-- Synthetic units (ids 'SYN-…') are kept apart by is_synthetic so real and synthetic units can
-- never be mixed up. A unit_id listed twice fails the unique test (no silent merge).
{% set extra_registry = env_var('BUDGET_WAREHOUSE_EXTRA_REGISTRY', '') %}
with real_units as (
    select *, false as is_synthetic, 'unit_registry' as registry_source from {{ ref('unit_registry') }}
),

synthetic_units as (
    select *, true as is_synthetic, 'synthetic_unit_registry' as registry_source from {{ ref('synthetic_unit_registry') }}
),

{% if extra_registry %}
    extra_units as (
        select
            unit_id, unit_name, aliases, region_code, level, supervising_department,
            starts_with(unit_id, 'SYN-') as is_synthetic,
            'extra' as registry_source
        from read_csv(
                '{{ extra_registry }}', header = true, all_varchar = true,
                columns = {
                    'unit_id': 'VARCHAR', 'unit_name': 'VARCHAR', 'aliases': 'VARCHAR',
                    'region_code': 'VARCHAR', 'level': 'VARCHAR', 'supervising_department': 'VARCHAR'
                }
            )
    ),
{% endif %}

all_units as (
    select unit_id, unit_name, aliases, region_code, level, supervising_department, is_synthetic, registry_source
    from real_units
    union all
    select unit_id, unit_name, aliases, region_code, level, supervising_department, is_synthetic, registry_source
    from synthetic_units
    {% if extra_registry %}
        union all
        select unit_id, unit_name, aliases, region_code, level, supervising_department, is_synthetic, registry_source
        from extra_units
    {% endif %}
),

final as (
    select
        cast(unit_id as varchar) as unit_id,
        cast(unit_name as varchar) as unit_name,
        cast(aliases as varchar) as aliases,
        cast(region_code as varchar) as region_code,
        cast(level as varchar) as level,
        cast(supervising_department as varchar) as supervising_department,
        is_synthetic,
        cast(registry_source as varchar) as registry_source
    from all_units
)

select * from final
