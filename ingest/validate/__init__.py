"""Validation: Pandera schemas on every raw table, then reconciliation rules with ids."""
from __future__ import annotations

from ingest.disclosure import Disclosure
from ingest.validate.rules import RULES, run_rules
from ingest.validate.schemas import validate_schemas

__all__ = ["RULES", "validate"]


def validate(d: Disclosure, rules=None) -> Disclosure:
    """Schemas, then the reconciliation rules: all of them, or the given ones (a narrative part runs
    those that need no tables, ingest/publications.py)."""
    validate_schemas(d)
    if rules is None:
        run_rules(d)
    else:
        for r in rules:
            d.findings.extend(r.check(d))
    return d
