"""All paths derive from one setting: BUDGET_WAREHOUSE_DATA (default ./data).

The per-file caps of the ingest (docs/reliability.md) have documented defaults, each overridable
by an environment variable (CAP_VARS); 0 turns a cap off."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "BUDGET_WAREHOUSE_DATA"

# cap → (environment variable, default). The largest real disclosure in ../shared is 1.2 MB and 50 pages
# and parses in seconds (docs/realworld.md): the defaults leave a wide margin and still stop a file that
# would hold a load for hours or exhaust the machine.
CAP_VARS: dict[str, tuple[str, float]] = {
    "max_file_mb": ("BUDGET_WAREHOUSE_MAX_FILE_MB", 50),  # file size, checked before reading
    "max_pages": ("BUDGET_WAREHOUSE_MAX_PAGES", 500),  # PDF page count, checked before parsing
    "parse_seconds": ("BUDGET_WAREHOUSE_PARSE_SECONDS", 120),  # wall clock of one file's parse
    "parse_memory_mb": ("BUDGET_WAREHOUSE_PARSE_MEMORY_MB", 2048),  # address space a parse may add
}


def _cap(name: str) -> float:
    var, default = CAP_VARS[name]
    raw = os.environ.get(var, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{var}={raw!r}: not a number (default {default}; 0 turns the cap off)") from None
    if value < 0:
        raise ValueError(f"{var}={raw!r}: must be ≥ 0 (0 turns the cap off)")
    return value


@dataclass(frozen=True)
class Caps:
    """Per-file limits of the ingest; a file over one is quarantined with a reason naming the cap
    and its variable, and the rest of its batch loads (ingest/caps.py). 0 = no limit."""

    max_file_mb: float = field(default_factory=lambda: _cap("max_file_mb"))
    max_pages: float = field(default_factory=lambda: _cap("max_pages"))
    parse_seconds: float = field(default_factory=lambda: _cap("parse_seconds"))
    parse_memory_mb: float = field(default_factory=lambda: _cap("parse_memory_mb"))

    def var(self, name: str) -> str:
        return CAP_VARS[name][0]


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    caps: Caps = field(default_factory=Caps)

    @classmethod
    def from_env(cls) -> "Settings":
        raw = os.environ.get(ENV_VAR)
        base = Path(raw) if raw else PROJECT_ROOT / "data"
        return cls(data_dir=base.resolve())

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def lake(self) -> Path:
        return self.data_dir / "lake"

    @property
    def quarantine(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def originals(self) -> Path:
        """Exact bytes of every loaded file, by SHA-256."""
        return self.data_dir / "originals"

    @property
    def quarantine_records(self) -> Path:
        """One Parquet reason record per quarantined content (`<sha256>.parquet`), read by dbt."""
        return self.lake / "quarantine"

    @property
    def warehouse(self) -> Path:
        """The published warehouse BI tools read; replaced atomically by each build."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def builds(self) -> Path:
        """Where dbt builds the next warehouse (`<run>/warehouse.duckdb`) before it is published."""
        return self.data_dir / ".build"

    @property
    def dagster_home(self) -> Path:
        """Default DAGSTER_HOME of `make dev` and `budget-warehouse` (runs, sensor cursor)."""
        return self.data_dir / ".dagster"

    def ensure(self) -> "Settings":
        for p in (self.inbox, self.lake, self.quarantine, self.originals):
            p.mkdir(parents=True, exist_ok=True)
        return self
