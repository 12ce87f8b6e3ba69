"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl start on a free local port, stopped after.

The binaries come from Debian's `postgresql` (/usr/lib/postgresql/<version>/bin; `make postgres`,
which `make test` runs, installs it when missing and root). The server refuses to run as root, so
under root the cluster belongs to the `postgres` OS user, in a mkdtemp folder under /tmp chowned to
it (a folder under /root could not be entered). No mock: a real server.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

INSTALL_HINT = (
    "run `make postgres` (as root it apt-get installs Debian's postgresql; else: sudo apt-get install -y postgresql)"
)


class PostgresUnavailable(RuntimeError):
    pass


def server_bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise PostgresUnavailable(f"no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: {INSTALL_HINT}")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yields a superuser DSN (user postgres, database postgres, 127.0.0.1:<port>)."""
    bindir = server_bindir()
    base = Path(tempfile.mkdtemp(prefix="budget-warehouse-pg-", dir="/tmp"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, logfile = base / "data", base / "server.log"
    started = False
    try:
        _run(
            run_as
            + [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            base,
        )
        port = _free_port()
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        _run(
            run_as
            + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(logfile), "-w", "-t", "60", "-o", options, "start"],
            base,
        )
        started = True
        yield f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
    finally:
        if started:
            subprocess.run(
                run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True
            )
        shutil.rmtree(base, ignore_errors=True)


def _run(cmd: list[str], base: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        log = base / "server.log"
        raise PostgresUnavailable(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            + (f"\nserver log:\n{log.read_text(errors='replace')[-3000:]}" if log.exists() else "")
        )
