"""Validation: Pandera schemas on every raw table, then reconciliation rules with ids."""
from __future__ import annotations

from ingest.disclosure import Disclosure
from ingest.validate.rules import RULES, run_rules
from ingest.validate.schemas import validate_schemas

__all__ = ["RULES", "validate"]


def validate(d: Disclosure) -> Disclosure:
    validate_schemas(d)
    run_rules(d)
    return d
