#!/usr/bin/env bash
# Run an Airflow subcommand against meetwire's local Airflow: AIRFLOW_HOME=<repo>/.airflow (SQLite metadata DB,
# gitignored), DAGs from <repo>/dags, no examples. Migrates the metadata DB and creates the `meetwire_duckdb`
# pool (one slot: DuckDB allows one writer) first, then runs the given subcommand.
#
#   scripts/airflow.sh dags test meetwire_pipeline      # one full cycle on the seeds, in-process (make run)
#   scripts/airflow.sh standalone                       # api-server + scheduler + dag-processor + triggerer, UI on :8080
#   scripts/airflow.sh dags list
#   scripts/airflow.sh setup                            # only migrate + pools
#
# Environment: AIRFLOW_HOME (default <repo>/.airflow), MEETWIRE_* (see plugins/meetwire/settings.py; the
# defaults put DuckDB and the raw archive under <repo>/data), MEETWIRE_INGEST_SCHEDULE, MEETWIRE_QUALITY_SCHEDULE,
# AIRFLOW_CMD (override the airflow executable, e.g. "uv run airflow").
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

export AIRFLOW_HOME="${AIRFLOW_HOME:-$REPO/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$REPO/dags}"
export AIRFLOW__CORE__PLUGINS_FOLDER="${AIRFLOW__CORE__PLUGINS_FOLDER:-$REPO/plugins}"
export AIRFLOW__CORE__LOAD_EXAMPLES="${AIRFLOW__CORE__LOAD_EXAMPLES:-False}"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-sqlite:///$AIRFLOW_HOME/airflow.db}"
# Airflow 3 runs LocalExecutor on SQLite (one task at a time in practice; our DuckDB pool has one slot anyway).
export AIRFLOW__CORE__EXECUTOR="${AIRFLOW__CORE__EXECUTOR:-LocalExecutor}"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="${AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION:-True}"
# Pick up new/changed DAG files quickly in local development.
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="${AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL:-30}"
# Settings defaults resolve against the repo, but make it explicit for Airflow's task processes.
export MEETWIRE_HOME="${MEETWIRE_HOME:-$REPO}"
# The UI/API on localhost only (standalone; set AIRFLOW__API__HOST=0.0.0.0 to expose it deliberately).
export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
export AIRFLOW__API__PORT="${AIRFLOW__API__PORT:-8080}"
# Workers reach the api-server's execution API at the same address ("localhost" may resolve to ::1 first).
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$AIRFLOW__API__PORT/execution/}"
# Colourless, unbuffered output: `make run` logs stay readable.
export PYTHONUNBUFFERED=1

if [[ -n "${AIRFLOW_CMD:-}" ]]; then
    # shellcheck disable=SC2206
    AIRFLOW=($AIRFLOW_CMD)
elif [[ -x "$REPO/.venv/bin/airflow" ]]; then
    AIRFLOW=("$REPO/.venv/bin/airflow")
    # `standalone` starts its components by running `airflow` from PATH.
    export PATH="$REPO/.venv/bin:$PATH"
elif command -v uv >/dev/null 2>&1; then
    AIRFLOW=(uv run --project "$REPO" airflow)
else
    echo "airflow.sh: no airflow found: run 'uv sync' in $REPO first (or set AIRFLOW_CMD)" >&2
    exit 127
fi

mkdir -p "$AIRFLOW_HOME"

setup() {
    # `db migrate` is idempotent but takes seconds: skip it when this Airflow version already migrated this DB.
    local version stamp="$AIRFLOW_HOME/.meetwire-migrated"
    version="$("${AIRFLOW[@]}" version 2>/dev/null | tail -n 1)"
    if [[ "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}" != sqlite:///* \
          || ! -s "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN#sqlite:///}" \
          || ! -f "$stamp" || "$(cat "$stamp")" != "$version" ]]; then
        echo "airflow.sh: migrating the metadata DB ($AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)" >&2
        "${AIRFLOW[@]}" db migrate >&2
        echo "$version" >"$stamp"
    fi
    "${AIRFLOW[@]}" pools import "$REPO/airflow_settings/pools.json" >&2
}

if [[ $# -eq 0 ]]; then
    echo "usage: scripts/airflow.sh <airflow subcommand ...> | setup" >&2
    exit 2
fi

setup
if [[ "$1" == "setup" ]]; then
    exit 0
fi
exec "${AIRFLOW[@]}" "$@"
