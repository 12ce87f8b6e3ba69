"""Every knob of the product, in one place. All paths derive from one setting:
BUDGET_WAREHOUSE_DATA (default ./data).

The per-file caps of the ingest (docs/reliability.md) have documented defaults, each overridable
by an environment variable (CAP_VARS); 0 turns a cap off. The inbox sensor's timing (SENSOR_VARS)
and the PostgreSQL publication (PG_DSN_VAR, PG_ROLE_VAR) are read here too: no other module reads
the environment for a setting of its own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "BUDGET_WAREHOUSE_DATA"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# cap → (environment variable, default). The largest real disclosure in ../shared is 1.2 MB and 50 pages
# and parses in seconds (docs/realworld.md): the defaults leave a wide margin and still stop a file that
# would hold a load for hours or exhaust the machine.
CAP_VARS: dict[str, tuple[str, float]] = {
    "max_file_mb": ("BUDGET_WAREHOUSE_MAX_FILE_MB", 50),  # file size, checked before reading
    "max_pages": ("BUDGET_WAREHOUSE_MAX_PAGES", 500),  # PDF page count, checked before parsing
    "parse_seconds": ("BUDGET_WAREHOUSE_PARSE_SECONDS", 120),  # wall clock of one file's parse
    "parse_memory_mb": ("BUDGET_WAREHOUSE_PARSE_MEMORY_MB", 2048),  # address space a parse may add
}


# knob → (environment variable, default): the inbox sensor (orchestration/defs/sensors.py)
SENSOR_VARS: dict[str, tuple[str, float]] = {
    # a file modified this recently may still be being copied in; it is picked up a tick later
    "settle_seconds": ("BUDGET_WAREHOUSE_SETTLE_SECONDS", 5),
    # seconds between two looks at the inbox (read when the Dagster definitions load)
    "interval_seconds": ("BUDGET_WAREHOUSE_SENSOR_INTERVAL", 30),
}
# The PostgreSQL publication (orchestration/publish_pg.py): where to publish (unset = DuckDB only),
# and the read-only role BI logins are members of.
PG_DSN_VAR = "BUDGET_WAREHOUSE_PG_DSN"
PG_ROLE_VAR = "BUDGET_WAREHOUSE_PG_BI_ROLE"
DEFAULT_BI_ROLE = "budget_bi"


def _number(var: str, default: float, off: str = "0 turns the cap off") -> float:
    raw = os.environ.get(var, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{var}={raw!r}: not a number (default {default}; {off})") from None
    if value < 0:
        raise ValueError(f"{var}={raw!r}: must be ≥ 0 ({off})")
    return value


def _cap(name: str) -> float:
    return _number(*CAP_VARS[name])


def _sensor(name: str) -> float:
    return _number(*SENSOR_VARS[name], off="0 = no wait")


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
class Sensor:
    """The inbox sensor's timing."""

    settle_seconds: float = field(default_factory=lambda: _sensor("settle_seconds"))
    interval_seconds: int = field(default_factory=lambda: max(1, int(_sensor("interval_seconds"))))


@dataclass(frozen=True)
class Publication:
    """PostgreSQL publication of the marts: a libpq DSN (None: the marts are served from DuckDB only)
    and the read-only role granted SELECT on them."""

    pg_dsn: str | None = field(default_factory=lambda: os.environ.get(PG_DSN_VAR) or None)
    pg_bi_role: str = field(default_factory=lambda: os.environ.get(PG_ROLE_VAR) or DEFAULT_BI_ROLE)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    caps: Caps = field(default_factory=Caps)
    sensor: Sensor = field(default_factory=Sensor)
    publication: Publication = field(default_factory=Publication)

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

    def ensure(self) -> "Settings":
        for p in (self.inbox, self.lake, self.quarantine, self.originals):
            p.mkdir(parents=True, exist_ok=True)
        return self
