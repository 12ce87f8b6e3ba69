-- Grain: one row per loaded disclosure file (document_id = SHA-256 of its bytes), every revision kept.
with source as (
    select * from {{ source('lake', 'raw_documents') }}
),

renamed as (
    select
        {{ provenance_columns() }},
        cast(unit_name_variants as varchar) as unit_name_variants,
        cast(disclosure_kind as varchar) as disclosure_kind,
        cast(coalesce(budget_level, '部门') as varchar) as budget_level,
        cast(signed_date as date) as signed_date,
        cast(title as varchar) as title,
        cast(reader as varchar) as reader,
        cast(encoding as varchar) as encoding,
        cast(file_size_bytes as bigint) as file_size_bytes,
        cast(tables_found as integer) as tables_found,
        -- batches written before parts were told apart hold whole disclosures
        cast(coalesce(publication_part, 'whole') as varchar) as publication_part,
        cast(companion_document_id as varchar) as companion_document_id,
        cast(publication_note as varchar) as publication_note,
        cast(file_modified_at as timestamptz) as file_modified_at
    from source
)

select * from renamed
