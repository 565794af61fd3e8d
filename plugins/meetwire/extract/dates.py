"""Date expressions and their resolution against the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y>(?:19|20)\d\d)\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(?P<y>(?:19|20)\d\d)\b")),
    ("my", re.compile(rf"\b{_MON},?\s+(?P<y>(?:19|20)\d\d)\b")),
    ("md", re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,\d]*\s*(?:19|20)\d\d)")),
    ("dm", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b")),
    ("rel_wd", re.compile(rf"\b(?P<rel>last|this|next|on|coming|past)?\s*{_WD}\b", re.I)),
    ("rel_day", re.compile(r"\b(?P<w>today|yesterday|tomorrow|tonight|last night|this morning|this afternoon|this evening|earlier today|later today)\b", re.I)),
    # "three days ago", "two weeks earlier", "in two days", "within a week", "a day later"
    ("rel_n", re.compile(r"\b(?:(?P<pre>in|within|after)\s+)?(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|"
                         r"nine|ten|a couple of|a few)\s+(?P<unit>days?|weeks?|months?|years?)(?:\s+(?P<post>ago|earlier|"
                         r"before|later|from now|hence|time))?\b", re.I)),
    ("rel_span", re.compile(r"\b(?P<rel>last|this|next|earlier this|later this|past|coming)\s+(?P<unit>week|month|year|weekend)\b", re.I)),
    ("in_month", re.compile(rf"\b(?P<prep>in|since|during|until|by|from|early|late|mid-?|end of|beginning of|the end of)\s+(?:(?:early|late|mid-?)\s*)?{_MON}(?!\s+\d)", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|of|early|late|mid-?|until|by)\s+(?P<y>(?:19|20)\d\d)\b(?!-)", re.I)),
]


@dataclass
class DateMention:
    start: int
    end: int
    kind: str
    text: str
    groups: dict


def find_dates(text: str) -> list[DateMention]:
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and e > ts for ts, te in taken):
                continue
            g = {k: v for k, v in m.groupdict().items() if v}
            if kind == "rel_wd" and m.group("wd")[0].islower():
                continue
            if kind in ("md", "dm") and g.get("mon", "").lower() == "may" and kind == "dm":
                pass
            if kind == "md" and g.get("mon", "").lower().startswith("may") and not text[s:e].startswith("May"):
                continue
            taken.append((s, e))
            out.append(DateMention(s, e, kind, m.group(0), g))
    # borrow a year from an adjacent full date ("From 13 May to May 15 2016")
    full = [d for d in out if d.kind in ("mdy", "dmy", "iso", "my")]
    for d in out:
        if d.kind in ("md", "dm"):
            for f in full:
                if 0 <= f.start - d.end <= 25:
                    d.groups["y"] = f.groups.get("y")
                    d.kind = "mdy"
    out.sort(key=lambda d: d.start)
    return out


def to_date(value) -> date | None:
    """Accept datetime/date/ISO string (with or without time/offset)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    if not s:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        from dateutil import parser as dparser

        return dparser.parse(s).date()
    except Exception:
        return None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve(dm: DateMention, pub: date | None, future: bool = False) -> tuple[str | None, str]:
    """Resolve a mention to ("YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None, precision).

    ``future`` says the event is planned: relative weekdays/months then point forward.
    """
    g, k = dm.groups, dm.kind
    if k == "iso":
        d = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day") if d else (None, "unknown")
    if k in ("mdy", "dmy") and g.get("y"):
        d = _safe(int(g["y"]), MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
        return (d.isoformat(), "day") if d else (None, "unknown")
    if k == "my":
        return f"{int(g['y']):04d}-{MONTHS[g['mon'].lower().rstrip('.')]:02d}", "month"
    if k == "year":
        return g["y"], "year"
    if pub is None:
        return None, "unknown"
    if k in ("md", "dm", "mdy", "dmy"):
        mon = MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["d"])
        cands = [c for c in (_safe(pub.year + o, mon, day) for o in (-1, 0, 1)) if c]
        if future:
            ok = [c for c in cands if c >= pub - timedelta(days=2)]
            d = min(ok) if ok else None
        else:
            # the nearest such day, preferring the past ("met on June 20" in a May 30 story is
            # more likely a date the reporter got ahead of than a year-old meeting)
            d = min(cands, key=lambda c: (abs((c - pub).days) + (30 if c > pub else 0))) if cands else None
        return (d.isoformat(), "day") if d else (None, "unknown")
    if k == "in_month":
        mon = MONTHS[g["mon"].lower().rstrip(".")]
        if future:
            y = pub.year if mon >= pub.month else pub.year + 1
        else:
            y = pub.year if mon <= pub.month else pub.year - 1
        return f"{y:04d}-{mon:02d}", "month"
    if k == "rel_wd":
        wd = WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if rel == "next" or (future and rel not in ("last", "past")):
            delta = (wd - pub.weekday()) % 7
            if rel == "next" and delta == 0:
                delta = 7
            d = pub + timedelta(days=delta)
        else:
            delta = (pub.weekday() - wd) % 7
            if rel == "last" and delta == 0:
                delta = 7
            d = pub - timedelta(days=delta)
        return d.isoformat(), "day"
    if k == "rel_day":
        w = g["w"].lower()
        off = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(w, 0)
        return (pub + timedelta(days=off)).isoformat(), "day"
    if k == "rel_n":
        return _resolve_rel_n(g, pub)
    if k == "rel_span":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        sign = -1 if rel in ("last", "past") else (1 if rel in ("next", "coming") else 0)
        if unit in ("week", "weekend"):
            d = pub + timedelta(days=7 * sign)
            return f"{d.year:04d}-{d.month:02d}", "month"
        if unit == "month":
            m0 = pub.month + sign
            y = pub.year + (m0 - 1) // 12
            m0 = (m0 - 1) % 12 + 1
            return f"{y:04d}-{m0:02d}", "month"
        return f"{pub.year + sign:04d}", "year"
    return None, "unknown"


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a couple of": 2, "a few": 3}


