"""The static pages under `MEETWIRE_DOCS_DIR` (default `data/docs/`), for people without SQL.

- `index.html`: the pipeline's week at a glance: counts, events per week by mode and by status, the most active
  pairs, top topics, and the last runs' health;
- `events.html`: the recent events (newest first), sortable by any column, filterable by text, status, mode,
  country and date, with the evidence sentence and links to the reporting articles; the count follows the filter;
- `health.html`: pipeline health: articles in and events per run, quarantined inputs by reason, failed checks;
- `quality/`: the data-quality runs (written by `meetwire.quality`).

Charts are Vega-Lite specifications (Altair) rendered to inline SVG by vl-convert in this process: nothing is
fetched when a page is viewed, and the pages work from the file system. Every page links to the others.
`meetwire report` writes them; every quality run refreshes them.

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
WEEKS = 26  # weeks of history in the overview charts, back from the latest dated event (not from today: a
# database of older news still shows its own last half year)
_SINCE = f"(SELECT max(week) FROM v_timeline) - INTERVAL {WEEKS} WEEK"

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:1400px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f4f4f4;position:sticky;top:0}th.sortable{cursor:pointer}th.sortable:after{content:' \\2195';color:#999}
small{color:#666}.planned{color:#175cd3}.cancelled{color:#b42318}.fail{color:#b42318}.warn{color:#b54708}
nav{margin-bottom:1em}nav a{margin-right:1.2em}nav a.here{font-weight:bold;color:#222;text-decoration:none}
.filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:center;margin:.5em 0 1em}
.filters input,.filters select{font-size:14px;padding:3px 6px}
.kpis{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}.kpi{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
.kpi b{display:block;font-size:1.6em}.charts{display:flex;flex-wrap:wrap;gap:2em}.chart{min-width:420px}
.chart svg{max-width:100%;height:auto}
"""

PAGES = (("index.html", "overview"), ("events.html", "events"), ("health.html", "pipeline health"),
         ("quality/index.html", "data quality"))


def nav(here: str, prefix: str = "") -> str:
    """The links between the pages; `prefix` is the way up from a page in a subfolder ("../")."""
    links = [f"<a href='{prefix}{href}'{' class=here' if href == here else ''}>{label}</a>" for href, label in PAGES]
    return "<nav>" + "".join(links) + "</nav>"


def _page(title: str, here: str, body: list[str], script: str = "") -> str:
    return "\n".join([
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>",
        "<meta name=viewport content='width=device-width, initial-scale=1'>",
        f"<style>{_STYLE}</style>", nav(here), *body,
        f"<script>{script}</script>" if script else "", "</html>",
    ])


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


# --- charts ------------------------------------------------------------------------------------------------------

def chart_svg(spec: dict[str, Any], title: str) -> str:
    """A Vega-Lite spec as inline SVG (rendered here, offline); a chart that cannot be drawn says so."""
    import vl_convert

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": title, "width": 420,
            "height": 200, "config": {"axis": {"labelLimit": 260}}, **spec}
    try:
        svg = vl_convert.vegalite_to_svg(spec)
    except Exception as exc:  # noqa: BLE001 - a chart must never cost the page
        log.warning("chart %r could not be rendered: %s", title, exc)
        return f"<p class=chart><small>{html.escape(title)}: chart unavailable</small></p>"
    return f"<figure class=chart aria-label='{html.escape(title, quote=True)}'>{svg}</figure>"


def _bars(rows: list[dict], x: str, y: str, title: str, color: str | None = None, x_type: str = "ordinal",
          horizontal: bool = False) -> str:
    if not rows:
        return f"<p class=chart><small>{html.escape(title)}: nothing yet</small></p>"
    enc: dict[str, Any] = {
        "x": {"field": x, "type": x_type, "title": None},
        "y": {"field": y, "type": "quantitative", "title": y},
        "tooltip": [{"field": k} for k in rows[0]],
    }
    if horizontal:
        enc["x"], enc["y"] = ({"field": y, "type": "quantitative", "title": y},
                              {"field": x, "type": "nominal", "sort": "-x", "title": None})
    if color:
        enc["color"] = {"field": color, "type": "nominal"}
    return chart_svg({"data": {"values": rows}, "mark": "bar", "encoding": enc}, title)


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [{n: (v.isoformat() if hasattr(v, "isoformat") else v) for n, v in zip(names, row)}
            for row in cur.fetchall()]


