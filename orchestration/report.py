"""`data/report.html`: the marts as one page people can open without a BI server.

Per fiscal year: regional spending by functional class (类), 三公 per unit, assets per region and
the disclosure-quality table with each unit's findings, its 预算 and 决算 apart (类别 column); across
years the 三公 trend per region and the budget execution (预算执行: 年初预算 vs 决算数 and the execution
rate per region and year, the 三公 预算数 vs 决算数).
Charts are Plotly's, with plotly.js (shipped inside the `plotly` wheel) inlined into the page:
the file is self-contained and opens offline (no CDN, no request leaves the page).

Amounts are read exactly (DECIMAL) and printed exactly in tables and tooltips; only the bars'
lengths are drawn from floats.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Sequence

REPORT_NAME = "report.html"
TOP_UNITS = 30


@dataclass
class ReportSummary:
    path: Path
    years: list[int]
    charts: int
    units: int

    def line(self) -> str:
        years = ", ".join(map(str, self.years)) or "none"
        return f"report: {self.path} ({self.charts} charts, {self.units} units; fiscal years {years})"


def _num(value) -> float | None:
    return None if value is None else float(value)  # bar geometry only; labels stay exact


def _exact(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


def _esc(value) -> str:
    return html.escape(_exact(value))


def _figure_html(fig, div_id: str) -> str:
    fig.update_layout(
        template="plotly_white",
        margin=dict(l=10, r=10, t=50, b=10),
        font=dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"),
    )
    return fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False, "responsive": True}
    )


def _rows(con, sql: str, params: Sequence = ()) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def _spending_by_class(con, year: int):
    import plotly.graph_objects as go

    rows = _rows(
        con,
        """
        select region_name, functional_class_code, any_value(functional_class_name), sum(total_wan_yuan)
        from marts.mart_regional_spending where fiscal_year = ?
        group by 1, 2 order by 2, 1""",
        [year],
    )
    if not rows:
        return None
    regions = sorted({r[0] for r in rows})
    fig = go.Figure()
    for code in sorted({r[1] for r in rows}):
        part = {r[0]: r for r in rows if r[1] == code}
        name = next(iter(part.values()))[2]
        fig.add_bar(
            name=f"{code} {name}",
            orientation="h",
            y=regions,
            x=[_num(part[g][3]) if g in part else None for g in regions],
            customdata=[_exact(part[g][3]) if g in part else "" for g in regions],
            hovertemplate="%{y}<br>" + html.escape(f"{code} {name}") + "：%{customdata} 万元<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=f"{year}年 地区支出（按功能分类“类”，万元）",
        height=max(320, 60 + 36 * len(regions)),
        legend=dict(font=dict(size=10)),
    )
    return fig


def _three_public_units(con, year: int):
    import plotly.graph_objects as go

    rows = _rows(
        con,
        """
        select unit_name, total_wan_yuan, per_in_service_staff_wan_yuan, in_service_staff
        from marts.mart_three_public_trends where fiscal_year = ? and total_wan_yuan is not null
        order by total_wan_yuan desc, unit_name limit ?""",
        [year, TOP_UNITS],
    )
    if not rows:
        return None
    rows = rows[::-1]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[r[0] for r in rows],
            x=[_num(r[1]) for r in rows],
            customdata=[[_exact(r[1]), _exact(r[2]), _exact(r[3])] for r in rows],
            hovertemplate="%{y}<br>“三公”经费 %{customdata[0]} 万元<br>在职 %{customdata[2]} 人，"
            "人均 %{customdata[1]} 万元/人<extra></extra>",
            name="“三公”经费合计",
        )
    )
    fig.update_layout(title=f"{year}年 各单位“三公”经费（万元，前{TOP_UNITS}）", height=max(320, 60 + 22 * len(rows)))
    return fig


def _three_public_trend(con):
    import plotly.graph_objects as go

    rows = _rows(
        con,
        """
        select region_name, fiscal_year, total_wan_yuan from marts.mart_three_public_regional
        order by 1, 2""",
    )
    years = sorted({r[1] for r in rows})
    if len(years) < 1:
        return None
    fig = go.Figure()
    for region in sorted({r[0] for r in rows}):
        part = [r for r in rows if r[0] == region]
        fig.add_scatter(
            name=region,
            mode="lines+markers",
            x=[r[1] for r in part],
            y=[_num(r[2]) for r in part],
            customdata=[_exact(r[2]) for r in part],
            hovertemplate=html.escape(region) + " %{x}年：%{customdata} 万元<extra></extra>",
        )
    fig.update_layout(title="“三公”经费趋势（各地区合计，万元）", xaxis=dict(dtick=1, title="预算年度"), height=420)
    return fig


ASSET_COLUMNS = [
    ("building_value_wan_yuan", "房屋价值"),
    ("vehicle_value_wan_yuan", "车辆价值"),
    ("furniture_value_wan_yuan", "办公家具价值"),
    ("other_assets_value_wan_yuan", "其他资产价值"),
]


def _assets(con, year: int):
    import plotly.graph_objects as go

    cols = ", ".join(c for c, _ in ASSET_COLUMNS)
    rows = _rows(
        con,
        f"""
        select region_name, {cols}, vehicle_count, unit_count from marts.mart_asset_holdings_regional
        where fiscal_year = ? and region_code not like '%-ALL' order by region_name""",
        [year],
    )
    if not rows:
        return None
    fig = go.Figure()
    for i, (_, label) in enumerate(ASSET_COLUMNS, start=1):
        fig.add_bar(
            name=label,
            x=[r[0] for r in rows],
            y=[_num(r[i]) for r in rows],
            customdata=[_exact(r[i]) for r in rows],
            hovertemplate="%{x}<br>" + label + "：%{customdata} 万元<extra></extra>",
        )
    fig.update_layout(barmode="group", title=f"{year}年 国有资产（各地区，不含全州合计；万元）", height=420)
    return fig


RATE_PLACES = Decimal("0.0001")


def _rate(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """决算数 / 年初预算 rounded half up to 4 places, as the execution marts' execution_rate."""
    from decimal import ROUND_HALF_UP

    if final is None or not budget:
        return None
    return (final / budget).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _percent(rate: Decimal | None) -> str:
    return "–" if rate is None else f"{(rate * 100).quantize(Decimal('0.01')):f}%"