def _resolve_rel_n(g: dict, pub: date) -> tuple[str | None, str]:
    """"three days ago" (past) and "in two days" / "two days from now" (future); a bare "two days" is a
    duration, not a date."""
    pre, post = (g.get("pre") or "").lower(), (g.get("post") or "").lower()
    if post in ("ago", "earlier", "before"):
        sign = -1
    elif pre == "in" and post in ("", "time") or post in ("from now", "hence"):
        sign = 1
    else:
        return None, "unknown"
    n_txt = g["n"].lower()
    n = int(n_txt) if n_txt.isdigit() else _NUMBERS.get(n_txt, 0)
    if n_txt == "a few":
        return None, "unknown"  # too vague for a date
    unit = g["unit"].lower().rstrip("s")
    if unit == "day":
        return (pub + timedelta(days=sign * n)).isoformat(), "day"
    if unit == "week":
        d = pub + timedelta(days=7 * sign * n)
        return f"{d.year:04d}-{d.month:02d}", "month"
    if unit == "month":
        m0 = pub.month + sign * n
        y = pub.year + (m0 - 1) // 12
        return f"{y:04d}-{(m0 - 1) % 12 + 1:02d}", "month"
    return f"{pub.year + sign * n:04d}", "year"


def best_date(sentence: str, anchor: int, pub: date | None, future: bool = False, accept=None):
    """Pick the date mention closest to ``anchor`` (a char offset in ``sentence``).

    ``accept(start, end)`` says whether a mention belongs to the meeting predicate
    (decided on the parse by the caller); mentions it rejects are ignored.
    Returns (value, precision, mention) or (None, "unknown", None).
    """
    ms = find_dates(sentence)
    if not ms:
        return None, "unknown", None
    for m in sorted(ms, key=lambda m: min(abs(m.start - anchor), abs(m.end - anchor))):
        if accept is not None and not accept(m.start, m.end):
            continue
        v, p = resolve(m, pub, future)
        if v or pub is None:
            return v, p, m
    return None, "unknown", None


