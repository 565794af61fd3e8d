# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
# uv is installed into .tools/ if it is not on PATH; the committed uv.lock pins every package (Airflow included).
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: run test install airflow-ui bench eval clean-data

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen

## The main job: the whole pipeline on the embedded defaults (seed feed, data/meetwire.duckdb), run by Airflow
## on SQLite (a DAG test run of meetwire_pipeline), then the summary and a query to paste.
run: install
	scripts/airflow.sh dags test meetwire_pipeline
	$(UV) run meetwire summary

## The whole test suite.
test: install
	$(UV) run pytest

airflow-ui: install
	scripts/airflow.sh standalone

bench: install
	$(UV) run meetwire bench

eval: install
	$(UV) run meetwire eval plover ../shared/data/plover/PLV_train.tsv

clean-data:
	rm -rf data .airflow
