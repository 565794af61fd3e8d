"""A small static HTML report of the events, for people without SQL: `MEETWIRE_DOCS_DIR/events.html`.

One self-contained page (no external assets; a few lines of inline JavaScript filter the table), newest events
first, with participants, topics, the evidence sentence and links to the reporting articles. `index.html` beside it
links the report and the data-quality pages. `run_quality` refreshes both after every check; `write_report()` can
also be called on its own.

Everything from the database is HTML-escaped, and only http(s) URLs become links: feed content is untrusted.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from meetwire import store
from meetwire.settings import Settings, get_settings

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 1000

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f4f4f4;position:sticky;top:0}small{color:#666}.planned{color:#175cd3}.cancelled{color:#b42318}
input{font-size:15px;padding:4px 8px;width:24em;margin:.5em 0 1em}
"""

_SCRIPT = """
function mwFilter(q){q=q.toLowerCase();for(const r of document.querySelectorAll('#events tbody tr'))
{r.style.display=r.textContent.toLowerCase().includes(q)?'':'none'}}
"""


def _link(url: str | None, text: str | None) -> str:
    label = html.escape(text or url or "")
    if url and url.lower().startswith(("http://", "https://")):
        return f"<a href='{html.escape(url, quote=True)}' rel='noopener noreferrer'>{label}</a>"
    return label


def _date(value: Any, precision: str | None) -> str:
    if value is None:
        return "unknown"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if precision == "month":
        return text[:7]
    if precision == "year":
        return text[:4]
    return text


def fetch_events(con, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    rows = con.execute(
        """SELECT e.event_id, e.event_date, e.date_precision, e.status, e.mode, e.location, e.venue, e.confidence,
                  e.evidence,
                  coalesce((SELECT list(a.name || coalesce(' (' || a.country || ')', '') ORDER BY a.name)
                            FROM event_participants p JOIN actors a USING (actor_id)
                            WHERE p.event_id = e.event_id), []) AS participants,
                  coalesce((SELECT list(t.topic ORDER BY t.topic) FROM event_topics t
                            WHERE t.event_id = e.event_id), []) AS topics,
                  coalesce((SELECT list({'url': ar.url, 'title': ar.title, 'source': ar.source}
                                        ORDER BY ar.published_at)
                            FROM event_articles ea JOIN articles ar USING (article_id)
                            WHERE ea.event_id = e.event_id), []) AS articles
           FROM events e
           ORDER BY e.event_date DESC NULLS LAST, e.event_id
           LIMIT ?""", [limit],
    ).fetchall()
    names = ["event_id", "event_date", "date_precision", "status", "mode", "location", "venue", "confidence",
             "evidence", "participants", "topics", "articles"]
    return [dict(zip(names, row)) for row in rows]


def render_events(events: list[dict[str, Any]], total: int, generated_at: datetime) -> str:
    esc = html.escape
    out = [
        "<!doctype html><meta charset=utf-8><title>meetwire events</title>",
        f"<style>{_STYLE}</style><script>{_SCRIPT}</script>",
        "<p><a href='index.html'>meetwire</a> · <a href='quality/index.html'>data quality</a></p>",
        f"<h1>Meetings reported in the news</h1><p><small>{total} events"
        f"{f' (newest {len(events)} shown)' if len(events) < total else ''}; generated "
        f"{esc(generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</small></p>",
        "<input type=search placeholder='filter: name, place, topic…' oninput='mwFilter(this.value)'>",
        "<table id=events><thead><tr><th>date</th><th>status</th><th>mode</th><th>where</th><th>who</th>"
        "<th>topics</th><th>evidence</th><th>articles</th></tr></thead><tbody>",
    ]
    for ev in events:
        where = ", ".join(x for x in (ev["venue"], ev["location"]) if x)
        articles = "<br>".join(
            _link(a.get("url"), a.get("title") or a.get("url")) + (f" <small>{esc(a['source'])}</small>"
                                                                    if a.get("source") else "")
            for a in ev["articles"])
        conf = f"<br><small>confidence {ev['confidence']:.2f}</small>" if ev["confidence"] is not None else ""
        out.append(
            f"<tr id='{esc(ev['event_id'])}'><td>{esc(_date(ev['event_date'], ev['date_precision']))}</td>"
            f"<td class='{esc(ev['status'] or '')}'>{esc(ev['status'] or '')}</td><td>{esc(ev['mode'] or '')}</td>"
            f"<td>{esc(where)}</td><td>{'<br>'.join(esc(p) for p in ev['participants'])}</td>"
            f"<td>{esc(', '.join(ev['topics']))}</td><td>{esc(ev['evidence'] or '')}{conf}</td>"
            f"<td>{articles}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_index(settings: Settings, generated_at: datetime) -> str:
    quality_index = settings.docs_dir / "quality" / "index.html"
    return "\n".join([
        "<!doctype html><meta charset=utf-8><title>meetwire</title>", f"<style>{_STYLE}</style>",
        "<h1>meetwire</h1><ul>",
        "<li><a href='events.html'>events</a>: meetings between officials, newest first</li>",
        "<li><a href='quality/index.html'>data quality</a>: every check of every run</li>"
        if quality_index.exists() else "<li>data quality: no run yet (<code>meetwire dq</code>)</li>",
        f"</ul><p><small>generated {html.escape(generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</small></p>",
    ])


def write_report(settings: Settings | None = None, limit: int = DEFAULT_LIMIT, con=None) -> Path:
    """Write `events.html` and `index.html` under the docs directory; return the events page."""
    settings = settings or get_settings()
    if con is None:
        with store.connect(settings) as own:
            return write_report(settings, limit, con=own)
    events = fetch_events(con, limit)
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    now = datetime.now(timezone.utc)
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    page = settings.docs_dir / "events.html"
    page.write_text(render_events(events, total, now), encoding="utf-8")
    (settings.docs_dir / "index.html").write_text(render_index(settings, now), encoding="utf-8")
    return page
