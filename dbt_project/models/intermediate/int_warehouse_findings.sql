-- Grain: one row per finding the warehouse itself raises (finding_source = 'dbt'), in the columns
-- of the ingest findings, for every loaded document (all revisions; fct_findings keeps the latest):
--   UNIT-UNRESOLVED (error)       the printed unit name (and every printed variant) matches no
--                                 registry name or alias (once per disclosure: not on the part of a
--                                 split publication whose unit is its companion's); the message names the document and the
--                                 candidate registry units (those whose normalized name shares the
--                                 longest common prefix with the printed one, at most 3, by unit_id).
--   CODE-UNKNOWN-CLASS (error)    a 表三 / 表七 line prints a functional code that is malformed or
--                                 whose 类 is not in the national standard; its amount is kept
--                                 under the unknown member 'unknown' of dim_functional_class.
with documents as (
    select * from {{ ref('int_document_revisions') }}
),

aliases as (
    select * from {{ ref('int_unit_aliases') }}
),

registry as (
    select * from {{ ref('int_registered_units') }}
),

unresolved as (
    select
        document_id,
        {{ normalize_name('printed_unit_name') }} as name_key
    from documents
    where not is_registered_unit
        -- once per disclosure: not on a split publication's part whose unit is its companion's
        and coalesce(unit_source, 'own') = 'own'
),

scored as (
    select
        unresolved.document_id,
        aliases.unit_id,
        max({{ common_prefix_length('unresolved.name_key', 'aliases.name_key') }}) as prefix_length
    from unresolved
    cross join aliases
    group by all
),

best as (
    select
        document_id,
        unit_id,
        prefix_length,
        rank() over (partition by document_id order by prefix_length desc) as score_rank,
        row_number() over (partition by document_id order by prefix_length desc, unit_id asc) as candidate_rank
    from scored
    where prefix_length > 0
),

candidates as (
    select
        best.document_id,
        string_agg(registry.unit_name || '（' || registry.unit_id || '）', '、' order by best.unit_id) as candidate_names
    from best
    inner join registry
        on best.unit_id = registry.unit_id
    where best.score_rank = 1
        and best.candidate_rank <= 3
    group by best.document_id
),

unit_findings as (
    select
        documents.document_id,
        'UNIT-UNRESOLVED' as rule_id,
        'error' as severity,
        'document' as table_ref,
        documents.printed_unit_name as location,
        '文件 ' || coalesce(documents.source_file, '') || '（' || left(documents.document_id, 12) || '）的编制单位“'
        || coalesce(documents.printed_unit_name, '') || '”不在单位名录中，已作为未登记单位 ' || documents.unit_id
        || ' 载入；候选：' || coalesce(candidates.candidate_names, '无') as message
    from documents
    left join candidates
        on documents.document_id = candidates.document_id
    where not documents.is_registered_unit
        and coalesce(documents.unit_source, 'own') = 'own'
),

code_lines as (
    select document_id, row_no, 3 as table_no, functional_code, functional_name
    from {{ ref('stg_expenditure') }}
    where table_no = 3 and not is_total and functional_code is not null
    union all
    select document_id, row_no, 7, functional_code, functional_name
    from {{ ref('stg_project_expenditure') }}
    where not is_total and functional_code is not null
),

code_findings as (
    select
        document_id,
        'CODE-UNKNOWN-CLASS' as rule_id,
        'error' as severity,
        '表' || case table_no when 3 then '三' else '七' end as table_ref,
        'row ' || row_no || ': ' || functional_code as location,
        '功能分类编码“' || functional_code || '”（' || coalesce(functional_name, '') || '）'
        || case {{ functional_code_status('functional_code') }}
            when 'malformed' then '格式不正确'
            else '的类 ' || left(functional_code, 3) || ' 不存在'
        end
        || '；金额计入未识别科目 unknown' as message,
        table_no,
        row_no
    from code_lines
    where {{ functional_code_status('functional_code') }} <> 'ok'
),

all_findings as (
    select document_id, rule_id, severity, table_ref, location, message, 0 as table_no, 0 as row_no
    from unit_findings
    union all
    select document_id, rule_id, severity, table_ref, location, message, table_no, row_no
    from code_findings
),

final as (
    select
        all_findings.document_id,
        -- after the ingest findings' numbers: 100001, 100002, … per document
        cast(100000 + row_number() over (
            partition by all_findings.document_id order by all_findings.rule_id desc, all_findings.table_no asc, all_findings.row_no asc
        ) as integer) as finding_no,
        all_findings.rule_id,
        all_findings.severity,
        all_findings.table_ref,
        all_findings.location,
        cast(null as decimal(20, 6)) as expected,
        cast(null as decimal(20, 6)) as actual,
        cast(null as decimal(20, 6)) as difference,
        all_findings.message
    from all_findings
)

select * from final