def date_window(value: str | None, precision: str | None, date_text: str | None,
                pub: date | None) -> tuple[str | None, str | None]:
    """The first and last day the event's date can mean: the day itself, the whole month or year, or, when the
    text says so, a week ("next week", "this weekend") or part of a month ("later this month"). (None, None) when
    the date is unknown. Lets analysts ask "what is planned next week" of a date known only to the week."""
    if not value:
        return None, None
    try:
        if precision == "day":
            return value, value
        y = int(value[:4])
        if precision == "year" or len(value) == 4:
            lo, hi = date(y, 1, 1), date(y, 12, 31)
        else:
            m = int(value[5:7])
            lo = date(y, m, 1)
            hi = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
    except ValueError:
        return None, None
    rel = find_dates(date_text or "")
    if pub is not None and rel and rel[0].kind == "rel_span":
        g = rel[0].groups
        word, unit = g["rel"].lower(), g["unit"].lower()
        sign = -1 if word in ("last", "past") else (1 if word in ("next", "coming") else 0)
        if unit in ("week", "weekend"):
            monday = pub - timedelta(days=pub.weekday()) + timedelta(days=7 * sign)
            lo, hi = (monday + timedelta(days=5), monday + timedelta(days=6)) if unit == "weekend" else (
                monday, monday + timedelta(days=6))
        elif unit == "month" and word == "later this":
            lo = max(lo, pub)
        elif unit == "month" and word == "earlier this":
            hi = min(hi, pub)
    return lo.isoformat(), hi.isoformat()


# Recurring gatherings whose time of year is public knowledge (dates move a little from year to year, so the window
# is generous): "on the sidelines of the Shangri-La Dialogue" dates a meeting the text gives no date for.
# (pattern, first (month, day), last (month, day)) - generic calendar knowledge, not taken from any data set.
NAMED_EVENTS = [
    (r"Shangri-?La Dialogue", (5, 24), (6, 10)),
    (r"Munich Security Conference", (2, 10), (2, 25)),
    (r"World Economic Forum(?:'s)? annual meeting|\bin Davos\b|\bDavos (?:forum|summit|meeting)", (1, 10), (1, 31)),
    # its high-level week: what "on the sidelines of the UN General Assembly" means
    (r"(?:UN|United Nations) General Assembly", (9, 10), (9, 30)),
    (r"\bAPEC (?:summit|leaders|meeting)", (11, 1), (11, 30)),
    (r"St\.? Petersburg International Economic Forum", (6, 1), (6, 30)),
    (r"\bBoao Forum", (3, 20), (4, 15)),
    (r"\b(?:IMF|World Bank)(?: and (?:IMF|World Bank))? spring meetings?", (4, 5), (4, 30)),
    (r"\bRaisina Dialogue", (2, 20), (3, 15)),
]
_NAMED_EVENTS = [(re.compile(p, re.I), a, b) for p, a, b in NAMED_EVENTS]


def named_event_window(sentence: str, pub: date | None, status: str | None) -> tuple[str, str] | None:
    """First and last day of the named recurring gathering the sentence places the meeting at: the next one for a
    planned meeting, the last one that had begun by the publication date otherwise. None without a publication date
    or a known gathering."""
    if pub is None or not sentence:
        return None
    for pattern, (m0, d0), (m1, d1) in _NAMED_EVENTS:
        if not pattern.search(sentence):
            continue
        for year in ((pub.year, pub.year + 1) if status == "planned" else (pub.year, pub.year - 1)):
            lo, hi = date(year, m0, d0), date(year, m1, d1)
            if (status == "planned" and hi >= pub) or (status != "planned" and lo <= pub):
                return lo.isoformat(), hi.isoformat()
    return None
