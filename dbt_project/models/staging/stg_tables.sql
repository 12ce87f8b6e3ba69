-- One row per standard table (表一…表九) per document: present, empty (with its note), missing (required, or skipped by the document's own 表N numbering) or not_printed (not in the document's template).
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_tables') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(table_no as integer) as table_no,
        cast(nullif(trim(table_code), '') as varchar) as table_code,
        cast(table_title as varchar) as table_title,
        cast(status as varchar) as status,
        cast(row_count as integer) as row_count,
        cast(money_unit as varchar) as money_unit,
        cast(note as varchar) as note
    from source
),

final as (
    {{ with_revision('renamed') }}
)

select * from final
