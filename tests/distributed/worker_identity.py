"""`[core] hostname_callable` for the Celery workers of tests/distributed: both run on this one machine, so the
machine's name cannot tell them apart in `task_instance.hostname`; each worker's environment names it instead."""

from __future__ import annotations

import os
import socket


def worker_hostname() -> str:
    return os.environ.get("MEETWIRE_TEST_WORKER_NAME") or socket.getfqdn()
