# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
# uv is installed into .tools/ if it is not on PATH; the committed uv.lock pins every package (Airflow included).
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: run test test-fast test-scheduler install airflow-ui bench eval eval-articles train clean-data

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --compile-bytecode --quiet

## The main job: the whole pipeline on the embedded defaults (seed feed, data/meetwire.duckdb), run by Airflow
## on SQLite (a DAG test run of meetwire_pipeline), then the summary and a query to paste.
run: install
	@echo "running the meetwire_pipeline DAG once (airflow dags test; Airflow logs at WARNING: AIRFLOW__LOGGING__LOGGING_LEVEL=INFO shows every task)"
	AIRFLOW__LOGGING__LOGGING_LEVEL=$${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING} PYTHONWARNINGS=$${PYTHONWARNINGS:-ignore} \
		scripts/airflow.sh dags test meetwire_pipeline
	$(UV) run meetwire summary

## The whole test suite, on two processes (pytest-xdist, test by test; a module with a module-scoped fixture stays
## in one process, see tests/conftest.py). PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
test: install
	$(UV) run pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not scheduler"

## The standalone scheduler on SQLite waiting for its cron tick (`scripts/airflow.sh standalone`, 2-3 minutes):
## outside `make test`, whose real-scheduler path is the Celery cluster test, to keep it under 8 minutes.
test-scheduler: install
	$(UV) run pytest -m scheduler

## The inner loop: everything but Airflow runs, the scheduler, the Celery cluster, the real-news scores, the quality
## suites and the DuckLake variants (the file backend only).
test-fast: install
	$(UV) run pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not airflow and not scheduler and not realnews and not browser and not distributed" -k "not ducklake" --ignore=tests/quality --ignore=tests/e2e

airflow-ui: install
	scripts/airflow.sh standalone

bench: install
	$(UV) run meetwire bench

eval: install
	$(UV) run meetwire eval plover ../shared/data/plover/PLV_train.tsv

## Article-level scores on the real-news gold (the blind BBC part and the extraction-benchmark pages).
eval-articles: install
	$(UV) run meetwire eval articles ../shared/data/bbc-news/bbc-news.jsonl tests/fixtures/realnews/bbc-test.json --show 0
	$(UV) run meetwire eval articles ../shared/data/article-extraction-benchmark/ground-truth.json tests/fixtures/realnews/aeb.json --show 0

## Retrain the extractor's decision models on the development articles (writes plugins/meetwire/extract/models/).
train: install
	$(UV) run meetwire train decide

clean-data:
	rm -rf data .airflow
