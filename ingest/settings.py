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
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    def ensure(self) -> "Settings":
        for p in (self.inbox, self.lake, self.quarantine, self.originals):
            p.mkdir(parents=True, exist_ok=True)
        return self
