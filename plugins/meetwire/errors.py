"""The one shape of a stage's "this input is unusable" error: a short machine-readable `reason` (it becomes the
quarantine row's reason) and a human `detail`."""

from __future__ import annotations


class QuarantinableError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
