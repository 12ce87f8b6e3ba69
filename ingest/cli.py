"""`check FILE`: what a unit sees before it publishes — tables and facts recognised, every finding.

Exit status: 0 when there is no error finding, 1 when there is, 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from ingest.pipeline import parse_path
from ingest.recognize.parts import publication_part


def _json_default(o):
    if isinstance(o, Decimal):
        return str(o)
    return str(o)


def _final_tables(d) -> list[dict]:
    tables: dict[int, dict] = {}
    for r in d.table("raw_final_lines"):
        t = tables.setdefault(
            r["table_no"],
            {
                "table_no": r["table_no"],
                "table_kind": r["table_kind"],
                "table_title": r["table_title"],
                "lines": set(),
                "cells": 0,
            },
        )
        t["lines"].add(r["row_no"])
        t["cells"] += 1
    return [{**t, "lines": len(t["lines"])} for _, t in sorted(tables.items())]


def report(parsed) -> dict:
    d = parsed.disclosure
    return {
        "file": str(parsed.path),
        "sha256": parsed.document_id,
        "reader": parsed.reader,
        "encoding": parsed.encoding,
        "unit_name": d.unit_name,
        "unit_name_variants": d.unit_name_variants,
        "fiscal_year": d.fiscal_year,
        "publication_part": publication_part(d),
        "disclosure_kind": next((r["disclosure_kind"] for r in d.table("raw_documents")), None),
        "tables": [
            {k: r[k] for k in ("table_code", "status", "row_count", "money_unit", "note")}
            for r in d.table("raw_tables")
        ],
        # a 决算's tables, by kind (ingest/recognize/final_accounts.py): its cells are raw_final_lines
        "final_tables": _final_tables(d),
        "facts": {name: len(rows) for name, rows in d.rows.items()},
        "findings": [f.as_row() for f in d.findings],
    }


def print_human(rep: dict, out=None) -> None:
    out = out or sys.stdout

    def w(s: str = "") -> None:
        print(s, file=out)

    w(f"文件 file: {rep['file']}")
    w(f"  单位 unit: {rep['unit_name']}  (写法 spellings: {' / '.join(rep['unit_name_variants']) or '-'})")
    w(f"  年度 fiscal year: {rep['fiscal_year']}   reader: {rep['reader']} ({rep['encoding'] or '-'})")
    if rep["publication_part"] != "whole":
        other = "tables (公开表)" if rep["publication_part"] == "narrative" else "narrative (情况说明)"
        w(
            f"  部分 part: {rep['publication_part']} of a split publication — its {other} is another file; "
            "the narrative-vs-table rules run when both are loaded"
        )
    if rep["disclosure_kind"]:
        w(f"  公开类型 kind: {rep['disclosure_kind']}")
    w("表 tables:")
    for t in rep["tables"]:
        note = f"  备注: {t['note']}" if t["note"] else ""
        w(f"  {t['table_code']}  {t['status']:<8} {t['row_count']:>3} rows  {t['money_unit'] or ''}{note}")
    for t in rep["final_tables"]:
        w(
            f"  {t['table_no']:>2}. {t['table_kind']:<34} {t['lines']:>3} lines {t['cells']:>4} cells  "
            f"{t['table_title'] or ''}"
        )
    w("事实 facts recognised:")
    for name, n in rep["facts"].items():
        w(f"  {name:<34} {n:>4}")
    findings = rep["findings"]
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    w(f"发现 findings: {counts['error']} error, {counts['warning']} warning, {counts['info']} info")
    for f in findings:
        amounts = ""
        if f["expected"] is not None or f["actual"] is not None:
            amounts = f"  [expected {f['expected']}, actual {f['actual']}, difference {f['difference']}]"
        w(f"  {f['severity'].upper():<7} {f['rule_id']:<22} {f['message']}{amounts}")
        if f["location"]:
            w(f"          at {f['location']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="check", description="Check one budget disclosure file before publishing it.")
    ap.add_argument("file", type=Path)
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    if not args.file.is_file():
        print(f"check: {args.file}: no such file", file=sys.stderr)
        return 2
    parsed = parse_path(args.file)
    if parsed.error is not None:
        if args.json:
            print(
                json.dumps(
                    {"file": str(args.file), "sha256": parsed.document_id, "error": parsed.error}, ensure_ascii=False
                )
            )
        else:
            print(f"check: {args.file}: cannot be read as a budget disclosure: {parsed.error}", file=sys.stderr)
        return 2
    rep = report(parsed)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=2, default=_json_default))
    else:
        print_human(rep)
    return 1 if any(f["severity"] == "error" for f in rep["findings"]) else 0


if __name__ == "__main__":
    sys.exit(main())