def execution_by_region(con) -> list[tuple]:
    """(fiscal_year, region_code, region_name, 年初预算, 决算数, execution rate, units with both sides) per
    region and year, from marts.mart_budget_execution (scope 'all': 表三 vs 支出决算表, leaf lines): the
    budget and final sums of every line, the rate over the lines both sides print (as the regional mart)."""
    rows = _rows(
        con,
        """
        select e.fiscal_year, e.region_code, coalesce(any_value(r.region_name), e.region_code),
               sum(e.initial_budget_wan_yuan), sum(e.final_wan_yuan),
               sum(e.final_wan_yuan) filter (where e.initial_budget_wan_yuan is not null),
               sum(e.initial_budget_wan_yuan) filter (where e.final_wan_yuan is not null),
               count(distinct e.unit_id) filter (where e.initial_budget_wan_yuan is not null
                                                 and e.final_wan_yuan is not null)
        from marts.mart_budget_execution e
        left join (select distinct region_code, region_name from marts.mart_budget_execution_regional) r
          on r.region_code = e.region_code
        where e.scope = 'all'
        group by 1, 2 order by 1, 2""",
    )
    return [
        (y, code, name, budget, final, _rate(both_final, both_budget), units)
        for y, code, name, budget, final, both_final, both_budget, units in rows
    ]


def _execution_chart(rows: list[tuple]):
    import plotly.graph_objects as go

    if not rows:
        return None
    labels = [f"{r[0]} {r[2]}" for r in rows]
    fig = go.Figure()
    for i, name in ((3, "年初预算"), (4, "决算数")):
        fig.add_bar(
            name=name,
            x=labels,
            y=[_num(r[i]) for r in rows],
            customdata=[[_exact(r[i]), _percent(r[5])] for r in rows],
            hovertemplate="%{x}<br>" + name + "：%{customdata[0]} 万元<br>执行率 %{customdata[1]}<extra></extra>",
        )
    fig.update_layout(barmode="group", title="预算执行：各地区年初预算与决算数（支出总体，万元）", height=460)
    return fig


