"""The data-quality pages under `MEETWIRE_DOCS_DIR/quality/`: one page per run, an index of every run, and
great-expectations' own page per validation (values escaped, CDN assets and scripts removed, so it reads offline).
Written by `meetwire.quality.run_quality` after the results are recorded."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from meetwire.quality import SUITES, QualityReport
from meetwire.settings import Settings, get_settings

log = logging.getLogger(__name__)


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 2em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f4f4f4}.ok{color:#1a7f37}.fail{color:#b42318;font-weight:600}.warn{color:#b54708;font-weight:600}
code{font-size:13px}small{color:#666}
"""


def docs_link(settings: Settings, page: Path | None) -> str | None:
    """The run page as alerts show it: a URL under MEETWIRE_DOCS_BASE_URL (where the docs directory is served), else
    the file path."""
    if page is None:
        return None
    base = settings.docs_base_url.strip()
    if base:
        try:
            return base.rstrip("/") + "/" + page.resolve().relative_to(settings.docs_dir.resolve()).as_posix()
        except ValueError:
            pass
    return str(page)


def run_page_name(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", run_id) + ".html"


def docs_root(settings: Settings) -> Path:
    return settings.docs_dir / "quality"


def gx_docs_enabled() -> bool:
    """MEETWIRE_GX_DOCS=0 skips GX's own rendering of each validation (about 0.1 s per suite and frame)."""
    return get_settings().gx_docs


def write_gx_pages(root: Path, run_id: str, gx_results: Mapping[str, Any], checked_at: datetime | None = None,
                   ) -> dict[str, str]:
    """GX Data Docs pages (GX's renderer and page template) for each validation of the run; name -> relative path.

    The ephemeral context keeps no validation store, so the pages are rendered straight from the results of this run,
    values escaped (`_escape_values`) and without GX's CDN assets and scripts (`_offline`): they read offline.
    """
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    out: dict[str, str] = {}
    folder = root / "gx" / run_page_name(run_id).removesuffix(".html")
    folder.mkdir(parents=True, exist_ok=True)
    renderer, view = ValidationResultsPageRenderer(), DefaultJinjaPageView()
    from meetwire.report import nav as report_nav

    page_nav = report_nav("quality/index.html", "../../../")  # pages live in quality/gx/<run>/
    from great_expectations.core.run_identifier import RunIdentifier

    for key, validation in gx_results.items():
        try:
            _shorten_value_sets(validation)
            _escape_values(validation)
            validation.meta["run_id"] = RunIdentifier(run_name=run_id, run_time=checked_at)
            page = _offline(view.render(renderer.render(validation)), nav=page_nav)
        except Exception:
            log.exception("GX could not render %s", key)
            continue
        path = folder / f"{key}.html"
        path.write_text(page, encoding="utf-8")
        out[key] = path.relative_to(root).as_posix()
    return out


_SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)


def _offline(page: str, nav: str = "") -> str:
    """GX's page template loads Bootstrap, jQuery and Vega from public CDNs and runs inline scripts that need them:
    offline the page looked broken and logged errors. Keep its content as plain static HTML with our style and
    the links to the other pages."""
    page = _LINK_TAG.sub("", _SCRIPT_TAG.sub("", page))
    style = f"<style>{_STYLE}</style>"
    page = page.replace("<head>", "<head>" + style, 1) if "<head>" in page else style + page
    return re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + nav, page, count=1) if nav else page


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_escaped(v) for v in value]
    return value


def _escape_values(validation) -> None:
    """GX's page templates insert values as markup, and the values come from the web (a mode, a URL, a name):
    escape every string of the results and of the expectations' arguments before rendering. The results are
    already recorded; these objects only feed the page."""
    for result in validation.results:
        if result.result:
            result.result = _escaped(dict(result.result))
        kwargs = result.expectation_config.kwargs
        for name in list(kwargs):
            if name not in ("column", "result_format"):  # GX reads these back while rendering
                kwargs[name] = _escaped(kwargs[name])


def _shorten_value_sets(validation, keep: int = 20) -> None:
    """Referential checks carry every parent key as their value set; the page shows a sample and the count."""
    for result in validation.results:
        kwargs = result.expectation_config.kwargs
        values = kwargs.get("value_set")
        if isinstance(values, (list, set, tuple)) and len(values) > keep:
            values = list(values)
            kwargs["value_set"] = [*values[:keep], f"... {len(values)} values in all"]


