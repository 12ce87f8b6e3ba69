-- Grain: one row per quarantined content (sha256): a file the ingest could not read at all,
-- moved to quarantine/ with its reason. It is 'resolved' once a file of the same name was loaded
-- after it was quarantined (the fixed file re-dropped into the inbox), else 'open'.
with records as (
    select * from {{ source('quarantine', 'quarantined_files') }}
),

loads as (
    select
        source_file,
        max(loaded_at) as last_loaded_at,
        arg_max(document_id, loaded_at) as last_document_id
    from {{ ref('stg_documents') }}
    group by source_file
),

final as (
    select
        cast(records.sha256 as varchar) as sha256,
        cast(records.file_name as varchar) as file_name,
        cast(records.reader as varchar) as reader,
        cast(records.error as varchar) as error,
        cast(records.quarantined_at as timestamptz) as quarantined_at,
        cast(records.quarantine_path as varchar) as quarantine_path,
        cast(case when loads.last_loaded_at >= records.quarantined_at then 'resolved' else 'open' end as varchar)
            as status,
        cast(case when loads.last_loaded_at >= records.quarantined_at then loads.last_document_id end as varchar)
            as resolved_by_document_id,
        cast(case when loads.last_loaded_at >= records.quarantined_at then loads.last_loaded_at end as timestamptz)
            as resolved_at
    from records
    left join loads
        on records.file_name = loads.source_file
)

select * from final
