"""Prepare and start Apache Superset on the warehouse (`make bi`). Runs in Superset's own venv.

    python bi/superset/bootstrap.py template          # once per venv: a migrated, initialised metadata DB
    python bi/superset/bootstrap.py setup             # SUPERSET_HOME ready: metadata DB, admin, warehouse, dashboards
    python bi/superset/bootstrap.py serve --port 8088 # setup, then the web server on 127.0.0.1

Environment: BUDGET_WAREHOUSE_DATA (the data folder; warehouse.duckdb in it), SUPERSET_HOME (default
$BUDGET_WAREHOUSE_DATA/superset), SUPERSET_ADMIN_PASSWORD (default: generated once, kept in
SUPERSET_HOME/admin_password), BUDGET_WAREHOUSE_PG_DSN (when set, PostgreSQL is registered too).

The dashboards are the versioned export in bi/superset/assets/ (Superset's own YAML format). Its
database file carries the placeholder WAREHOUSE_URI, replaced here by the DuckDB file of this data
folder, so the same export serves every checkout and data folder.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
VENV = Path(sys.prefix)
TEMPLATE_HOME = VENV / "superset-template"
URI_PLACEHOLDER = "WAREHOUSE_URI"
ADMIN = "admin"
PG_DATABASE_NAME = "预算仓库（PostgreSQL）"


def data_dir() -> Path:
    return Path(os.environ.get("BUDGET_WAREHOUSE_DATA") or HERE.parents[1] / "data").resolve()


def home() -> Path:
    return Path(os.environ.get("SUPERSET_HOME") or data_dir() / "superset").resolve()


def _env(superset_home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SUPERSET_HOME": str(superset_home),
        "FLASK_APP": "superset",
        "SUPERSET_CONFIG_PATH": str(HERE / "superset_config.py"),
    }


def _superset(superset_home: Path, *args: str) -> None:
    cmd = [str(VENV / "bin" / "superset"), *args]
    done = subprocess.run(cmd, env=_env(superset_home), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"`superset {' '.join(args)}` failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def _alembic_version(db: Path) -> str | None:
    if not db.exists():
        return None
    with sqlite3.connect(db) as con:
        try:
            return con.execute("select version_num from alembic_version").fetchone()[0]
        except sqlite3.Error:
            return None


def make_template() -> None:
    """`superset db upgrade` + `superset init` once into the venv (a minute or more): each new
    SUPERSET_HOME starts from a copy of it. Built aside and renamed into place when complete."""
    building = TEMPLATE_HOME.with_name(TEMPLATE_HOME.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    _superset(building, "db", "upgrade")
    _superset(building, "init")
    (building / "secret_key").unlink(missing_ok=True)  # each home gets its own
    shutil.rmtree(TEMPLATE_HOME, ignore_errors=True)
    building.rename(TEMPLATE_HOME)


def metadata_db(superset_home: Path) -> None:
    """SUPERSET_HOME/superset.db at the venv's Superset version: copied from the template when new,
    migrated when it is from another version."""
    superset_home.mkdir(parents=True, exist_ok=True)
    db = superset_home / "superset.db"
    template_db = TEMPLATE_HOME / "superset.db"
    if not template_db.exists():
        make_template()
    if not db.exists():
        shutil.copy(template_db, db)
    elif _alembic_version(db) != _alembic_version(template_db):
        print(f"migrating {db} to this Superset version", file=sys.stderr)
        _superset(superset_home, "db", "upgrade")
        _superset(superset_home, "init")


def admin_password(superset_home: Path) -> str:
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if password:
        return password
    path = superset_home / "admin_password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(12))
    return path.read_text().strip()


def warehouse_uri(warehouse: Path) -> str:
    return f"duckdb:///{warehouse}"


def bundle(uri: str) -> dict[str, str]:
    """The export in assets/ as Superset's importer reads it (paths relative to the bundle root),
    with the warehouse URI filled in."""
    contents = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "databases":
            if URI_PLACEHOLDER not in text:
                sys.exit(f"{path}: sqlalchemy_uri must be the placeholder {URI_PLACEHOLDER}")
            text = text.replace(URI_PLACEHOLDER, uri)
        contents[path.relative_to(ASSETS).as_posix()] = text
    return contents


def bundle_zip(uri: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in bundle(uri).items():
            z.writestr(f"budget_warehouse_export/{name}", text)
    return buf.getvalue()


def pg_uri() -> str | None:
    """BUDGET_WAREHOUSE_BI_PG_DSN (a read-only login) or BUDGET_WAREHOUSE_PG_DSN, as a SQLAlchemy URI."""
    dsn = os.environ.get("BUDGET_WAREHOUSE_BI_PG_DSN") or os.environ.get("BUDGET_WAREHOUSE_PG_DSN")
    if not dsn:
        return None
    for prefix in ("postgresql://", "postgres://"):
        if dsn.startswith(prefix):
            return "postgresql+psycopg2://" + dsn[len(prefix) :]
    if dsn.startswith("postgresql+"):
        return dsn
    sys.exit("BUDGET_WAREHOUSE_PG_DSN must be a URL (postgresql://user:password@host:port/db) for Superset")


def setup(superset_home: Path) -> None:
    """Admin user, the warehouse database and the dashboards, in one Superset process."""
    warehouse = data_dir() / "warehouse.duckdb"
    if not warehouse.exists():
        sys.exit(f"{warehouse} does not exist: build the warehouse first (`make run`)")
    metadata_db(superset_home)
    os.environ.update(_env(superset_home))
    password = admin_password(superset_home)

    from flask import g
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import db, security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.models.core import Database

        user = security_manager.find_user(username=ADMIN)
        if user is None:
            user = security_manager.add_user(
                ADMIN, "管理员", "admin", "admin@localhost", security_manager.find_role("Admin"), password=password
            )
            if not user:
                sys.exit("could not create the Superset admin user")
        elif os.environ.get("SUPERSET_ADMIN_PASSWORD"):
            security_manager.reset_password(user.id, password)
        g.user = user
        ImportDashboardsCommand(bundle(warehouse_uri(warehouse)), overwrite=True).run()

        uri = pg_uri()
        if uri:
            database = db.session.query(Database).filter_by(database_name=PG_DATABASE_NAME).one_or_none()
            if database is None:
                database = Database(database_name=PG_DATABASE_NAME, expose_in_sqllab=True)
                db.session.add(database)
            database.set_sqlalchemy_uri(uri)
            db.session.commit()
    print(
        f"Superset ready in {superset_home}: log in as {ADMIN}"
        + ("" if os.environ.get("SUPERSET_ADMIN_PASSWORD") else f" (password in {superset_home / 'admin_password'})"),
        file=sys.stderr,
    )


def serve(superset_home: Path, port: int) -> None:
    setup(superset_home)
    os.environ.update(_env(superset_home))
    print(f"Superset on http://127.0.0.1:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    os.execv(
        str(VENV / "bin" / "gunicorn"),
        [
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "superset.app:create_app()",
        ],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["template", "setup", "serve", "export-zip"])
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--out", type=Path, help="export-zip: where to write the import bundle")
    args = parser.parse_args(argv)
    if args.command == "template":
        make_template()
    elif args.command == "setup":
        setup(home())
    elif args.command == "serve":
        serve(home(), args.port)
    else:
        out = args.out or Path("superset-dashboards.zip")
        out.write_bytes(bundle_zip(warehouse_uri(data_dir() / "warehouse.duckdb")))
        print(out)


if __name__ == "__main__":
    main()