def write_docs(settings: Settings, report: QualityReport, history: list[tuple],
               gx_results: Mapping[str, Any] | None = None) -> Path:
    """One static page per run plus index.html linking every recorded run (newest first)."""
    from meetwire.report import nav as report_nav

    root = docs_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    esc = html.escape
    gx_pages: dict[str, str] = {}
    if gx_results and gx_docs_enabled():
        try:
            gx_pages = write_gx_pages(root, report.run_id, gx_results, report.checked_at)
        except Exception:  # GX's renderer is a nicety on top of our own page
            log.exception("GX data docs rendering failed")
    status = "passed" if report.success else "FAILED"
    parts = [
        f"<!doctype html><meta charset=utf-8><title>meetwire data quality {esc(report.run_id)}</title>",
        f"<style>{_STYLE}</style>{report_nav('quality/index.html', '../')}<p><a href='index.html'>all runs</a></p>",
        f"<h1>Data quality run <code>{esc(report.run_id)}</code>: {status}</h1>",
        f"<p>checked at {esc(str(report.checked_at))}; {len(report.results)} expectations, "
        f"{len(report.failed)} failed "
        f"({sum(1 for r in report.failed if r.severity == 'fail')} of severity fail)</p>",
    ]
    for suite, failures in report.suite_failures().items():
        rows = [r for r in report.results if r.suite == suite]
        state = "ok" if not failures else ("fail" if any(r.severity == "fail" for r in failures) else "warn")
        desc = SUITES[suite].description if suite in SUITES else ""
        gx_links = " ".join(f"<a href='{esc(path)}'>GX data docs: {esc(key)}</a>"
                            for key, path in gx_pages.items() if key.split(".", 1)[0] == suite)
        parts.append(f"<h2 id='{esc(suite)}'>{esc(suite)} <span class={state}>{'passed' if state == 'ok' else 'failed'}"
                     f"</span></h2><p><small>{esc(desc)}</small> {gx_links}</p>")
        parts.append("<table><tr><th>expectation</th><th>severity</th><th>result</th><th>observed</th>"
                     "<th>why</th></tr>")
        for r in sorted(rows, key=lambda r: (r.success, r.severity != "fail", r.expectation)):
            cls = "ok" if r.success else r.severity
            parts.append(
                f"<tr><td><code>{esc(r.expectation)}</code></td><td>{esc(r.severity)}</td>"
                f"<td class={cls}>{'ok' if r.success else 'failed'}</td>"
                f"<td>{esc(r.observed_value or '')}</td><td><small>{esc(str(r.details.get('why', '')))}"
                f"{('<br>' + esc(str(r.details['error']))) if 'error' in r.details else ''}"
                f"{('<br>' + esc(str(r.details['exception']))) if 'exception' in r.details else ''}"
                f"</small></td></tr>")
        parts.append("</table>")
    page = root / run_page_name(report.run_id)
    page.write_text("\n".join(parts), encoding="utf-8")

    index = [f"<!doctype html><meta charset=utf-8><title>meetwire data quality</title><style>{_STYLE}</style>",
             report_nav("quality/index.html", "../"),
             "<h1>meetwire data quality runs</h1>",
             "<table><tr><th>run</th><th>checked at</th><th>expectations</th><th>failed (fail)</th>"
             "<th>failed (warn)</th><th>suites</th></tr>"]
    for run_id, checked_at, n, n_fail, n_warn, suites in history:
        name = run_page_name(run_id)
        link = f"<a href='{esc(name)}'>{esc(run_id)}</a>" if (root / name).exists() else esc(run_id)
        index.append(f"<tr><td>{link}</td><td>{esc(str(checked_at))}</td><td>{n}</td>"
                     f"<td class={'fail' if n_fail else 'ok'}>{n_fail}</td>"
                     f"<td class={'warn' if n_warn else 'ok'}>{n_warn}</td><td>{esc(suites or '')}</td></tr>")
    index.append("</table>")
    (root / "index.html").write_text("\n".join(index), encoding="utf-8")
    return page
