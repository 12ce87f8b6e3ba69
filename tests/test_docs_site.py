"""`make docs`: dbt's docs site for the published warehouse, served on 127.0.0.1 (issue 14 item 5)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from orchestration import docs_site

pytestmark = pytest.mark.slow  # dbt docs generate + a server: `make test-fast` leaves it out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_docs_site_of_the_seed_warehouse_is_served_on_localhost(loaded):
    settings, result = loaded
    assert result.success
    before = settings.warehouse.stat().st_mtime_ns
    target = docs_site.generate(settings)
    assert settings.warehouse.stat().st_mtime_ns == before  # the published file is only copied
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    mart = next(n for k, n in catalog["nodes"].items() if k.endswith(".mart_regional_spending"))
    assert {"fiscal_year", "total_wan_yuan"} <= set(mart["columns"])
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    node = next(n for k, n in manifest["nodes"].items() if k.endswith(".mart_regional_spending"))
    assert node["columns"]["fiscal_year"]["description"].startswith("预算年度")  # the contract's labels
    assert "model.budget_warehouse.fct_expenditure" in node["depends_on"]["nodes"]  # lineage

    port = _free_port()
    env = docs_site._env(settings)
    server = subprocess.Popen(
        [sys.executable, "-m", "orchestration.docs_site", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as r:
                    assert r.status == 200 and b"dbt" in r.read()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "dbt docs serve did not answer in 120 s"
                time.sleep(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/manifest.json", timeout=5) as r:
            assert json.loads(r.read())["metadata"]["project_name"] == "budget_warehouse"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_no_warehouse_is_a_clear_error(tmp_path):
    from ingest.settings import Settings

    with pytest.raises(FileNotFoundError, match="run `make run` first"):
        docs_site.generate(Settings(data_dir=tmp_path))
