"""Smoke test of the benchmark code (`python -m bench`) on a tiny corpus.

Not a timed test: it checks that each measurement runs and returns the keys the report
needs, that the cell-accuracy scorer credits an exact extraction fully, and that the report
writes every key the issue asks for. Speed is never asserted.
"""

import json
from pathlib import Path

import pytest

from bench import accuracy, measure, report
from bench.common import run_step
from bench.gen import MIXED, generate

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("bench")
    return {
        "txt": generate(out / "txt", ("txt",), 1, [2021], limit=2, workers=1)["files"],
        "xlsx": generate(out / "xlsx", ("xlsx",), 1, [2021], limit=1, workers=1)["files"],
        "pdf": generate(out / "pdf", ("pdf",), 1, [2021], limit=1, cells=True, workers=1)["files"],
    }


def test_generate_writes_files_registry_and_ground_truth_cells(tiny):
    pdf = Path(tiny["pdf"][0])
    assert pdf.exists() and Path(str(pdf) + ".cells.json").exists()
    assert (pdf.parent / "unit_registry.synthetic.csv").exists()
    assert len(tiny["txt"]) == 2
    assert MIXED.count("pdf") == 4 and len(MIXED) == 10


def test_cell_accuracy_of_an_exact_extraction_is_one(tiny):
    pdf = tiny["pdf"][0]
    truth = json.loads(Path(pdf + ".cells.json").read_text(encoding="utf-8"))
    assert truth and {"label", "positions", "values"} <= set(truth[0])
    found, total = accuracy.score(truth, accuracy.our_rows(pdf))
    assert total > 50 and found == total
    # an extractor that loses a value is not credited for it
    rows = [list(r) for r in accuracy.our_rows(pdf)]
    for r in rows:
        if r and accuracy.norm(r[0]).startswith("合计"):
            r[-1] = "0.01"
    assert accuracy.score(truth, rows)[0] < total
    assert accuracy.norm(" 合 \n 计\u3000") == "合计"


def test_throughput_and_xlsx_peer_results(tiny):
    r = measure.throughput({"fmt": "txt", "files": tiny["txt"], "repeats": 1})
    assert {"docs_per_s_per_core", "median_doc_s", "p95_doc_s", "runs_s", "unreadable"} <= set(r)
    assert r["docs"] == 2 and r["unreadable"] == 0
    x = measure.xlsx_peers({"files": tiny["xlsx"], "repeats": 1, "inspect": 1})
    assert {"ours_s_per_doc", "pandas_s_per_doc", "merged_ranges_pandas_loses", "cells_pandas_returns_as_float"} <= set(
        x
    )
    assert x["merged_ranges_pandas_loses"] > 0 and x["cells_pandas_returns_as_float"] > 0


def test_a_step_runs_in_its_own_process_with_peak_rss(tiny, tmp_path):
    r = run_step("throughput", {"fmt": "txt", "files": tiny["txt"][:1], "repeats": 1}, tmp_path)
    assert r["docs"] == 1 and r["peak_rss_mb"] > 0 and r["wall_s"] > 0


def test_report_has_every_required_key(tiny, tmp_path):
    res = {
        "quick": True,
        "bench_seconds": 1.0,
        "throughput": {"txt": measure.throughput({"fmt": "txt", "files": tiny["txt"], "repeats": 1})},
        "generation": {"txt": {"docs": 2, "seconds": 0.1, "docs_per_s": 20.0, "bytes": 1000}},
    }
    res["throughput"]["txt"]["peak_rss_mb"] = 100.0
    md, js = report.write(res, tmp_path)
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert set(report.REQUIRED_KEYS) <= set(doc)
    assert doc["peak_rss_mb"] == 100.0 and doc["pdf_speed_vs_camelot"] is None
    assert {"cpu", "cores", "ram_gib", "python", "packages", "date"} <= set(doc["machine"])
    text = md.read_text(encoding="utf-8")
    assert "## Machine" in text and "## Targets" in text and "| txt |" in text
