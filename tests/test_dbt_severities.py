"""dbt test severities: what the code guarantees fails the build (error, the project default: keys,
contracts, the unknown-member and unregistered-unit mechanics), what a document printed only warns
(it is a finding about that document, and one unit's document never blocks the warehouse).

The document-derived tests are listed here: making a test warn is a decision this list records, and
a test listed here that turned back into an error fails."""

from __future__ import annotations

from pathlib import Path

import yaml

DBT = Path(__file__).resolve().parents[1] / "dbt_project"

# (model, column or None for a model-level test, test name): checks of figures as the documents print them
DOCUMENT_DERIVED = {
    # a line whose 合计 differs from its 基本 + 项目 split (ROW-PARTS at ingest)
    ("mart_regional_spending", None, "expression_is_true"),
    ("mart_unit_spending", None, "expression_is_true"),
    # a functional code of a level the lists do not have (CODE-* findings)
    ("fct_expenditure", "functional_level", "accepted_values"),
    # whether a printed unit name resolved to the registry (UNIT-UNRESOLVED findings)
    ("int_document_revisions", "is_registered_unit", "accepted_values"),
    # the 三公 total as printed (表八, else the 情况说明): a unit may print none (ROW-PARTS, XT-THREE-PUBLIC)
    ("mart_three_public_trends", "total_wan_yuan", "not_null"),
    ("mart_three_public_regional", "total_wan_yuan", "not_null"),
    # an operator's acceptance of a held revision whose document is no longer in the lake does nothing
    ("stg_revision_acceptances", "document_id", "relationships"),
}


def _tests():
    """(model, column, test name, severity or None) of every data test in the model YAML."""
    for f in sorted((DBT / "models").rglob("*.yml")):
        spec = yaml.safe_load(f.read_text(encoding="utf-8"))
        for m in spec.get("models") or []:
            entries = [(None, t) for t in m.get("data_tests") or []]
            entries += [(c["name"], t) for c in m.get("columns") or [] for t in c.get("data_tests") or []]
            for column, t in entries:
                name = t if isinstance(t, str) else next(iter(t))
                body = {} if isinstance(t, str) else (t[name] or {})
                yield m["name"], column, name, (body.get("config") or {}).get("severity")


def test_the_project_default_is_error():
    project = yaml.safe_load((DBT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["tests"]["budget_warehouse"]["+severity"] == "error"


def test_document_derived_checks_warn_and_only_they():
    warn = {(m, c, n) for m, c, n, sev in _tests() if sev == "warn"}
    assert warn == DOCUMENT_DERIVED
    assert {sev for *_, sev in _tests()} <= {None, "warn"}  # nothing else overrides the default