# --- data --------------------------------------------------------------------------------------------------------

def fetch_events(con, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    rows = con.execute(
        """SELECT e.event_id, e.event_date, e.date_precision, e.status, e.mode, e.location, e.venue, e.confidence,
                  e.evidence,
                  coalesce((SELECT list(a.name || coalesce(' (' || a.country || ')', '') ORDER BY a.name)
                            FROM event_participants p JOIN actors a USING (actor_id)
                            WHERE p.event_id = e.event_id), []) AS participants,
                  coalesce((SELECT list(DISTINCT a.country ORDER BY a.country)
                            FROM event_participants p JOIN actors a USING (actor_id)
                            WHERE p.event_id = e.event_id AND a.country IS NOT NULL), []) AS countries,
                  coalesce((SELECT list(t.topic ORDER BY t.topic) FROM event_topics t
                            WHERE t.event_id = e.event_id), []) AS topics,
                  coalesce((SELECT list({'url': ar.url, 'title': ar.title, 'source': ar.source}
                                        ORDER BY ar.published_at)
                            FROM event_articles ea JOIN articles ar USING (article_id)
                            WHERE ea.event_id = e.event_id), []) AS articles
           FROM (SELECT * FROM events ORDER BY event_date DESC NULLS LAST, event_id LIMIT ?) e
           ORDER BY e.event_date DESC NULLS LAST, e.event_id""", [limit],
    ).fetchall()
    names = ["event_id", "event_date", "date_precision", "status", "mode", "location", "venue", "confidence",
             "evidence", "participants", "countries", "topics", "articles"]
    return [dict(zip(names, row)) for row in rows]


def overview_data(con) -> dict[str, Any]:
    return {
        "counts": con.execute(
            """SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events WHERE status = 'occurred'),
                      (SELECT count(*) FROM events WHERE status = 'planned'), (SELECT count(*) FROM articles),
                      (SELECT count(DISTINCT coalesce(source, canonical_url)) FROM articles),
                      (SELECT count(*) FROM quarantine)""").fetchone(),
        "weeks_mode": _rows(con, f"""SELECT week, mode, sum(events) AS events FROM v_timeline
                                     WHERE week >= {_SINCE} GROUP BY ALL ORDER BY week"""),
        "weeks_status": _rows(con, f"""SELECT week, status, sum(events) AS events FROM v_timeline
                                       WHERE week >= {_SINCE} GROUP BY ALL ORDER BY week"""),
        "pairs": _rows(con, """SELECT actor_1 || ' – ' || actor_2 AS pair, count(DISTINCT event_id) AS meetings
                               FROM v_pairs WHERE status = 'occurred' GROUP BY ALL
                               ORDER BY meetings DESC, pair LIMIT 15"""),
        "topics": _rows(con, """SELECT topic, count(*) AS events FROM event_topics GROUP BY ALL
                                ORDER BY events DESC, topic LIMIT 15"""),
    }


def health_data(con) -> dict[str, Any]:
    return {
        "runs": _rows(con, """SELECT run_id, stage, status, started_at, finished_at, n_articles, n_events,
                                     n_quarantined FROM runs ORDER BY started_at DESC LIMIT 30"""),
        "quarantine": _rows(con, """SELECT stage || ': ' || reason AS reason, count(*) AS inputs,
                                           sum(n_seen) AS times_seen, max(seen_at) AS last_seen
                                    FROM quarantine GROUP BY ALL ORDER BY inputs DESC LIMIT 20"""),
        "checks": _rows(con, """SELECT run_id, min(checked_at) AS checked_at,
                                       count(*) FILTER (WHERE NOT success AND severity = 'fail') AS failed_fail,
                                       count(*) FILTER (WHERE NOT success AND severity = 'warn') AS failed_warn,
                                       count(*) AS checks
                                FROM dq_results GROUP BY run_id ORDER BY checked_at DESC LIMIT 30"""),
    }


# --- pages -------------------------------------------------------------------------------------------------------

def render_overview(data: dict[str, Any], health: dict[str, Any], generated_at: datetime) -> str:
    n_events, n_occurred, n_planned, n_articles, n_sources, n_quarantined = data["counts"]
    kpis = "".join(f"<div class=kpi><b>{v}</b>{html.escape(k)}</div>" for k, v in (
        ("events", n_events), ("occurred", n_occurred), ("planned", n_planned), ("articles", n_articles),
        ("sources", n_sources), ("quarantined inputs", n_quarantined)))
    runs = [r for r in reversed(health["runs"]) if r["n_articles"] is not None]
    body = [
        "<h1>meetwire: meetings between officials, from the news</h1>",
        f"<p><small>generated {html.escape(generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</small></p>",
        f"<div class=kpis>{kpis}</div>",
        "<h2>Events per week</h2><div class=charts>",
        _bars(data["weeks_mode"], "week", "events", "by mode", color="mode", x_type="temporal"),
        _bars(data["weeks_status"], "week", "events", "by status", color="status", x_type="temporal"),
        "</div><h2>Who meets most, and about what</h2><div class=charts>",
        _bars(data["pairs"], "pair", "meetings", "most active pairs (occurred)", horizontal=True),
        _bars(data["topics"], "topic", "events", "top topics", horizontal=True),
        "</div><h2>Pipeline</h2><div class=charts>",
        _bars(runs, "started_at", "n_articles", "new articles per run", x_type="temporal"),
        _bars(health["quarantine"], "reason", "inputs", "quarantined inputs by reason", horizontal=True),
        "</div><p><a href='events.html'>all recent events</a> · <a href='health.html'>pipeline health</a> · "
        "<a href='quality/index.html'>data-quality runs</a></p>",
    ]
    return _page("meetwire", "index.html", body)


_EVENTS_SCRIPT = """
const rows=[...document.querySelectorAll('#events tbody tr')];
function mwFilter(){
  const q=document.getElementById('q').value.toLowerCase(), st=document.getElementById('status').value,
        md=document.getElementById('mode').value, co=document.getElementById('country').value,
        from=document.getElementById('from').value, to=document.getElementById('to').value;
  let n=0;
  for(const r of rows){
    const d=r.dataset, ok=(!q||r.textContent.toLowerCase().includes(q))&&(!st||d.status===st)&&(!md||d.mode===md)
      &&(!co||d.countries.split('|').includes(co))&&(!from||(d.date&&d.date>=from))&&(!to||(d.date&&d.date<=to));
    r.style.display=ok?'':'none'; if(ok)n++;
  }
  document.getElementById('count').textContent=n;
}
function mwSort(th){
  const i=[...th.parentNode.children].indexOf(th), asc=th.dataset.asc!=='1'; th.dataset.asc=asc?'1':'0';
  const key=r=>{const c=r.children[i]; return c.dataset.sort!==undefined?c.dataset.sort:c.textContent.trim();};
  const body=document.querySelector('#events tbody');
  rows.sort((a,b)=>{const x=key(a),y=key(b),nx=parseFloat(x),ny=parseFloat(y);
    const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y); return asc?c:-c;});
  for(const r of rows) body.appendChild(r);
}
// filters can be given in the address too (events.html?status=planned&country=China): links share a view
for(const [k,v] of new URLSearchParams(location.search)){const el=document.getElementById(k); if(el) el.value=v;}
for(const el of document.querySelectorAll('.filters input,.filters select')) el.addEventListener('input',mwFilter);
for(const th of document.querySelectorAll('th.sortable')) th.addEventListener('click',()=>mwSort(th));
mwFilter();
"""


def _options(values: set[str], label: str) -> str:
    opts = "".join(f"<option>{html.escape(v)}</option>" for v in sorted(values))
    return f"<option value=''>any {label}</option>{opts}"


def render_events(events: list[dict[str, Any]], total: int, generated_at: datetime) -> str:
    esc = html.escape
    statuses = {e["status"] for e in events if e["status"]}
    modes = {e["mode"] for e in events if e["mode"]}
    countries = {c for e in events for c in e["countries"]}
    body = [
        "<h1>Meetings reported in the news</h1>",
        f"<p><small>{total} events{f' (newest {len(events)} shown)' if len(events) < total else ''}; generated "
        f"{esc(generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</small></p>",
        "<div class=filters><input id=q type=search placeholder='filter: name, place, topic…'>"
        f"<select id=status>{_options(statuses, 'status')}</select><select id=mode>{_options(modes, 'mode')}</select>"
        f"<select id=country>{_options(countries, 'country')}</select>"
        "<label>from <input id=from type=date></label><label>to <input id=to type=date></label>"
        "<span><b id=count>0</b> shown</span></div>",
        "<table id=events><thead><tr>" + "".join(
            f"<th class=sortable>{h}</th>" for h in ("date", "status", "mode", "where", "who", "topics", "evidence"))
        + "<th>articles</th></tr></thead><tbody>",
    ]
    for ev in events:
        where = ", ".join(x for x in (ev["venue"], ev["location"]) if x)
        articles = "<br>".join(
            _link(a.get("url"), a.get("title") or a.get("url")) + (f" <small>{esc(a['source'])}</small>"
                                                                    if a.get("source") else "")
            for a in ev["articles"])
        conf = f"<br><small>confidence {ev['confidence']:.2f}</small>" if ev["confidence"] is not None else ""
        iso = ev["event_date"].isoformat() if ev["event_date"] is not None else ""
        body.append(
            f"<tr id='{esc(ev['event_id'], quote=True)}' data-status='{esc(ev['status'] or '', quote=True)}' "
            f"data-mode='{esc(ev['mode'] or '', quote=True)}' data-date='{esc(iso, quote=True)}' "
            f"data-countries='{esc('|'.join(ev['countries']), quote=True)}'>"
            f"<td data-sort='{esc(iso, quote=True)}'>{esc(_date(ev['event_date'], ev['date_precision']))}</td>"
            f"<td class='{esc(ev['status'] or '', quote=True)}'>{esc(ev['status'] or '')}</td>"
            f"<td>{esc(ev['mode'] or '')}</td><td>{esc(where)}</td>"
            f"<td>{'<br>'.join(esc(p) for p in ev['participants'])}</td>"
            f"<td>{esc(', '.join(ev['topics']))}</td><td>{esc(ev['evidence'] or '')}{conf}</td>"
            f"<td>{articles}</td></tr>")
    body.append("</tbody></table>")
    return _page("meetwire events", "events.html", body, _EVENTS_SCRIPT)


def _table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return "<p><small>nothing yet</small></p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r.get(c) is None else str(r[c]))}</td>"
                                    for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_health(health: dict[str, Any], generated_at: datetime) -> str:
    runs = [r for r in reversed(health["runs"]) if r["n_articles"] is not None]
    checks = list(reversed(health["checks"]))
    failed = [{"run_id": c["run_id"], "checked_at": c["checked_at"], "severity": sev, "failed": c[key]}
              for c in checks for sev, key in (("fail", "failed_fail"), ("warn", "failed_warn"))]
    body = [
        "<h1>Pipeline health</h1>",
        f"<p><small>generated {html.escape(generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</small></p>",
        "<div class=charts>",
        _bars(runs, "started_at", "n_articles", "new articles per run", x_type="temporal"),
        _bars(runs, "started_at", "n_events", "events after each run", x_type="temporal"),
        _bars(failed, "checked_at", "failed", "failed checks per quality run", color="severity", x_type="temporal"),
        _bars(health["quarantine"], "reason", "inputs", "quarantined inputs by reason", horizontal=True),
        "</div><h2>Last runs</h2>",
        _table(health["runs"], ["run_id", "stage", "status", "started_at", "finished_at", "n_articles", "n_events",
                                "n_quarantined"]),
        "<h2>Quarantined inputs</h2>", _table(health["quarantine"], ["reason", "inputs", "times_seen", "last_seen"]),
        "<h2>Quality runs</h2>",
        _table(health["checks"], ["run_id", "checked_at", "checks", "failed_fail", "failed_warn"]),
    ]
    return _page("meetwire pipeline health", "health.html", body)


def write_report(settings: Settings | None = None, limit: int = DEFAULT_LIMIT, con=None) -> Path:
    """Write the overview, events and health pages under the docs directory; return the overview page."""
    settings = settings or get_settings()
    if con is None:
        with store.connect(settings) as own:
            return write_report(settings, limit, con=own)
    now = datetime.now(timezone.utc)
    events = fetch_events(con, limit)
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    health = health_data(con)
    docs = settings.docs_dir
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "events.html").write_text(render_events(events, total, now), encoding="utf-8")
    (docs / "health.html").write_text(render_health(health, now), encoding="utf-8")
    index = docs / "index.html"
    index.write_text(render_overview(overview_data(con), health, now), encoding="utf-8")
    return index
