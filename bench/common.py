"""Helpers shared by the orchestrator and the workers: subprocess steps, timing, RSS."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def peak_rss_mb() -> float:
    """Peak RSS of this process and of its waited-for children (pool workers, dbt), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def pct(xs: list[float], q: float) -> float:
    """q-th percentile (0..100), nearest-rank on the sorted sample."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def run_step(step: str, params: dict, workdir: Path, env: dict | None = None) -> dict:
    """Run `python -m bench.worker STEP` in a fresh process; returns its JSON result plus
    `wall_s` and `peak_rss_mb` (wait4: the worker and every descendant it waited for)."""
    workdir.mkdir(parents=True, exist_ok=True)
    pfile = workdir / f"{step}-{time.time_ns()}.params.json"
    rfile = pfile.with_suffix("").with_suffix(".result.json")
    pfile.write_text(json.dumps(params, ensure_ascii=False, default=str), encoding="utf-8")
    full_env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.worker", step, str(pfile), str(rfile)], cwd=ROOT, env=full_env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not rfile.exists():
        raise RuntimeError(f"bench step {step} failed (exit {proc.returncode})")
    result = json.loads(rfile.read_text(encoding="utf-8"))
    result["wall_s"] = round(wall, 3)
    result["peak_rss_mb"] = round(max(usage.ru_maxrss / 1024, result.get("peak_rss_mb", 0)), 1)
    return result
