"""Validation: Pandera schemas on every raw table, then reconciliation rules with ids.

A row that fails its schema is reported (SCHEMA findings) and, once the rules have run on the rows
as printed (so the findings do not depend on it), set aside into `raw_rejected_rows`: it never
reaches the raw table dbt reads as valid (ingest/validate/schemas.py)."""

from __future__ import annotations

from ingest.disclosure import Disclosure
from ingest.validate.rules import RULES, run_rules
from ingest.validate.schemas import set_aside_rejected, validate_schemas

__all__ = ["RULES", "validate"]


def validate(d: Disclosure, rules=None) -> Disclosure:
    """Schemas, then the reconciliation rules: all of them, or the given ones (a narrative part runs
    those that need no tables, ingest/publications.py); then the rows that failed their schema are
    set aside."""
    failures = validate_schemas(d)
    if rules is None:
        run_rules(d)
    else:
        for r in rules:
            d.findings.extend(r.check(d))
    set_aside_rejected(d, failures)
    return d
