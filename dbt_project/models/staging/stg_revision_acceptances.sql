-- Grain: one row per accepted document: an operator's decision that a held revision replaces the
-- current one after all (lake/acceptances/<sha256>.parquet; ingest/lake.py record_acceptance).
with source as (
    select * from {{ source('acceptances', 'revision_acceptances') }}
),

renamed as (
    select
        cast(document_id as varchar) as document_id,
        cast(accepted_at as timestamptz) as accepted_at,
        cast(accepted_by as varchar) as accepted_by,
        cast(note as varchar) as note,
        cast(run_id as varchar) as run_id
    from source
)

select * from renamed
