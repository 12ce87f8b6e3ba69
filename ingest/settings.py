"""All paths derive from one setting: BUDGET_WAREHOUSE_DATA (default ./data)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "BUDGET_WAREHOUSE_DATA"


@dataclass(frozen=True)
class Settings:
    data_dir: Path

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
