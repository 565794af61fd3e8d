"""CPU-bound stage work across cores: cleaning pages and extracting events in a pool of forked processes.

Fetching stays in threads (it waits on the network) and DuckDB writes stay in the calling process (one writer).
Forked workers inherit what the parent already loaded (trafilatura, the spaCy model), so a pool costs milliseconds
to start. Small batches run in the calling process, where a pool would cost more than it saves; so does a process
that may not have children (a daemonic worker, a platform without fork), with a warning.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from meetwire.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def pool_size(settings: Settings, n_items: int) -> int:
    """Processes for a batch of n_items: 1 (no pool) below MEETWIRE_PARALLEL_MIN items."""
    if n_items < max(settings.parallel_min, 2) or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:  # e.g. a Celery prefork child: it may not start processes
        return 1
    return max(1, min(settings.workers, n_items))


def parallel_map(fn: Callable[[T], R], items: Sequence[T], settings: Settings, chunksize: int = 4,
                 prepare: Callable[[], object] | None = None) -> list[R]:
    """[fn(x) for x in items], across MEETWIRE_WORKERS processes when the batch is big enough. `fn` must be a
    module-level function (it is pickled by name) and must not raise: wrap failures into its result. `prepare`
    runs in this process before a pool forks (load a model once, shared copy-on-write by every worker)."""
    n = pool_size(settings, len(items))
    if n <= 1:
        return [fn(x) for x in items]
    if prepare is not None:
        prepare()
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(fn, items, chunksize=chunksize))
    except (BrokenProcessPool, OSError) as exc:  # a worker killed (OOM) or no processes allowed: do it here
        log.warning("worker pool failed (%s: %s); finishing the batch in this process", type(exc).__name__, exc)
        return [fn(x) for x in items]
