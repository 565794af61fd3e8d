"""A local distributed Airflow for tests/distributed: its own PostgreSQL database and Redis db, and the Airflow
processes (scheduler, dag-processor, triggerer, api-server, Celery workers), each in its own process group with
its log in a file, all stopped (process trees, also on failure) by `Cluster.stop`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 2500) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return "(no log)"


# --- the services --------------------------------------------------------------------------------------------


def pg_admin():
    import psycopg2

    con = psycopg2.connect(dbname="postgres", connect_timeout=5, **PG)
    con.autocommit = True
    return con


def create_database() -> str:
    name = f"meetwire_af_{uuid.uuid4().hex[:10]}"
    con = pg_admin()
    try:
        con.cursor().execute(f'CREATE DATABASE "{name}"')
    finally:
        con.close()
    return name


def drop_database(name: str) -> None:
    con = pg_admin()
    try:
        con.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        con.close()


def database_exists(name: str) -> bool:
    con = pg_admin()
    try:
        cur = con.cursor()
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None
    finally:
        con.close()


def redis_client(db: int = 0):
    import redis

    return redis.Redis(host=REDIS[0], port=REDIS[1], db=db, socket_connect_timeout=5)


def free_redis_db() -> int:
    """An empty Redis db number, highest first (db 0 is everyone's default): flushing it at the end touches
    nothing of anyone else's."""
    client = redis_client()
    used = {int(k[2:]) for k in client.info("keyspace")}
    databases = int(client.config_get("databases").get("databases", 16))
    for n in range(databases - 1, 0, -1):
        if n not in used:
            return n
    raise RuntimeError(f"no empty Redis db among {databases}: {sorted(used)} hold keys")


# --- the processes -------------------------------------------------------------------------------------------


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)
    killed: set[str] = field(default_factory=set)  # on purpose: not a failure of the cluster

    def start(self, name: str, args: list[str], **extra_env: str) -> subprocess.Popen:
        log = self.root / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {**self.env, **extra_env}
        with open(log, "ab") as out:
            proc = subprocess.Popen([sys.executable, "-m", "airflow", *args], env=env, cwd=self.root, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = proc
        self.logs[name] = log
        return proc

    def run(self, args: list[str], timeout: float = 300) -> str:
        proc = subprocess.run(args, env=self.env, cwd=self.root, capture_output=True, text=True, timeout=timeout)
        assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        return proc.stdout

    def tails(self) -> str:
        parts = []
        for name, log in self.logs.items():
            proc = self.processes.get(name)
            state = "running" if proc and proc.poll() is None else f"exited {proc.returncode if proc else '?'}"
            parts.append(f"--- {name} ({state}) {log} ---\n{tail(log)}")
        return "\n".join(parts)

    def check_alive(self, *names: str) -> None:
        for name in names or [n for n in self.processes if n not in self.killed]:
            proc = self.processes[name]
            assert proc.poll() is None, f"{name} exited with {proc.returncode}\n{self.tails()}"

    def kill(self, name: str) -> list[int]:
        """SIGKILL a process's group and every process of its tree (a task process the worker started sits in
        a process group of its own, so the group alone would leave it running); returns the pids killed."""
        proc = self.processes[name]
        self.killed.add(name)
        tree = _tree(proc.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        for p in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        psutil.wait_procs(tree, timeout=10)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        return [p.pid for p in tree]

    def stop(self) -> list[str]:
        """SIGTERM every process tree, SIGKILL what is left after a grace period; names of what had to be killed."""
        trees = {name: _tree(proc.pid) for name, proc in self.processes.items()}
        for name, proc in self.processes.items():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
            for p in trees[name]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    p.terminate()
        everything = [p for tree in trees.values() for p in tree]
        _, alive = psutil.wait_procs(everything, timeout=20)
        for p in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        psutil.wait_procs(alive, timeout=10)
        for proc in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        return sorted({name for name, tree in trees.items() for p in tree if p in alive})


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


# --- waiting ---------------------------------------------------------------------------------------------------


def wait_for(what: str, check, timeout: float, cluster: Cluster, interval: float = 0.5):
    """Poll `check` until it returns something truthy; fail with the process logs after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            found = check()
        except Exception as exc:  # not ready yet (a refused connection, a table not created yet)
            found, last_error = None, exc
        if found:
            return found
        cluster.check_alive()
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last_error!r})\n"
                         f"{cluster.tails()}")


def http_json(url: str, body: dict | None = None, timeout: float = 10) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read().decode(errors="replace")[:500]}
