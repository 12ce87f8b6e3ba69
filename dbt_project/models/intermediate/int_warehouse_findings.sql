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
--   FA-THREE-PUBLIC-BUDGET (warning) the 预算数 a 决算's “三公”经费支出决算表 prints for an item (合计,
--                                 因公出国（境）费, 公务用车购置费, 公务用车运行维护费, 公务接待费) differs
--                                 from the unit's own 预算 disclosure of the same fiscal year (表八 of its
--                                 current revision); a blank cell of either printed table is 0, and the
--                                 预算's figure rounded to 0.01 万元 agrees. On the 决算 document; nothing
--                                 to compare when either table is not loaded.
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

-- the 表八 line of each unit's current 预算 (what fct_three_public reads), by item
budget_three_public as (
    select unit_id, fiscal_year, document_id, source_file, item, coalesce(amount, 0) as amount
    from (
        select
            unit_id,
            fiscal_year,
            document_id,
            source_file,
            total_wan_yuan as total,
            overseas_travel_wan_yuan as overseas_travel,
            vehicle_purchase_wan_yuan as vehicle_purchase,
            vehicle_operation_wan_yuan as vehicle_operation,
            official_reception_wan_yuan as official_reception
        from {{ ref('stg_three_public') }}
        where is_latest_tables
            and disclosure_kind = '预算'
            and fiscal_year is not null
        qualify row_number() over (partition by document_id order by row_no) = 1
    ) unpivot include nulls (amount for item in (
        total, overseas_travel, vehicle_purchase, vehicle_operation, official_reception
    ))
),

-- the 预算数 of every loaded 决算's first 三公 table (every revision: fct_findings keeps the current one)
final_three_public_tables as (
    select document_id, min(table_no) as table_no
    from {{ ref('stg_final_lines') }}
    where table_kind = 'final_three_public'
    group by document_id
),

final_three_public as (
    select
        lines.document_id,
        any_value(lines.unit_id) as unit_id,
        any_value(lines.fiscal_year) as fiscal_year,
        any_value(lines.table_title) as table_title,
        items.item,
        items.item_name,
        items.item_order,
        coalesce(max(lines.amount_wan_yuan) filter (
            where lines.side = '预算数' and lines.column_meaning = items.column_meaning
        ), 0) as amount
    from {{ ref('stg_final_lines') }} as lines
    inner join final_three_public_tables as tables
        on lines.document_id = tables.document_id
            and lines.table_no = tables.table_no
    cross join (
        values
        (1, 'three_public_total', 'total', '合计'),
        (2, 'three_public_outbound', 'overseas_travel', '因公出国（境）费'),
        (3, 'three_public_vehicle_purchase', 'vehicle_purchase', '公务用车购置费'),
        (4, 'three_public_vehicle_operation', 'vehicle_operation', '公务用车运行维护费'),
        (5, 'three_public_reception', 'official_reception', '公务接待费')
    ) as items (item_order, column_meaning, item, item_name)
    where lines.disclosure_kind = '决算'
    group by lines.document_id, items.item, items.item_name, items.item_order
),

three_public_budget_findings as (
    select
        final_three_public.document_id,
        'FA-THREE-PUBLIC-BUDGET' as rule_id,
        'warning' as severity,
        coalesce(final_three_public.table_title, '“三公”经费支出决算表') as table_ref,
        final_three_public.item_name || ' 预算数' as location,
        budget_three_public.amount as expected,
        final_three_public.amount as actual,
        final_three_public.amount - budget_three_public.amount as difference,
        '决算“三公”经费表的' || final_three_public.item_name || '预算数 '
        || {{ plain_amount('final_three_public.amount') }} || ' 万元，与本单位 ' || final_three_public.fiscal_year
        || ' 年预算公开（' || coalesce(budget_three_public.source_file, '') || '，'
        || left(budget_three_public.document_id, 12) || '）表八的 ' || {{ plain_amount('budget_three_public.amount') }}
        || ' 万元不一致（相差 ' || {{ plain_amount('final_three_public.amount - budget_three_public.amount') }}
        || ' 万元）' as message,
        final_three_public.item_order as row_no
    from final_three_public
    inner join budget_three_public
        on final_three_public.unit_id = budget_three_public.unit_id
            and final_three_public.fiscal_year = budget_three_public.fiscal_year
            and final_three_public.item = budget_three_public.item
    -- a 决算 printing the 预算's figure rounded to 0.01 万元 (a 预算 printed in 元) agrees with it
    where final_three_public.amount <> budget_three_public.amount
        and final_three_public.amount <> round(budget_three_public.amount, 2)
),

all_findings as (
    select
        document_id, rule_id, severity, table_ref, location, message, 0 as table_no, 0 as row_no,
        cast(null as decimal(20, 6)) as expected, cast(null as decimal(20, 6)) as actual,
        cast(null as decimal(20, 6)) as difference
    from unit_findings
    union all
    select
        document_id, rule_id, severity, table_ref, location, message, table_no, row_no,
        cast(null as decimal(20, 6)), cast(null as decimal(20, 6)), cast(null as decimal(20, 6))
    from code_findings
    union all
    select
        document_id, rule_id, severity, table_ref, location, message, 0, row_no,
        cast(expected as decimal(20, 6)), cast(actual as decimal(20, 6)), cast(difference as decimal(20, 6))
    from three_public_budget_findings
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
        all_findings.expected,
        all_findings.actual,
        all_findings.difference,
        all_findings.message
    from all_findings
)

select * from final
