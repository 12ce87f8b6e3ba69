# Entry points. Needs only Python 3.11+ and pip: uv is installed on first use.
#   make run    ingest data/inbox, build the warehouse, print a summary
#   make test   the test suite (make test-fast: without the slow integration tests)
#   make dev    Dagster UI on http://127.0.0.1:3000 (webserver + daemon: inbox sensor and
#               annual schedule on); DAGSTER_PORT=3001 for another port
#   make rebuild [YEAR=2021]   rebuild the warehouse from the lake (re-parse YEAR from originals/)
#   make roundtrip   generated disclosures in every format parsed back against their ground truth
#   make bench       benchmarks; rewrites docs/benchmarks.md and docs/benchmarks.json
#   make realworld   the real published disclosures in ../shared/real-disclosures against their
#                    hand-read truth (tests/realworld/); rewrites docs/realworld.md
#   make docs   dbt's docs site (lineage, model and column descriptions) on http://127.0.0.1:8080
#               for the published warehouse; DOCS_PORT=8081 for another port
#   make bi     Apache Superset on http://127.0.0.1:8088 with the dashboards of bi/superset/assets
#               (docs/bi.md); SUPERSET_PORT=8089 for another port
SHELL := /bin/bash
PYTHON ?= python3
# Resolved to a path once and exported: a nested make (the browser test runs `make dev` under
# `uv run`, whose PATH starts with the project's venv) must use this interpreter, which has uv,
# not the venv's, which has neither uv nor pip.
override PYTHON := $(shell command -v $(PYTHON) 2>/dev/null || echo $(PYTHON))
export PYTHON

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
DATA_DIR := $(abspath $(or $(BUDGET_WAREHOUSE_DATA),$(CURDIR)/data))
# Only the default data folder gets the synthetic demo set; a folder named by
# BUDGET_WAREHOUSE_DATA is loaded exactly as it is.
DEMO := $(if $(BUDGET_WAREHOUSE_DATA),,yes)
# The loads and the UI see one absolute data folder (not exported to `make test`: tests pick their own).
run rebuild dev: export BUDGET_WAREHOUSE_DATA := $(DATA_DIR)
# Runs of `make run` and `make dev` land in one Dagster instance, so the UI shows both.
DAGSTER_HOME ?= $(DATA_DIR)/.dagster
export DAGSTER_HOME
DAGSTER_PORT ?= 3000

# uv: the one running us (`uv run` sets UV, e.g. for the browser test's `make dev`), else from
# PATH, else the copy pip installs (`python3 -m uv` works without ~/.local/bin on PATH).
UV ?= $(or $(shell command -v uv 2>/dev/null),$(PYTHON) -m uv)

.PHONY: run rebuild test test-fast lint dev sync uv roundtrip bench browser postgres realworld docs

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || { \
	  echo "installing uv with pip" >&2; \
	  $(PYTHON) -m pip install --user --quiet uv \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv \
	  || $(PYTHON) -m pip install --quiet uv; }

sync: uv
	$(UV) sync --frozen

run: sync
	$(if $(DEMO),$(UV) run python -m generator.demo data/inbox/synthetic data/synthetic-truth)
	$(UV) run budget-warehouse run $(if $(DEMO),--demo-truth data/synthetic-truth)

rebuild: sync
	$(UV) run budget-warehouse rebuild $(if $(YEAR),--year $(YEAR))

# Two pytest-xdist workers (TEST_WORKERS=1 for one; `pytest` alone runs serially, as it always did).
# loadgroup: the tests sharing a costly fixture (the session's `loaded` warehouse, a module's
# fixture) stay on one worker (tests/conftest.py names the groups); the rest go one by one, slow first.
TEST_WORKERS ?= 2
test: sync browser postgres lint superset-env
	$(UV) run pytest -q --durations=15 -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# The unit tests alone (no whole load, no browser): the quick loop while editing.
test-fast: sync lint
	$(UV) run pytest -q -m "not slow"

# ruff (pyflakes + pycodestyle errors/warnings, lines over 120 included, configured in pyproject.toml)
# and ruff's formatter (check only: `uv run ruff format .` applies it) on the whole tree, vulture (dead code; [tool.vulture] in pyproject.toml, false positives in vulture_whitelist.py), and
# sqlfluff (.sqlfluff: DuckDB dialect, dbt Jinja rendered without a connection) on dbt_project/.
lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run vulture
	$(UV) run sqlfluff lint dbt_project

# The browser test drives Debian's chromium (Playwright's own browser download is not reachable).
# Installed with apt-get when missing and running as root; otherwise the test fails naming the command.
# No fonts are installed: nothing in the suite needs a CJK font (the PDF reader brings its own).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's chromium for the browser test (apt-get)" >&2; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "chromium is missing and this is not root: the browser test will fail;" \
	         "install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	  fi; \
	fi

# The PostgreSQL publication tests start a throwaway server (tests/pg_server.py) from Debian's
# postgresql binaries (/usr/lib/postgresql/*/bin). Installed with apt-get when missing and root
# (its packaged cluster is not used); otherwise those tests fail naming the command.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's postgresql for the publication tests (apt-get)" >&2; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	  else \
	    echo "PostgreSQL server binaries are missing and this is not root: the publication tests will fail;" \
	         "install them with: sudo apt-get update && sudo apt-get install -y postgresql" >&2; \
	  fi; \
	fi

# Every format parsed back against generated ground truth (≥200 documents each), per-format accuracy.
roundtrip: sync
	$(UV) run python -m generator.roundtrip --docs 200 --final-accounts

# Every real disclosure read and compared with the truth read off its pages by hand.
realworld: sync
	$(UV) run python -m bench.realworld

# Throughput, latency and scale next to camelot and pandas; rewrites docs/benchmarks.{md,json}.
bench: uv
	$(UV) sync --frozen --group bench
	$(UV) run --group bench python -m bench

dev: sync
	@mkdir -p "$(DAGSTER_HOME)"
	@test -f "$(DAGSTER_HOME)/dagster.yaml" || cp orchestration/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"
	$(UV) run dagster dev -m orchestration.definitions -h 127.0.0.1 -p $(DAGSTER_PORT)

# Apache Superset on the warehouse (docs/bi.md), in its own venv: its pins (pandas<2.2, pyarrow<19,
# SQLAlchemy<2) conflict with the project's. Rebuilt when bi/superset/requirements.txt changes,
# with a migrated metadata DB that each Superset home starts from.
SUPERSET_VENV := $(CURDIR)/.venv-superset
SUPERSET_PORT ?= 8088
.PHONY: bi superset-env
superset-env: $(SUPERSET_VENV)/.installed

$(SUPERSET_VENV)/.installed: bi/superset/requirements.txt | uv
	$(UV) venv -q --allow-existing -p $(PYTHON) $(SUPERSET_VENV)
	$(UV) pip sync -q --python $(SUPERSET_VENV)/bin/python bi/superset/requirements.txt
	$(SUPERSET_VENV)/bin/python bi/superset/bootstrap.py template
	touch $@

bi: export BUDGET_WAREHOUSE_DATA := $(DATA_DIR)
bi: superset-env
	$(SUPERSET_VENV)/bin/python bi/superset/bootstrap.py serve --port $(SUPERSET_PORT)

# dbt's docs site for the published warehouse (a copy of it: BI readers keep theirs), on 127.0.0.1 only.
DOCS_PORT ?= 8080
docs: export BUDGET_WAREHOUSE_DATA := $(DATA_DIR)
docs: sync
	$(UV) run python -m orchestration.docs_site serve --port $(DOCS_PORT)
