"""Deployment files: docker-compose.yml (Docker cannot run here, so it is checked as data) and scripts/airflow.sh."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from dagtest_support import POOL, REPO

pytestmark = pytest.mark.airflow

AIRFLOW_SERVICES = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def _mounts(service: dict) -> dict[str, str]:
    out = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        out[target] = source
    return out


def test_compose_services(compose):
    services = compose["services"]
    assert {"postgres", *AIRFLOW_SERVICES} <= set(services)
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES[1:]}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor"}
    for name in AIRFLOW_SERVICES[1:]:
        deps = services[name]["depends_on"]
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
        assert deps["postgres"]["condition"] == "service_healthy", name
    assert "healthcheck" in services["postgres"]


def test_compose_airflow_image_env_and_volumes(compose):
    for name in AIRFLOW_SERVICES:
        svc = compose["services"][name]
        assert svc["image"].endswith(":3.3.2"), name
        assert "FROM apache/airflow:3.3.2-python3.11" in svc["build"]["dockerfile_inline"], name
        assert "-e /opt/meetwire" in svc["build"]["dockerfile_inline"], "meetwire installed (editable) in the image"
        env = svc["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql"), name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], f"{name}: components must share the JWT secret"
        assert env["MEETWIRE_DB"].startswith("/opt/meetwire/data/"), name
        mounts = _mounts(svc)
        assert mounts.get(env["AIRFLOW__CORE__DAGS_FOLDER"]) == "./dags", name
        assert mounts.get(env["AIRFLOW__CORE__PLUGINS_FOLDER"]) == "./plugins", name
        assert mounts.get("/opt/meetwire/data") == "./data", name
        assert mounts.get("/opt/meetwire/seeds") == "./seeds", name
        # settings.PROJECT_ROOT is plugins/meetwire/../..: migrations and views must sit beside the package.
        assert mounts.get("/opt/meetwire/sql") == "./sql", name


def test_compose_init_migrates_and_creates_the_pool(compose):
    init = compose["services"]["airflow-init"]
    assert init["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    script = "\n".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "airflow pools import /opt/meetwire/airflow_settings/pools.json" in script
    assert _mounts(init)["/opt/meetwire/airflow_settings"] == "./airflow_settings"
    pools = json.loads((REPO / "airflow_settings" / "pools.json").read_text())
    assert pools[POOL]["slots"] == 1


def test_airflow_sh_is_valid_bash_and_creates_the_pool():
    script = REPO / "scripts" / "airflow.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "db migrate" in text and "pools import" in text and "airflow_settings/pools.json" in text
    assert 'AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$REPO/dags}"' in text
    assert "$REPO/.airflow" in text
