"""Every rule id in one registry (ingest/rule_ids.py): Finding refuses the others, every id the code
raises — in Python or in dbt SQL — is registered, and docs/rules.md's tables are generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.disclosure import Finding
from ingest.rule_ids import DOCS, registry, render_docs

ROOT = Path(__file__).resolve().parents[1]


def raised_in_code() -> dict[str, set[str]]:
    """rule id → files, for every literal id the code raises: Finding("ID", …) / rule_id="ID" in
    Python, 'ID' as rule_id in the dbt models."""
    out: dict[str, set[str]] = {}
    for path in (ROOT / "ingest").rglob("*.py"):
        for rid in re.findall(
            r'(?:Finding\(\s*|rule_id\s*=\s*|@rule\(\s*)"([A-Z][A-Z-]+)"', path.read_text(encoding="utf-8")
        ):
            out.setdefault(rid, set()).add(str(path.relative_to(ROOT)))
    for path in (ROOT / "dbt_project" / "models").rglob("*.sql"):
        for rid in re.findall(r"'([A-Z][A-Z-]+)'\s+as\s+rule_id", path.read_text(encoding="utf-8")):
            out.setdefault(rid, set()).add(str(path.relative_to(ROOT)))
    return out


def test_every_raised_id_is_registered():
    raised = raised_in_code()
    assert len(raised) >= 30
    unregistered = {rid: sorted(files) for rid, files in raised.items() if rid not in registry()}
    assert not unregistered


def test_every_registered_id_is_raised_somewhere():
    assert set(registry()) <= set(raised_in_code())


def test_finding_refuses_an_unknown_id_or_severity():
    with pytest.raises(ValueError, match="unknown rule id"):
        Finding("NO-SUCH-RULE", "error", "x")
    with pytest.raises(ValueError, match="severities"):
        Finding("DOC-UNIT-VARIANT", "error", "x")
    assert Finding("XT-THREE-PUBLIC", "info", "x").severity == "info"  # registered with also=("info",)


def test_docs_rule_tables_are_generated_from_the_registry():
    text = DOCS.read_text(encoding="utf-8")
    assert render_docs(text) == text, "run: uv run python -m ingest.rule_ids --write-docs"
    for rid in registry():
        assert f"| {rid} |" in text
