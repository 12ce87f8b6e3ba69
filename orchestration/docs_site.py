"""`make docs`: dbt's documentation site (lineage, every model's and column's description) on 127.0.0.1.

`dbt docs generate` reads the catalog (tables, columns, types) from a warehouse: it is given a
copy of the published `warehouse.duckdb`, so the site never holds a lock on the file BI tools read
and the next build may replace it meanwhile. The site is written to
`$BUDGET_WAREHOUSE_DATA/.dbt-docs/target/` and served from there by `dbt docs serve`.

    python -m orchestration.docs_site generate        # writes the site, prints where
    python -m orchestration.docs_site serve [--port 8080]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingest.settings import DBT_PROJECT_DIR, ENV_VAR, Settings


def site_dir(settings: Settings) -> Path:
    return settings.data_dir / ".dbt-docs"


def _dbt(settings: Settings, *args: str) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt) if dbt.exists() else "dbt",
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(site_dir(settings) / "target"),
    ]


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        ENV_VAR: str(settings.data_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "BUDGET_WAREHOUSE_DBT_DATABASE": str(site_dir(settings) / "catalog.duckdb"),
    }


def generate(settings: Settings) -> Path:
    """Write the docs site for the published warehouse; return the folder holding index.html."""
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `make run` first")
    site = site_dir(settings)
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(settings.warehouse, site / "catalog.duckdb")
    done = subprocess.run(
        _dbt(settings, "docs", "generate"), env=_env(settings), cwd=DBT_PROJECT_DIR, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"dbt docs generate failed ({done.returncode}):\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    return site / "target"


def serve(settings: Settings, port: int) -> int:
    """Serve the generated site on 127.0.0.1 until interrupted."""
    print(f"dbt docs on http://127.0.0.1:{port} (Ctrl-C stops it)", flush=True)
    command = _dbt(settings, "docs", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-browser")
    os.chdir(DBT_PROJECT_DIR)
    # this process becomes the server: a signal that stops it stops the server (no orphan left behind)
    os.execvpe(command[0], command, _env(settings))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m orchestration.docs_site", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["generate", "serve"])
    ap.add_argument("--port", type=int, default=8080)
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    try:
        target = generate(settings)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"make docs: {exc}", file=sys.stderr)
        return 1
    print(f"dbt docs site written to {target}")
    return serve(settings, args.port) if args.command == "serve" else 0


if __name__ == "__main__":
    sys.exit(main())
