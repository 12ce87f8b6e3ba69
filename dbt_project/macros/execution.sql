{#- An execution rate: num ÷ den (exact_div), rounded half up to `scale` places as DECIMAL(12, scale), a
    plain ratio (0.9512 = 95.12%); null when either is null or den is 0. -#}
{% macro exact_ratio(num, den, scale=4) -%}
    {{ exact_div(num, den, scale, 'decimal(12, ' ~ scale ~ ')') }}
{%- endmacro %}


{#- An exact amount as text without trailing zeros (0.820000 → 0.82, 100.000000 → 100), for messages. -#}
{% macro plain_amount(expr) -%}
    regexp_replace(cast({{ expr }} as varchar), '\.?0+$', '')
{%- endmacro %}