def _execution_table(rows: list[tuple]) -> str:
    out = [
        '<table class="execution"><thead><tr><th>年度</th><th>地区</th><th>年初预算（万元）</th>'
        "<th>决算数（万元）</th><th>执行率</th><th>预算、决算俱全的单位</th></tr></thead><tbody>"
    ]
    for y, _, name, budget, final, rate, units in rows:
        out.append(
            f"<tr><td>{_esc(y)}</td><td>{_esc(name)}</td><td class=n>{_esc(budget)}</td>"
            f"<td class=n>{_esc(final)}</td><td class=n>{html.escape(_percent(rate))}</td>"
            f"<td class=n>{_esc(units)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def three_public_execution(con) -> list[tuple]:
    """(fiscal_year, region_name, 预算数 of the 预算 表八, 决算数, execution rate, units over budget) of the
    “三公” 合计 per region and year (marts.mart_three_public_execution_regional)."""
    return _rows(
        con,
        """
        select fiscal_year, region_name, budget_wan_yuan, final_wan_yuan, execution_rate, unit_count_over_budget
        from marts.mart_three_public_execution_regional where item = 'total'
        order by fiscal_year, region_code""",
    )


def _three_public_execution_chart(rows: list[tuple]):
    import plotly.graph_objects as go

    if not rows:
        return None
    labels = [f"{r[0]} {r[1]}" for r in rows]
    fig = go.Figure()
    for i, name in ((2, "预算数"), (3, "决算数")):
        fig.add_bar(
            name=name,
            x=labels,
            y=[_num(r[i]) for r in rows],
            customdata=[[_exact(r[i]), _percent(r[4]), _exact(r[5])] for r in rows],
            hovertemplate="%{x}<br>“三公”经费" + name + "：%{customdata[0]} 万元<br>执行率 %{customdata[1]}，"
            "超预算单位 %{customdata[2]} 个<extra></extra>",
        )
    fig.update_layout(barmode="group", title="“三公”经费：预算数与决算数（各地区合计，万元）", height=460)
    return fig


def _quality_table(con, year: int) -> str:
    units = _rows(
        con,
        """
        select q.unit_name, coalesce(r.region_name, q.region_code), q.source_file, q.revision,
               q.tables_found, q.tables_expected, q.completeness_score,
               q.error_count, q.warning_count, q.info_count, q.document_id, q.narrative_document_id,
               q.disclosure_kind
        from marts.mart_disclosure_quality q
        left join (select distinct region_code, region_name from marts.mart_three_public_regional) r
          on r.region_code = q.region_code
        where q.fiscal_year = ?
        order by case q.disclosure_kind when '预算' then 0 else 1 end, q.disclosure_kind,
                 q.error_count desc, q.warning_count desc, q.unit_name""",
        [year],
    )
    if not units:
        return "<p>本年度没有公开质量记录。</p>"
    findings = _rows(
        con,
        """
        select document_id, rule_id, severity, coalesce(table_ref, ''), coalesce(message, '')
        from core.fct_findings where fiscal_year = ?
        order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, rule_id, finding_no""",
        [year],
    )
    by_document: dict[str, list[tuple]] = {}
    for f in findings:
        by_document.setdefault(f[0], []).append(f)
    out = [
        '<table class="quality"><thead><tr><th>类别</th><th>单位</th><th>地区</th><th>文件</th><th>版本</th>'
        "<th>公开表</th><th>完整度</th><th>错误</th><th>警告</th><th>提示</th><th>发现</th></tr></thead><tbody>"
    ]
    for u in units:
        items = by_document.get(u[10], []) + (by_document.get(u[11], []) if u[11] else [])
        if items:
            lis = "".join(
                f'<li class="{html.escape(f[2])}"><b>{html.escape(f[1])}</b> {html.escape(f[2])} '
                f"{html.escape(f[3])} {html.escape(f[4])}</li>"
                for f in items
            )
            detail = f"<details><summary>{len(items)} 条</summary><ul>{lis}</ul></details>"
        else:
            detail = "无"
        out.append(
            f'<tr class="kind-{_esc(u[12])}"><td>{_esc(u[12])}</td><td>{_esc(u[0])}</td><td>{_esc(u[1])}</td>'
            f"<td class=file>{_esc(u[2])}</td><td>{_esc(u[3])}</td>"
            f"<td>{_esc(u[4])}/{_esc(u[5])}</td><td>{_esc(u[6])}</td>"
            f'<td class="n{" bad" if u[7] else ""}">{_esc(u[7])}</td><td class=n>{_esc(u[8])}</td>'
            f"<td class=n>{_esc(u[9])}</td><td>{detail}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:1200px;
padding:0 16px 48px;color:#222}
h1{font-size:1.6em;margin:24px 0 4px}h2{border-bottom:2px solid #3060a0;padding-bottom:4px;margin-top:40px}
nav a{margin-right:12px}.meta{color:#666;font-size:.9em}
table.quality,table.execution{border-collapse:collapse;width:100%;font-size:.85em}
table.quality th,table.quality td,table.execution th,table.execution td{border:1px solid #ccc;padding:3px 6px;
vertical-align:top;text-align:left}
table.quality td.n,table.execution td.n{text-align:right}table.quality th{white-space:nowrap}
td.bad{color:#b00;font-weight:bold}
td.file{word-break:break-all;max-width:220px}
li.error b{color:#b00}li.warning b{color:#a60}li.info b{color:#468}
"""


def build_report(warehouse: Path, out: Path) -> ReportSummary:
    """Write the report of the warehouse at `warehouse` to `out` (atomically)."""
    import duckdb
    from plotly.offline import get_plotlyjs

    figures: list[str] = []
    sections: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        years = [
            r[0]
            for r in _rows(
                con,
                """
            select fiscal_year from marts.mart_disclosure_quality
            union select fiscal_year from marts.mart_regional_spending order by 1""",
            )
        ]
        units = _rows(con, "select count(distinct unit_id) from marts.mart_disclosure_quality")[0][0]
        trend = _three_public_trend(con)
        if trend is not None:
            figures.append(_figure_html(trend, "three-public-trend"))
            sections.append(f'<section id="trend"><h2>“三公”经费趋势</h2>{figures[-1]}</section>')
        execution = execution_by_region(con)
        if execution:
            parts = ['<section id="execution"><h2>预算执行（预算 vs 决算）</h2>']
            for key, fig in (
                ("execution-chart", _execution_chart(execution)),
                ("three-public-execution-chart", _three_public_execution_chart(three_public_execution(con))),
            ):
                if fig is not None:
                    figures.append(_figure_html(fig, key))
                    parts.append(figures[-1])
            parts.append(f"<h3>各地区预算执行率</h3>{_execution_table(execution)}</section>")
            sections.append("".join(parts))
        for year in reversed(years):
            parts = [f'<section id="y{year}"><h2>{year} 年度</h2>']
            for key, title, fig in (
                ("spending", "地区支出（按功能分类“类”）", _spending_by_class(con, year)),
                ("three-public", "各单位“三公”经费", _three_public_units(con, year)),
                ("assets", "国有资产", _assets(con, year)),
            ):
                parts.append(f"<h3>{title}</h3>")
                if fig is None:
                    parts.append("<p>本年度无数据。</p>")
                else:
                    figures.append(_figure_html(fig, f"{key}-{year}"))
                    parts.append(figures[-1])
            parts.append(f"<h3>公开质量（各单位发现）</h3>{_quality_table(con, year)}</section>")
            sections.append("".join(parts))

    nav = " ".join(f'<a href="#y{y}">{y}</a>' for y in reversed(years))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>部门预算公开数据报告</title><style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>部门预算公开数据报告</h1>
<p class="meta">{html.escape(warehouse.name)} · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC ·
{units} 个单位 · 金额单位：万元（精确值见提示框与表格） · 年度：{nav or "无"} · <a href="#trend">趋势</a> ·
<a href="#execution">预算执行</a></p>
{"".join(sections) or "<p>仓库中没有公开数据。</p>"}
</body></html>
"""
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return ReportSummary(path=out, years=list(years), charts=len(figures), units=units)


def external_references(page: str) -> list[str]:
    """src/href attributes of the page's markup that leave it (the report must have none). The
    inlined plotly.js holds link texts (attributions) that are not loaded: script bodies are skipped."""
    import re

    markup = re.sub(r"(?is)(<script\b[^>]*>).*?(</script>)", r"\1\2", page)
    return [m.group(0) for m in re.finditer(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"' >]+""", markup)]
