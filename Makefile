# Entry points. Needs only Python 3.11+ and pip: uv is installed on first use.
#   make run    ingest data/inbox, build the warehouse, print a summary
#   make test   the test suite
#   make dev    Dagster UI on http://127.0.0.1:3000 (sensor + schedule active)
SHELL := /bin/bash
PYTHON ?= python3

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
DATA_DIR := $(abspath $(or $(BUDGET_WAREHOUSE_DATA),$(CURDIR)/data))
# Runs of `make run` and `make dev` land in one Dagster instance, so the UI shows both.
DAGSTER_HOME ?= $(DATA_DIR)/.dagster
export DAGSTER_HOME

# uv from PATH, else the copy pip installs (`python3 -m uv` works without ~/.local/bin on PATH).
UV := $(or $(shell command -v uv 2>/dev/null),$(PYTHON) -m uv)

.PHONY: run test dev sync uv

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || { \
	  echo "installing uv with pip" >&2; \
	  $(PYTHON) -m pip install --user --quiet uv \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv \
	  || $(PYTHON) -m pip install --quiet uv; }

sync: uv
	$(UV) sync --frozen

run: sync
	$(UV) run budget-warehouse run

test: sync
	$(UV) run pytest -q

dev: sync
	@mkdir -p "$(DAGSTER_HOME)"
	@test -f "$(DAGSTER_HOME)/dagster.yaml" || cp orchestration/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"
	$(UV) run dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000
