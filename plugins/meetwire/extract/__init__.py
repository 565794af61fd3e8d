"""Meeting extraction engine.

Public API::

    from meetwire.extract import EXTRACTOR_VERSION, extract_events, merge_events
"""

from __future__ import annotations

from .core import extract_events
from .merge import merge_events

EXTRACTOR_VERSION = "0.8.0"

__all__ = ["EXTRACTOR_VERSION", "extract_events", "merge_events"]
