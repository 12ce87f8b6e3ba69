"""Resources: where the data lives, the warehouse (DuckDB), and the dbt CLI.

The warehouse BI tools read, `$BUDGET_WAREHOUSE_DATA/warehouse.duckdb`, is never written in
place: dbt builds `$BUDGET_WAREHOUSE_DATA/.build/warehouse.duckdb` (the profile reads its
path from BUDGET_WAREHOUSE_DBT_DATABASE) and a successful build is published with one
`os.replace`. A reader connected to the old file keeps it (its inode) until it reconnects.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Iterator, Optional

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import Field

from ingest.settings import ENV_VAR, Settings

from .project import dbt_project

log = logging.getLogger("budget_warehouse.orchestration")

DBT_DATABASE_VAR = "BUDGET_WAREHOUSE_DBT_DATABASE"


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
    def dbt_env(self, database: Optional[Path] = None) -> Iterator[Settings]:
        """Point dbt (which reads env_var('BUDGET_WAREHOUSE_DATA')) at this data folder, and at
        `database` (a build file) instead of the published warehouse when given.

        DbtCliResource copies os.environ into the dbt subprocess when the command starts,
        so the variables only need to be set around that call.
        """
        settings = self.settings()
        values = {ENV_VAR: str(settings.data_dir), DBT_DATABASE_VAR: str(database) if database else None}
        previous = {k: os.environ.get(k) for k in values}
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        try:
            yield settings
        finally:
            for k, v in previous.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    @contextmanager
    def build(self, start_from_published: bool = False) -> Iterator["WarehouseBuild"]:
        """The build file, `<data>/.build/warehouse.duckdb`; removed afterwards unless published.

        Call it under the data folder's writer lock: there is one build at a time, so the path
        can stay the same (dbt's partial parsing keys on the rendered profile). It has the
        published file's name because DuckDB names the catalog after the file stem and
        qualifies view definitions with it. `start_from_published` copies the current warehouse
        first (a subset build must not drop what it does not select); a full build starts empty.
        """
        settings = self.settings()
        settings.builds.mkdir(parents=True, exist_ok=True)
        path = settings.builds / settings.warehouse.name
        for leftover in (path, path.with_name(path.name + ".wal")):  # from a crashed build
            leftover.unlink(missing_ok=True)
        if start_from_published and settings.warehouse.exists():
            shutil.copyfile(settings.warehouse, path)
        try:
            yield WarehouseBuild(path=path, target=settings.warehouse)
        finally:
            for leftover in (path, path.with_name(path.name + ".wal")):
                leftover.unlink(missing_ok=True)


class WarehouseBuild:
    def __init__(self, path: Path, target: Path):
        self.path = path
        self.target = target

    def publish(self) -> Path:
        """Atomically make the build the warehouse BI tools read (`os.replace`, same filesystem)."""
        import duckdb

        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():  # fold any write-ahead log into the file: the published file stands alone
            with duckdb.connect(str(self.path)) as con:
                con.execute("checkpoint")
        with open(self.path, "rb") as fh:
            os.fsync(fh.fileno())
        # a WAL beside the published file would be replayed onto the new one: none may exist
        # (nothing writes the published file), but never let a stale one survive
        self.target.with_name(self.target.name + ".wal").unlink(missing_ok=True)
        os.replace(self.path, self.target)
        dir_fd = os.open(self.target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        log.info("published %s", self.target)
        return self.target


class WarehouseDbtCli(DbtCliResource):
    """dagster-dbt's resource without two start-up costs it pays before every `dbt build`
    (measured, docs/benchmarks.md: ~3 s each on this 2-core machine, in series with the build):

    * `dbt --version` in a subprocess to learn dbt's version: dbt-core is a locked dependency
      of this project, installed beside us, so its package metadata says the same
      (tests/test_orchestration.py checks the two agree);
    * an in-process dbt adapter, which dagster-dbt uses only to fetch row counts or column
      metadata; this project asks for neither (dbt tests and contracts check the tables).

    Both are private hooks of dagster-dbt 0.29 (pinned in pyproject.toml); if an upgrade renames
    them, these overrides stop applying and the build is merely slower.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None


def build_resources() -> dict[str, object]:
    return {
        "warehouse": WarehousePaths(),
        "dbt": WarehouseDbtCli(project_dir=dbt_project),
    }
