"""BI query latency at 10 years × 3,000 units.

Generating and parsing 30,000 documents would take hours on 2 cores, so the warehouse is
built from lake rows synthesised from a real loaded batch: the prefecture year (300 units,
mixed formats, parsed by the real pipeline) is replicated 10× under new unit names
(`…·k（模拟）`, registered in a copy of the dbt project's synthetic unit registry with their
region) and shifted back over 10 fiscal years, each replica a new document_id; then the real
dbt project builds the warehouse from that lake, and the queries run on a read-only connection.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.common import log, median, pct

QUERIES = {
    "regional_spending_by_year_region": """
        select fiscal_year, region_code, any_value(region_name) as region_name,
               sum(total_wan_yuan) as total, sum(basic_wan_yuan) as basic, sum(project_wan_yuan) as project
        from marts.mart_regional_spending group by 1, 2 order by 1, 2""",
    "three_public_trend_one_unit_10y": """
        select fiscal_year, total_wan_yuan, official_reception_wan_yuan, vehicle_operation_wan_yuan,
               yoy_change_wan_yuan
        from marts.mart_three_public_trends where unit_id = $unit order by fiscal_year""",
    "top20_units_by_total": """
        select e.unit_id, any_value(u.unit_name) as unit_name, any_value(u.region_code) as region_code,
               sum(e.total_wan_yuan) as total
        from core.fct_expenditure e join core.dim_unit u using (unit_id)
        where e.fiscal_year = $year and e.disclosure_kind = '预算'
        group by e.unit_id order by total desc limit 20""",
    "findings_by_rule_for_a_year": """
        select rule_id, severity, count(*) as findings, count(distinct unit_id) as units
        from core.fct_findings where fiscal_year = $year group by 1, 2 order by findings desc""",
}


def _rename(expr: str, k: str) -> str:
    return f"replace({expr}, '（模拟）', '·' || {k} || '（模拟）')"


def synthesise(source_lake: Path, out: Path, copies: int, years: int) -> dict:
    """Write `years` lake batches, each holding `copies` renamed replicas of every source batch row."""
    import duckdb

    from ingest.model import RAW_TABLES

    batches = sorted(p for p in source_lake.glob("batch=*") if (p / "_SUCCESS").exists())
    lake = out / "lake"
    if out.exists():
        shutil.rmtree(out)
    lake.mkdir(parents=True)
    shutil.copytree(source_lake / "quarantine", lake / "quarantine")
    from ingest.lake import ensure_acceptances

    ensure_acceptances(lake)  # dbt's acceptances source (none accepted in the replicas)
    con = duckdb.connect()
    started = time.perf_counter()
    for y in range(years):
        batch_id = f"20300101T0000{y:02d}000000Z-{uuid.uuid4().hex[:8]}"
        folder = lake / f"batch={batch_id}"
        folder.mkdir()
        for name in RAW_TABLES:
            src = [str(b / f"{name}.parquet") for b in batches]
            cols = [
                r[0]
                for r in con.execute(f"describe select * from read_parquet({src!r}, union_by_name=true)").fetchall()
            ]
            repl = {
                "document_id": f"sha256(document_id || '-' || k || '-' || {y})",
                "source_file": f"'BI-' || k || '-' || {y} || '-' || source_file",
                "unit_name": _rename("unit_name", "k"),
                "unit_name_variants": _rename("unit_name_variants", "k"),
                "fiscal_year": f"fiscal_year - {y}",
                "batch_id": f"'{batch_id}'",
                "loaded_at": f"loaded_at + interval {y} second",
                "signed_date": f"signed_date - interval {y} year",
            }
            select = ", ".join(f"{repl[c]} as {c}" if c in repl else c for c in cols)
            con.execute(
                f"copy (select {select} from read_parquet({src!r}, union_by_name=true), range({copies}) r(k)) "
                f"to '{folder / (name + '.parquet')}' (format parquet, compression zstd)"
            )
        (folder / "_SUCCESS").write_text(batch_id)
    docs = con.execute(f"select count(*) from read_parquet('{lake}/batch=*/raw_documents.parquet')").fetchone()[0]
    return {"docs": docs, "synth_s": round(time.perf_counter() - started, 3), "lake_bytes": _bytes(lake)}


def _bytes(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def registry(source_registry: Path, copies: int) -> list[dict]:
    rows = list(csv.DictReader(source_registry.open(encoding="utf-8")))
    out = []
    for k in range(copies):
        for r in rows:
            ren = lambda s: s.replace("（模拟）", f"·{k}（模拟）")  # noqa: E731
            out.append(
                {
                    **r,
                    "unit_id": f"{r['unit_id']}-{k}",
                    "unit_name": ren(r["unit_name"]),
                    "aliases": "|".join(ren(a) for a in r["aliases"].split("|") if a),
                }
            )
    return out


def bi(params: dict) -> dict:
    import duckdb

    from ingest.settings import PROJECT_ROOT

    out = Path(params["data_dir"])
    copies, years = params.get("copies", 10), params.get("years", 10)
    log(f"  synthesising {copies} × units × {years} years of lake rows from {params['source_lake']}")
    synth = synthesise(Path(params["source_lake"]), out, copies, years)
    log(f"  {synth['docs']} documents in the lake ({synth['lake_bytes'] / 1e6:.0f} MB) in {synth['synth_s']:.1f} s")
    # a copy of the dbt project whose synthetic registry lists the replicated units
    project = out / "dbt_project"
    shutil.copytree(PROJECT_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    rows = registry(Path(params["registry"]), copies)
    with (project / "seeds" / "synthetic_unit_registry.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    env = {**os.environ, "BUDGET_WAREHOUSE_DATA": str(out), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("BUDGET_WAREHOUSE_DBT_DATABASE", None)
    dbt = Path(sys.executable).with_name("dbt")
    started = time.perf_counter()
    from orchestration.defs.assets import DBT_BUILD_ARGS

    subprocess.run(
        [str(dbt), *DBT_BUILD_ARGS, "--project-dir", str(project), "--profiles-dir", str(project), "--quiet"],
        env=env,
        check=True,
        cwd=project,
    )
    dbt_s = time.perf_counter() - started
    warehouse = out / "warehouse.duckdb"
    log(f"  dbt build of {synth['docs']} documents: {dbt_s:.1f} s, warehouse {warehouse.stat().st_size / 1e6:.0f} MB")

    runs = params.get("runs", 30)
    con = duckdb.connect(str(warehouse), read_only=True)
    units = con.execute(
        "select count(distinct unit_id), count(distinct fiscal_year) from marts.mart_disclosure_quality"
    ).fetchone()
    year = con.execute("select max(fiscal_year) from marts.mart_disclosure_quality").fetchone()[0]
    unit = con.execute(
        "select unit_id from marts.mart_three_public_trends group by 1 order by count(*) desc, unit_id limit 1"
    ).fetchone()[0]
    qparams = {"year": year, "unit": unit}
    results, all_ms = {}, []
    for name, sql in QUERIES.items():
        args = {k: v for k, v in qparams.items() if f"${k}" in sql}
        started = time.perf_counter()
        n = len(con.execute(sql, args).fetchall())
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            con.execute(sql, args).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        all_ms += times
        results[name] = {
            "rows": n,
            "first_ms": round(first, 2),
            "p50_ms": round(median(times), 2),
            "p95_ms": round(pct(times, 95), 2),
        }
        log(f"  {name}: {n} rows, p50 {results[name]['p50_ms']:.1f} ms, p95 {results[name]['p95_ms']:.1f} ms")
    con.close()
    return {
        **synth,
        "units": units[0],
        "fiscal_years": units[1],
        "dbt_build_s": round(dbt_s, 3),
        "warehouse_bytes": warehouse.stat().st_size,
        "runs_per_query": runs,
        "queries": results,
        "bi_query_p50_ms": round(median(all_ms), 2),
        "bi_query_p95_ms": round(max(q["p95_ms"] for q in results.values()), 2),
    }
