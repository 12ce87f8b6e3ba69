"""Resources: where the data lives, the warehouse (DuckDB), and the dbt CLI."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import dagster as dg
from dagster_dbt import DbtCliResource
from pydantic import Field

from ingest.settings import ENV_VAR, Settings

from .project import dbt_project


class WarehousePaths(dg.ConfigurableResource):
    """The data folder (inbox, lake, quarantine, warehouse.duckdb).

    Left unset, it is read from BUDGET_WAREHOUSE_DATA when a run starts, not when the
    definitions load, so one code location serves whatever folder the process is given.
    """

    data_dir: Optional[str] = Field(
        default=None,
        description=f"Data folder; default ${ENV_VAR} (or <project>/data).",
    )

    def settings(self) -> Settings:
        if self.data_dir:
            return Settings(data_dir=Path(self.data_dir).resolve())
        return Settings.from_env()

    @contextmanager
    def dbt_env(self) -> Iterator[Settings]:
        """Point dbt (which reads env_var('BUDGET_WAREHOUSE_DATA')) at this data folder.

        DbtCliResource copies os.environ into the dbt subprocess when the command starts,
        so the variable only needs to be set around that call.
        """
        settings = self.settings()
        previous = os.environ.get(ENV_VAR)
        os.environ[ENV_VAR] = str(settings.data_dir)
        try:
            yield settings
        finally:
            if previous is None:
                os.environ.pop(ENV_VAR, None)
            else:
                os.environ[ENV_VAR] = previous

    def connect_warehouse(self, read_only: bool = True):
        """A DuckDB connection to the warehouse (read-only: dbt is its only writer)."""
        import duckdb

        return duckdb.connect(str(self.settings().warehouse), read_only=read_only)


def build_resources() -> dict[str, object]:
    return {
        "warehouse": WarehousePaths(),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
