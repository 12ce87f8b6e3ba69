-- Grain: one row per loaded disclosure file (document_id = SHA-256 of its bytes), every revision kept.
with source as (
    select * from {{ source('lake', 'raw_documents') }}
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
        cast(unit_name_variants as varchar) as unit_name_variants,
        cast(disclosure_kind as varchar) as disclosure_kind,
        cast(signed_date as date) as signed_date,
        cast(title as varchar) as title,
        cast(reader as varchar) as reader,
        cast(encoding as varchar) as encoding,
        cast(file_size_bytes as bigint) as file_size_bytes,
        cast(tables_found as integer) as tables_found
    from source
)

select * from renamed
