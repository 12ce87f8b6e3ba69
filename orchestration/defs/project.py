"""The dbt project as Dagster sees it, with its manifest prepared once.

`dbt parse` costs seconds, so it runs only when the manifest is missing or older
than a file of the dbt project (a fresh clone, an edited model): not at every import,
and not in every run worker of `dagster dev` either (what `prepare_if_dev` would do).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dagster_dbt import DbtProject

from ingest.settings import DBT_PROJECT_DIR, ENV_VAR, Settings

log = logging.getLogger("budget_warehouse.orchestration")


# dbt reads the lake and the warehouse path through env_var(BUDGET_WAREHOUSE_DATA), which
# has no default in dbt: give parsing the same default the ingest library uses.
os.environ.setdefault(ENV_VAR, str(Settings.from_env().data_dir))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)

# Folders dbt writes into; a change there does not make the manifest stale.
_GENERATED = {"target", "logs", "dbt_packages"}


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for path in Path(project.project_dir).rglob("*"):
        rel = path.relative_to(project.project_dir)
        if rel.parts[0] in _GENERATED or rel.parts[0].startswith("."):
            continue
        if path.is_file() and path.stat().st_mtime > built:
            return True
    return False


def prepare_manifest(project: DbtProject = dbt_project) -> Path:
    """Run `dbt parse` (and `dbt deps` when the project has packages) if needed."""
    if manifest_is_stale(project):
        log.info("preparing dbt manifest (dbt parse) in %s", project.project_dir)
        project.preparer.prepare(project)
    return project.manifest_path


prepare_manifest()
