{#- Status of a printed functional classification code (支出功能分类):
      'ok'            3, 5 or 7 digits whose 类 (first 3 digits) is a 类 of the national standard
                      (seed functional_class_standard: every 类 code, unlike the partial list);
      'malformed'     anything else that is not 3/5/7 digits (e.g. '20103O1', '201030');
      'unknown_class' well-formed, but its 类 does not exist in the standard (e.g. '2990101').
    Lines whose code is not 'ok' are kept under the unknown member 'unknown' of
    dim_functional_class and produce a CODE-UNKNOWN-CLASS finding (never a dropped amount). -#}
{% macro functional_code_status(code) -%}
    case
        when not regexp_full_match(coalesce({{ code }}, ''), '\d{3}(\d{2}(\d{2})?)?') then 'malformed'
        when left({{ code }}, 3) not in (select cast(code as varchar) from {{ ref('functional_class_standard') }})
            then 'unknown_class'
        else 'ok'
    end
{%- endmacro %}


{#- The conformed functional classification columns of a printed code `code` (as fct_expenditure
    has them): functional_code (the printed code when 'ok', else the unknown member 'unknown'),
    functional_level (类/款/项, 未知), functional_class_code and functional_section_code. -#}
{% macro conformed_functional_columns(code) -%}
    case when {{ functional_code_status(code) }} = 'ok' then {{ code }} else 'unknown' end as functional_code,
    case
        when {{ functional_code_status(code) }} <> 'ok' then '未知'
        when length({{ code }}) = 3 then '类' when length({{ code }}) = 5 then '款' else '项'
    end as functional_level,
    case when {{ functional_code_status(code) }} = 'ok' then left({{ code }}, 3) else 'unknown' end
        as functional_class_code,
    case
        when {{ functional_code_status(code) }} <> 'ok' then 'unknown'
        when length({{ code }}) >= 5 then left({{ code }}, 5)
    end as functional_section_code
{%- endmacro %}
