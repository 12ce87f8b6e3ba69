-- One row per standard table (表一…表九) per document: present, empty (with its note) or missing.
-- Grain: one row per raw row of every loaded document (all revisions kept), with unit_id and revision attached.
with source as (
    select * from {{ source('lake', 'raw_tables') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(unit_name as varchar) as unit_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(parser_version as varchar) as parser_version,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(batch_id as varchar) as batch_id,
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
    select
        renamed.*,
        revisions.unit_id,
        revisions.disclosure_kind,
        revisions.revision,
        revisions.is_latest
    from renamed
    left join {{ ref('int_document_revisions') }} as revisions
        on renamed.document_id = revisions.document_id
)

select * from final
