"""Shared helpers for the extraction tests (paths to seeds and the PLOVER file)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "extract"
SEED_PUBLISHED = {
    "000": "2024-05-31T21:45:00+05:30",
    "001": "2024-05-30",
}


def seeds_dir() -> Path | None:
    for d in (REPO / "seeds", REPO.parent / "shared" / "seeds"):
        if d.is_dir() and any(d.glob("00[01]_*.txt")):
            return d
    return None


def plover_path() -> Path:
    return REPO.parent / "shared" / "data" / "plover" / "PLV_train.tsv"


def names(event: dict) -> list[str]:
    return [p.get("name") or "" for p in event.get("participants", [])]


def has_name(event: dict, needle: str) -> bool:
    return any(needle.lower() in n.lower() for n in names(event))


def occurred(events: list[dict]) -> bool:
    return any(e["status"] == "occurred" for e in events)


SHARED_DATA = REPO.parent / "shared" / "data"
REALNEWS = REPO / "tests" / "fixtures" / "realnews"


def bbc_path() -> Path:
    return SHARED_DATA / "bbc-news" / "bbc-news.jsonl"


def benchmark_truth_path() -> Path:
    return SHARED_DATA / "article-extraction-benchmark" / "ground-truth.json"
