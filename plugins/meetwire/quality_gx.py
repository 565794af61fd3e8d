"""Great Expectations, started once per process: an ephemeral in-memory context with one pandas dataframe asset per
frame and one GX expectation suite per (meetwire suite, frame), built from `meetwire.quality.SUITES` on first use.
GX is imported here only when a check runs (the import takes seconds), with its usage statistics switched off."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


# --- Great Expectations, once per process ------------------------------------------------------------------------

class GXContext:
    """The ephemeral context, one pandas dataframe asset per frame, and the GX suites, built on first use."""

    _lock = threading.Lock()
    _instance: GXContext | None = None

    def __init__(self, suites: Mapping[str, Any]) -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "False"
        import great_expectations as gx
        import great_expectations.expectations as gxe

        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        # In memory only: no analytics, no tqdm bars in task logs, and no temporary docs site directory (GX makes one
        # per ephemeral context by default; our pages are written by write_docs).
        self.context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ))
        self.datasource = self.context.data_sources.add_pandas("meetwire")
        self.batch_definitions: dict[str, Any] = {}
        self.suites: dict[tuple[str, str], Any] = {}
        for suite in suites.values():
            for frame in suite.frames:
                if frame not in self.batch_definitions:
                    asset = self.datasource.add_dataframe_asset(name=frame)
                    self.batch_definitions[frame] = asset.add_batch_definition_whole_dataframe(f"{frame}_whole")
                gx_suite = gx.ExpectationSuite(name=f"{suite.name}.{frame}")
                for check in suite.checks:
                    if check.frame != frame:
                        continue
                    cls = getattr(gxe, _camel(check.type))
                    gx_suite.add_expectation(cls(**dict(check.kwargs), meta={
                        "meetwire_name": check.name, "severity": check.severity, "why": check.why,
                    }))
                self.suites[(suite.name, frame)] = self.context.suites.add(gx_suite)

    @classmethod
    def get(cls, suites: Mapping[str, Any]) -> GXContext:
        """The process's context, built from `suites` (meetwire.quality.SUITES) on first use."""
        with cls._lock:
            if cls._instance is None:
                t0 = time.monotonic()
                cls._instance = cls(suites)
                log.info("great expectations context ready in %.2fs", time.monotonic() - t0)
            return cls._instance

    _validate_lock = threading.Lock()  # one GX context shared by the process: validate one batch at a time

    def validate(self, suite: str, frame: str, df, params: Mapping[str, Any]):
        with self._validate_lock:
            return self._validate(suite, frame, df, params)

    def _validate(self, suite: str, frame: str, df, params: Mapping[str, Any]):
        batch = self.batch_definitions[frame].get_batch(batch_parameters={"dataframe": df})
        return batch.validate(self.suites[(suite, frame)], expectation_parameters=dict(params),
                              result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10})


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))
