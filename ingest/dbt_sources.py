"""The dbt source of the lake (`dbt_project/models/staging/__sources.yml`, source `lake`), generated
from the one declaration of the raw tables (`ingest/model.py`, RAW_TABLES).

Each raw table's name, description and columns (name, and the column's `doc`, else its type and
nullability) are written from the model; what only dbt knows — a column's or table's
`data_tests`, a table's `config` — is kept from the file as it is. Adding a raw column is one edit
of `ingest/model.py` plus

    uv run python -m ingest.dbt_sources --write

(and its cast in the staging model, which tests/test_schema_drift.py checks); the drift test fails
while the yml differs from what this renders.
"""

from __future__ import annotations

import json
import sys

import yaml

from ingest.model import RAW_TABLES, Column
from ingest.settings import DBT_PROJECT_DIR

SOURCES = DBT_PROJECT_DIR / "models" / "staging" / "__sources.yml"
_LAKE = "  - name: lake\n"
_TABLES = "    tables:\n"
_NEXT_SOURCE = "\n  - name: "
_KEPT_TABLE_KEYS = ("data_tests", "config", "meta")  # dbt-only keys of a table, kept as written
_KEPT_COLUMN_KEYS = ("data_tests", "config", "meta")


def _description(c: Column) -> str:
    return c.doc or f"{c.kind}{'' if c.nullable else ', not null'}"


def _flow(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()


def _current_lake_tables(text: str) -> dict[str, dict]:
    spec = yaml.safe_load(text) or {}
    lake = next((s for s in spec.get("sources", []) if s.get("name") == "lake"), {})
    return {t["name"]: t for t in lake.get("tables", [])}


def render_tables(current: dict[str, dict]) -> str:
    lines = []
    for name, table in RAW_TABLES.items():
        kept = current.get(name, {})
        lines.append(f"      - name: {name}")
        lines.append(f"        description: {json.dumps(table.doc, ensure_ascii=False)}")
        for key in _KEPT_TABLE_KEYS:
            if key in kept:
                lines.append(f"        {key}: {_flow(kept[key])}")
        lines.append("        columns:")
        kept_columns = {c["name"]: c for c in kept.get("columns", [])}
        for c in table.all_columns:
            lines.append(f"          - name: {c.name}")
            lines.append(f"            description: {json.dumps(_description(c), ensure_ascii=False)}")
            for key in _KEPT_COLUMN_KEYS:
                if key in kept_columns.get(c.name, {}):
                    lines.append(f"            {key}: {_flow(kept_columns[c.name][key])}")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    """`text` (the sources yml) with the lake source's tables written from RAW_TABLES."""
    start = text.index(_TABLES, text.index(_LAKE)) + len(_TABLES)
    stop = text.find(_NEXT_SOURCE, start)
    tables = render_tables(_current_lake_tables(text))
    if stop < 0:
        return text[:start] + tables
    return text[:start] + tables + "\n" + text[stop + 1 :]  # a blank line before the next source


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    current = SOURCES.read_text(encoding="utf-8")
    wanted = render(current)
    if "--write" in args:
        SOURCES.write_text(wanted, encoding="utf-8")
        print(f"wrote {SOURCES}")
        return 0
    if wanted != current:
        print(f"{SOURCES} differs from ingest/model.py: run python -m ingest.dbt_sources --write", file=sys.stderr)
        return 1
    print(f"{SOURCES} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
