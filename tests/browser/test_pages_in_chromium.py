"""The static pages in a real browser: headless Chromium (Debian's `chromium`, installed here when missing) opens
every page from the file system, with no network; charts are drawn, scripts run without console errors, the events
filters work from the address, and a screenshot of each page is kept under build/test-artifacts/pages/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from meetwire import pipeline

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "pages"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], env=env,
                       check=False, capture_output=True, timeout=900)
    found = shutil.which("chromium")
    if not found:
        pytest.fail("headless Chromium is needed for the page tests: install Debian's `chromium` package "
                    "(apt-get install chromium) and run again")
    return found


def _open(browser: str, url: str, tmp: Path, screenshot: Path | None = None) -> tuple[str, str]:
    """One page in one browser launch: (DOM after scripts ran, browser log), or ("", log) and a screenshot."""
    base = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--disable-extensions", "--disable-background-networking", f"--user-data-dir={tmp / 'profile'}",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,1600", "--virtual-time-budget=3000"]
    what = [f"--screenshot={screenshot}"] if screenshot is not None else ["--dump-dom"]
    proc = subprocess.run(base + what + [url], capture_output=True, text=True, timeout=120)
    return ("" if screenshot is not None else proc.stdout), proc.stderr


def _console_errors(log: str) -> list[str]:
    lines = [ln for ln in log.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    return [ln for ln in lines if re.search(r"error|uncaught|failed to load", ln, re.I)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    data = tmp_path_factory.mktemp("pages")
    for name, value in (("MEETWIRE_DB", data / "meetwire.duckdb"), ("MEETWIRE_ARCHIVE_DIR", data / "raw"),
                        ("MEETWIRE_DOCS_DIR", data / "docs")):
        mp.setenv(name, str(value))
    for name in ("MEETWIRE_ALERT_WEBHOOK", "MEETWIRE_SLACK_WEBHOOK", "MEETWIRE_ALERT_EMAIL", "MEETWIRE_FEEDS"):
        mp.delenv(name, raising=False)
    from meetwire.settings import get_settings

    settings = get_settings()
    result = pipeline.run_all(settings)  # writes the pages, the quality pages and GX's pages
    yield settings, result
    mp.undo()


def test_every_page_renders_offline_with_charts_and_no_console_errors(site, tmp_path):
    settings, result = site
    browser = _chromium()
    docs = settings.docs_dir
    gx = sorted((docs / "quality" / "gx").rglob("*.html"))
    pages = [docs / "index.html", docs / "events.html", docs / "health.html", docs / "quality" / "index.html",
             Path(result["quality"]["docs_path"]), gx[0]]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in pages:
        assert page.exists(), page
        shot = ARTIFACTS / (page.relative_to(docs).as_posix().replace("/", "__") + ".png")
        _, log = _open(browser, page.as_uri(), tmp_path, screenshot=shot)
        assert "<nav>" in page.read_text(encoding="utf-8"), page  # links to the other pages
        assert not _console_errors(log), (page, _console_errors(log))
        assert shot.exists() and shot.stat().st_size > 5_000, shot  # something was drawn
    index_dom, _ = _open(browser, (docs / "index.html").as_uri(), tmp_path)
    charts = re.findall(r"<figure class=\"chart\"[^>]*>(.*?)</figure>", index_dom, re.S)
    assert len(charts) >= 4
    assert all("<svg" in c and ("<path" in c or "<rect" in c) for c in charts)  # marks drawn in every chart


def test_events_page_filters_and_counts_in_the_browser(site, tmp_path):
    settings, _ = site
    browser = _chromium()
    page = (settings.docs_dir / "events.html").as_uri()
    from meetwire import store

    with store.connect(settings) as con:
        total, planned = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'planned') FROM events").fetchone()
    assert 0 < planned < total
    dom, _ = _open(browser, page, tmp_path)
    assert re.search(rf'<b id="count">{total}</b>', dom)  # the script ran and counted every row
    dom, _ = _open(browser, page + "?status=planned", tmp_path)
    assert re.search(rf'<b id="count">{planned}</b>', dom)
    shown = re.findall(r'<tr id="[^"]+"([^>]*)>', dom)
    assert sum('display: none' not in attrs for attrs in shown) == planned
