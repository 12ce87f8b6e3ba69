{#- Unit-name matching key (the one place the name-resolution rules live; docs/unit_registry.md).
    Applied to every registry name and alias and to every printed unit name, in this order:
      1. NFKC width folding: full-width ASCII (U+FF01–U+FF5E, e.g. （模拟） → (模拟), ＡＢＣ → ABC)
         becomes half-width;
      2. all whitespace is removed: ASCII spaces/tabs/newlines, U+3000 ideographic space, U+00A0,
         U+2000–U+200B and U+FEFF;
      3. prefecture prefixes: 昌吉回族自治州 → 州, 昌吉州 → 州;
      4. common abbreviations: 办公室 → 办, 委员会 → 委.
    Two names with the same key are the same unit; a key that two registry units share fails the
    `unique` test on int_unit_aliases.name_key (no silent merge). -#}
{% macro normalize_name(expr) -%}
    {%- set full = '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～' -%}
    {%- set half = '!"#$%&\'\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' -%}
    nullif(
        replace(replace(replace(replace(
            regexp_replace(
                translate(coalesce({{ expr }}, ''), '{{ full }}', '{{ half }}'),
                '[\s\x{3000}\x{00A0}\x{2000}-\x{200B}\x{FEFF}]+', '', 'g'),
            '昌吉回族自治州', '州'), '昌吉州', '州'), '办公室', '办'), '委员会', '委'),
        '')
{%- endmacro %}

{#- Length of the longest common prefix of two strings (0 when either is null). -#}
{% macro common_prefix_length(a, b) -%}
    coalesce(len(list_filter(range(1, least(length({{ a }}), length({{ b }})) + 1),
                             lambda i: left({{ a }}, i) = left({{ b }}, i))), 0)
{%- endmacro %}

{#- num ÷ den of two exact numbers (integers, or DECIMAL with at most 6 places such as the DECIMAL(20,6)
    万元 amounts), rounded half away from zero (half up for the non-negative amounts of a disclosure) to
    `scale` decimals, as `as_type`; null when either is null or den is 0. DuckDB's `/` on DECIMAL returns
    DOUBLE, so both are scaled to integers (millionths) first and the integers divided: the quotient is
    exact whatever the denominator's decimals (172.30 stays 172.30). -#}
{% macro exact_div(num, den, scale=6, as_type='decimal(20, 6)') -%}
    case when {{ den }} is null or {{ den }} = 0 or {{ num }} is null then null else
        cast(
            cast(
                sign({{ num }}) * sign({{ den }})
                * ((abs(cast(cast({{ num }} as decimal(20, 6)) * 1000000 as hugeint)) * {{ 10 ** scale }} * 2
                    + abs(cast(cast({{ den }} as decimal(20, 6)) * 1000000 as hugeint)))
                    // (2 * abs(cast(cast({{ den }} as decimal(20, 6)) * 1000000 as hugeint))))
                as decimal(38, 0))
            * cast('{{ "0." ~ "0" * (scale - 1) ~ "1" }}' as decimal(20, {{ scale }}))
        as {{ as_type }})
    end
{%- endmacro %}

{#- A printed label without its leading classification code: '201 一般公共服务支出' / '210卫生健康支出' -> the name. -#}
{% macro strip_code_prefix(expr) -%}
    nullif(trim(regexp_replace({{ expr }}, '^[\s\x{3000}]*[0-9]+[\s\x{3000}]*', '')), '')
{%- endmacro %}

{#- Dates as written in narratives -> DATE. Accepts 2020-12-31, 2020/12/31, 2020.12.31,
    2020年12月31日, and year-end wordings 2020年底 / 2020年末 / 2020 (-> 12-31). NULL when unparseable. -#}
{% macro parse_cn_date(expr) -%}
    coalesce(
        try_cast(
            regexp_replace(
                regexp_replace(trim({{ expr }}), '^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$', '\1-\2-\3'),
                '^(\d{4})-(\d)-', '\1-0\2-')
            as date),
        case when regexp_matches(trim({{ expr }}), '^\d{4}\s*(年底|年末|年)?$')
             then make_date(cast(left(trim({{ expr }}), 4) as integer), 12, 31) end
    )
{%- endmacro %}
