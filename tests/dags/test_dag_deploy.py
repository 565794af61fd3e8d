"""Deployment files: docker-compose.yml, Dockerfile, .env.example (no Docker daemon in CI: checked as data, the
compose file against the Compose Specification schema) and scripts/airflow.sh."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from dagtest_support import POOL, REPO

pytestmark = pytest.mark.airflow

AIRFLOW_SERVICES = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker")
LONG_RUNNING = {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
                "airflow-worker": "celery worker"}
# ${NAME}, ${NAME:-default}, ${NAME:?message}; $$ is an escaped dollar (left for the container's shell).
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (REPO / "docker-compose.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text) -> dict:
    return yaml.safe_load(compose_text)


def _locked_version(name: str) -> str:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == name)


def _compose_schema_errors(document: dict) -> list[str]:
    """Errors of a compose document against the Compose Specification schema (the copy check-jsonschema ships)."""
    import jsonschema
    from check_jsonschema import builtin_schemas  # noqa: F401 - the package whose data file is read below

    schema_path = Path(builtin_schemas.__file__).parent / "vendor" / "compose-spec.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document))


def test_compose_file_follows_the_compose_specification(compose):
    assert _compose_schema_errors(compose) == []
    # The check can fail: a misspelt key and a wrong type are both reported.
    broken = copy.deepcopy(compose)
    broken["services"]["airflow-worker"]["healthchek"] = {}
    broken["services"]["redis"]["restart"] = ["always"]
    errors = _compose_schema_errors(broken)
    assert any("healthchek" in e for e in errors) and any(e.startswith("services/redis/restart") for e in errors)


def test_compose_services_and_dependencies(compose):
    services = compose["services"]
    assert {"postgres", "redis", *AIRFLOW_SERVICES} <= set(services)
    assert {name: services[name].get("command") for name in LONG_RUNNING} == LONG_RUNNING
    for name in LONG_RUNNING:
        deps = services[name]["depends_on"]
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        assert "healthcheck" in services[name], name
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["redis"]


def test_compose_workers_scale_out(compose):
    worker = compose["services"]["airflow-worker"]
    # `docker compose up --scale airflow-worker=N` needs no fixed name and no host port.
    assert "container_name" not in worker and "ports" not in worker
    assert "deploy" not in worker or "replicas" in worker["deploy"]


def test_compose_runs_celery_on_postgres_and_redis(compose):
    for name in AIRFLOW_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://"), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://"), name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://"), name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], f"{name}: components must share the JWT secret"
        for key in ("MEETWIRE_DB", "MEETWIRE_ARCHIVE_DIR", "MEETWIRE_STAGING_DIR", "MEETWIRE_DUCKLAKE_DATA"):
            assert env[key].startswith("/opt/meetwire/data/"), (name, key)


def test_compose_data_lives_on_named_volumes(compose):
    named = set(compose["volumes"])
    for name in ("postgres", *AIRFLOW_SERVICES):
        for volume in compose["services"][name].get("volumes", []):
            source = volume.split(":")[0]
            assert source in named, f"{name}: {source} is a host path, not a named volume"
    mounts = {v.split(":")[1]: v.split(":")[0] for v in compose["services"]["airflow-worker"]["volumes"]}
    assert mounts["/opt/meetwire/data"] == "meetwire-data"


def test_compose_secrets_come_from_env_file(compose_text, compose):
    example = {}
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            example[key.strip()] = value
    used = {m.group(1): (m.group(2), m.group(3)) for m in INTERPOLATION.finditer(compose_text)}
    assert used, "the compose file reads its settings from .env"
    assert set(used) <= set(example), f"not in .env.example: {sorted(set(used) - set(example))}"
    for secret in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET",
                   "AIRFLOW_ADMIN_PASSWORD"):
        assert used[secret][0] == ":?", f"{secret} must be required (no default baked into the compose file)"
        assert example[secret] in ("", "change-me"), f".env.example holds a real-looking {secret}"
    ignored = {line.strip() for line in (REPO / ".gitignore").read_text().splitlines()}
    assert ".env" in ignored and ".env" in (REPO / ".dockerignore").read_text().split()
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=REPO, capture_output=True, text=True).stdout
    assert tracked.strip() == "", ".env must never be committed"


def test_compose_init_migrates_and_creates_the_pool(compose):
    init = compose["services"]["airflow-init"]
    assert init["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    script = "\n".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "airflow pools import /opt/meetwire/airflow_settings/pools.json" in script
    assert "CREATE DATABASE meetwire_lake" in script
    pools = json.loads((REPO / "airflow_settings" / "pools.json").read_text())
    assert pools[POOL]["slots"] == 1


def test_dockerfile_builds_on_the_locked_airflow_from_the_lock(compose):
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    airflow = _locked_version("apache-airflow")
    assert f"ARG AIRFLOW_VERSION={airflow}" in text
    assert "FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}" in text
    assert "ARG PYTHON_VERSION=3.11" in text
    assert "uv export --frozen --no-dev" in text and "--require-hashes --no-deps" in text
    make_uv = re.search(r"^UV_VERSION := (\S+)", (REPO / "Makefile").read_text(), re.M).group(1)
    assert f"ARG UV_VERSION={make_uv}" in text, "the image exports the lock with the uv the Makefile uses"
    for folder in ("plugins", "dags", "sql", "seeds", "airflow_settings"):
        assert f"COPY --chown=airflow:root {folder} ./{folder}" in text, folder
    image = compose["x-airflow-common"]["image"]
    assert image.endswith(f":{airflow}") and compose["x-airflow-common"]["build"]["args"]["AIRFLOW_VERSION"] == airflow
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", "data", ".git"} <= set(ignored)


def test_airflow_sh_is_valid_bash_and_creates_the_pool():
    script = REPO / "scripts" / "airflow.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "db migrate" in text and "pools import" in text and "airflow_settings/pools.json" in text
    assert 'AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$REPO/dags}"' in text
    assert "$REPO/.airflow" in text
