"""What one parsed disclosure is: typed raw rows per lake table, plus findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    rule_id: str
    severity: str
    message: str
    table_ref: str | None = None
    location: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        from ingest.rule_ids import check  # the registry of rule ids (imported late: it reads the rules)

        check(self.rule_id, self.severity)
        if self.difference is None and self.expected is not None and self.actual is not None:
            self.difference = self.actual - self.expected

    def as_row(self) -> dict:
        return asdict(self)


@dataclass
class Disclosure:
    """A disclosure as recognized. `rows` maps raw table name → rows (no provenance yet)."""

    source_name: str
    unit_name: str | None = None
    unit_name_variants: list[str] = field(default_factory=list)
    fiscal_year: int | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def table(self, name: str) -> list[dict]:
        return self.rows.get(name, [])

    def facts(self, key: str) -> list[dict]:
        return [f for f in self.table("raw_narrative_facts") if f["fact_key"] == key]

    def fact(self, key: str, subject: str | None = None) -> dict | None:
        for f in self.facts(key):
            if subject is None or f.get("subject") == subject:
                return f
        return None
