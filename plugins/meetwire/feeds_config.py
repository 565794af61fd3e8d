"""The feeds file (`MEETWIRE_FEEDS`, TOML): what to fetch. `meetwire feeds add|list|remove` edits it.

    [[feeds]]
    url = "https://example.org/rss.xml"   # or a path relative to the project root, for local seed feeds
    name = "Example"
    tags = ["world"]
    schedule = "30m"                      # a hint for the scheduler, not enforced per feed
    enabled = true
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from meetwire.settings import Settings

FIELDS = ("url", "name", "tags", "schedule", "enabled")


class FeedsFileError(ValueError):
    pass


def read_feeds(path: Path) -> tuple[list[dict], list[str]]:
    """The valid feeds of the file and a list of problems with the others (a run skips those, and says so).

    A file that is not TOML at all is an error: nothing in it can be trusted.
    """
    if not path.exists():
        return [], []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{path}: {exc}") from exc
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list):
        raise FeedsFileError(f"{path}: 'feeds' must be an array of tables ([[feeds]])")
    out, problems, seen = [], [], set()
    for i, feed in enumerate(feeds):
        if not isinstance(feed, dict) or not isinstance(feed.get("url"), str) or not feed["url"].strip():
            problems.append(f"{path}: feed #{i + 1} has no url: {feed!r}")
            continue
        url = feed["url"].strip()
        unknown = set(feed) - set(FIELDS)
        if unknown:
            problems.append(f"{path}: feed {url} has unknown keys {sorted(unknown)}")
            continue
        if url in seen:
            problems.append(f"{path}: feed {url} is listed twice")
            continue
        seen.add(url)
        tags = feed.get("tags") or []
        out.append({
            "url": url,
            "name": feed.get("name"),
            "tags": [str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
            "schedule": feed.get("schedule"),
            "enabled": bool(feed.get("enabled", True)),
        })
    return out, problems


def load_feeds(path: Path) -> list[dict]:
    """Feeds from the file, validated strictly (for editing it); a missing file is an empty list."""
    feeds, problems = read_feeds(path)
    if problems:
        raise FeedsFileError("; ".join(problems))
    return feeds


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_feeds(path: Path, feeds: list[dict]) -> None:
    lines = ["# meetwire feeds: edit by hand or with `meetwire feeds add|remove`.", ""]
    for feed in feeds:
        lines.append("[[feeds]]")
        for key in FIELDS:
            value = feed.get(key)
            if value is None or value == [] and key == "tags":
                continue
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a feeds file


def list_feeds(settings: Settings) -> list[dict]:
    return load_feeds(settings.feeds)


def add_feed(settings: Settings, url: str, *, name=None, tags=None, schedule=None, enabled=True) -> dict:
    feeds = load_feeds(settings.feeds)
    if any(f["url"] == url for f in feeds):
        raise FeedsFileError(f"feed already configured: {url}")
    feed = {"url": url, "name": name, "tags": tags or [], "schedule": schedule, "enabled": enabled}
    settings.feeds.parent.mkdir(parents=True, exist_ok=True)
    save_feeds(settings.feeds, feeds + [feed])
    return feed


def remove_feed(settings: Settings, url: str) -> bool:
    feeds = load_feeds(settings.feeds)
    kept = [f for f in feeds if f["url"] != url]
    if len(kept) == len(feeds):
        return False
    save_feeds(settings.feeds, kept)
    return True
