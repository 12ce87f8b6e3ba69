{#- num ÷ den of two exact decimals (DECIMAL with at most 6 places, e.g. DECIMAL(20,6) 万元), rounded
    half away from zero (half up for the non-negative amounts of a disclosure) to `scale` places, as
    DECIMAL(12, scale); null when either is null or den is 0. Both are scaled to integers first
    (exact_div takes an integer denominator: it would truncate 172.30 to 172), so the quotient is exact. -#}
{% macro exact_ratio(num, den, scale=4) -%}
    case when {{ den }} is null or {{ den }} = 0 or {{ num }} is null then null else
        cast(
            cast(
                sign({{ num }}) * sign({{ den }})
                * ((abs(cast(cast({{ num }} as decimal(20, 6)) * 1000000 as hugeint)) * {{ 10 ** scale }} * 2 + abs(cast(cast({{ den }} as decimal(20, 6)) * 1000000 as hugeint)))
                    // (2 * abs(cast(cast({{ den }} as decimal(20, 6)) * 1000000 as hugeint))))
                as decimal(38, 0))
            * cast('{{ "0." ~ "0" * (scale - 1) ~ "1" }}' as decimal(20, {{ scale }}))
        as decimal(12, {{ scale }}))
    end
{%- endmacro %}


{#- An exact amount as text without trailing zeros (0.820000 → 0.82, 100.000000 → 100), for messages. -#}
{% macro plain_amount(expr) -%}
    regexp_replace(cast({{ expr }} as varchar), '\.?0+$', '')
{%- endmacro %}
