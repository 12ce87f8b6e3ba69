"""dbt's unit tests (the SQL of computed columns on fixed inputs, `unit_tests:` in the model
YAML) run here, not in every load: a load passes `--exclude-resource-type unit_test`
(orchestration.defs.assets.DBT_BUILD_ARGS). They run against a copy of the warehouse the
session's load built, since dbt reads the input relations' column types from the database."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingest.settings import ENV_VAR, PROJECT_ROOT
from orchestration.defs.assets import DBT_BUILD_ARGS
import pytest

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

DBT_DIR = PROJECT_ROOT / "dbt_project"


def _unit_tests_in_manifest() -> set[str]:
    manifest = json.loads((DBT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    return set(manifest.get("unit_tests", {}))


def test_loads_leave_unit_tests_out():
    assert DBT_BUILD_ARGS[0] == "build"
    assert DBT_BUILD_ARGS[DBT_BUILD_ARGS.index("--exclude-resource-type") + 1] == "unit_test"


def test_every_dbt_unit_test_passes(loaded, tmp_path):
    settings, result = loaded
    assert result.success
    database = tmp_path / settings.warehouse.name  # same file name: DuckDB names the catalog after it
    shutil.copyfile(settings.warehouse, database)
    env = {
        **os.environ,
        ENV_VAR: str(settings.data_dir),
        "BUDGET_WAREHOUSE_DBT_DATABASE": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    target = tmp_path / "target"
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(target),
        ],
        env=env,
        cwd=DBT_DIR,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    ran = {r["unique_id"]: r["status"] for r in results}
    expected = _unit_tests_in_manifest()
    assert len(expected) >= 13
    assert set(ran) == expected
    assert set(ran.values()) == {"pass"}
