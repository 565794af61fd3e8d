"""merge_events: one record per meeting across sentences and articles, with actor ids."""

from __future__ import annotations

import hashlib
import json
import re

from .actors import name_key
from .lexicon import COUNTRY_SHORT

_MODE_RANK = {"virtual": 5, "phone": 5, "in_person": 3, "visit": 2, "multilateral": 1, "unknown": 0}
_PREC_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_STATUS_RANK = {"occurred": 2, "cancelled": 1, "planned": 0}


def _h(s: str, n: int = 12) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:n]


# ------------------------------------------------------------------ actors

class ActorIndex:
    """Resolve participant mentions to canonical actors across all articles."""

    def __init__(self, participants: list[dict]):
        # canonical full names: multi-token person names
        self.full: dict[str, dict] = {}
        for p in participants:
            if p.get("kind", "named") == "named" and p.get("name"):
                k = name_key(p["name"])
                if len(k.split()) > 1:
                    self.full.setdefault(k, {"names": set(), "titles": [], "countries": [], "orgs": []})
        # a longer name subsumes a shorter one ("kurt m campbell" -> "kurt campbell" already by key)
        keys = sorted(self.full, key=lambda k: (-len(k.split()), k))
        self.alias_to: dict[str, str] = {}
        for k in keys:
            target = k
            for other in keys:
                if other != k and set(k.split()) < set(other.split()):
                    target = other
                    break
            self.alias_to[k] = target

    def key(self, p: dict) -> str:
        name = p.get("name") or ""
        if p.get("kind", "named") != "named":
            country = p.get("country") or ""
            desc = re.sub(r"^(?:the|a|an)\s+", "", name.lower())
            # strip the country words from the description so "U.S. defense chief" ~ "US defense chief"
            desc = re.sub(r"\b(?:u\.?s\.?|us|american|china|chinese|prc)\b\.?", "", desc).strip()
            desc = re.sub(r"\s+", " ", desc)
            return f"desc:{country}:{desc}"
        k = name_key(name)
        toks = k.split()
        if len(toks) == 1:
            hits = {self.alias_to[f] for f in self.full if toks[0] in f.split()}
            if len(hits) == 1:
                return "person:" + hits.pop()
            return "person:" + k
        return "person:" + self.alias_to.get(k, k)


def _actor_id(key: str) -> str:
    return "act_" + _h(key, 12)


# ------------------------------------------------------------------ events

def _date_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _mode_group(m: str) -> str:
    return {"phone": "remote", "virtual": "remote"}.get(m, "meet")


class _Cluster:
    def __init__(self):
        self.members: list[tuple[str, int, dict, list[str]]] = []  # (article_id, idx, event, keys)
        self.keys: set[str] = set()
        self.named: set[str] = set()
        self.countries: set[str] = set()
        self.date: str | None = None
        self.status: str | None = None
        self.modeg: str | None = None
        self.locations: set[str] = set()

    def add(self, aid, idx, ev, keys):
        self.members.append((aid, idx, ev, keys))
        if _loc_key(ev.get("location")):
            self.locations.add(_loc_key(ev.get("location")))
        self.keys.update(keys)
        self.named.update(k for k in keys if k.startswith("person:"))
        self.countries.update(p.get("country") for p in ev["participants"] if p.get("country"))
        if ev.get("date") and (not self.date or len(ev["date"]) > len(self.date)):
            self.date = ev["date"]
        self.status = self.status or ev["status"]
        self.modeg = self.modeg or _mode_group(ev.get("mode", "unknown"))


def _loc_key(loc: str | None) -> str | None:
    if not loc:
        return None
    k = re.sub(r"[^a-z ]", "", loc.lower()).strip()
    k = re.sub(r"^the ", "", k)
    return k or None


def _compatible(c: _Cluster, ev: dict, keys: list[str], aid: str) -> bool:
    if ev["status"] != c.status:
        return False
    loc = _loc_key(ev.get("location"))
    if loc and c.locations and loc not in c.locations and not any(loc in x or x in loc for x in c.locations):
        return False  # the same pair in two different places: two meetings
    if not _date_compatible(c.date, ev.get("date")):
        return False
    named = {k for k in keys if k.startswith("person:")}
    if named and c.named:
        if named == c.named:
            return True
        inter = named & c.named
        # one report lists a subset of the other's participants (at least two shared)
        if len(inter) >= 2 and (named <= c.named or c.named <= named):
            return True
        return False
    if not named and not c.named:
        return set(keys) == c.keys
    # descriptive-only report ("senior officials from the US and China held talks"):
    # fold into a named meeting of the same article, same day, covering the same countries
    if not named and c.named:
        same_article = any(m[0] == aid for m in c.members)
        countries = {p.get("country") for p in ev["participants"] if p.get("country")}
        if same_article and ev.get("date") and c.date and ev["date"] == c.date and countries and countries <= c.countries:
            return True
        if same_article and not ev.get("date") and countries and countries <= c.countries and ev.get("salience") == "main":
            return True
    return False


def merge_events(per_article: list[tuple[str, list[dict]]]) -> list[dict]:
    """Merge per-article events into one record per meeting.

    Deterministic and independent of the order of ``per_article``.
    """
    items = []
    for aid, evs in per_article:
        for i, ev in enumerate(evs or []):
            items.append((str(aid), i, ev))
    # canonical order: named events first, most participants first, then by article / position
    all_parts = [p for _, _, ev in items for p in ev.get("participants", [])]
    idx = ActorIndex(all_parts)

    def named_count(ev):
        return sum(1 for p in ev.get("participants", []) if p.get("kind", "named") == "named")

    items.sort(key=lambda x: (-named_count(x[2]), -len(x[2].get("participants", [])),
                              -len(x[2].get("date") or ""), x[0], x[1]))
    clusters: list[_Cluster] = []
    for aid, i, ev in items:
        keys = sorted({idx.key(p) for p in ev.get("participants", [])})
        fits = [c for c in clusters if _compatible(c, ev, keys, aid)]
        if len(fits) > 1 and not any(k.startswith("person:") for k in keys):
            # a descriptive report ("US and Chinese officials had lunch") goes to the named
            # meeting reported nearest to it in the same article
            pos = (ev.get("evidence_spans") or [[0, 0]])[0][0]

            def dist(c):
                starts = [(m[2].get("evidence_spans") or [[0, 0]])[0][0] for m in c.members if m[0] == aid]
                # prefer a meeting reported before (the report elaborates on it) over one after
                same = [pos - st if st <= pos else 3 * (st - pos) for st in starts]
                return min(same) if same else float("inf")

            fits.sort(key=dist)
        if fits:
            fits[0].add(aid, i, ev, keys)
        else:
            c = _Cluster()
            c.add(aid, i, ev, keys)
            clusters.append(c)
    out = [_materialize(c, idx) for c in clusters]
    out.sort(key=lambda e: (e["date"] or "", e["event_id"]))
    return out


def _best_title(titles: list[str]) -> str | None:
    titles = [t for t in titles if t]
    if not titles:
        return None
    return sorted(titles, key=lambda t: (-len(t.split()), t))[0]


def _materialize(c: _Cluster, idx: ActorIndex) -> dict:
    members = sorted(c.members, key=lambda m: (m[0], m[1]))
    # participants
    actors: dict[str, dict] = {}
    for _, _, ev, _ in members:
        for p in ev.get("participants", []):
            k = idx.key(p)
            a = actors.setdefault(k, {"names": [], "titles": [], "countries": [], "orgs": [], "roles": [], "kind": p.get("kind", "named")})
            if p.get("name"):
                a["names"].append(p["name"])
            if p.get("title"):
                a["titles"].append(p["title"])
            if p.get("country"):
                a["countries"].append(p["country"])
            if p.get("organization"):
                a["orgs"].append(p["organization"])
            a["roles"].append(p.get("role") or "participant")
    participants = []
    named_countries = {c for k, a in actors.items() if a["kind"] == "named" for c in a["countries"]}
    if named_countries:
        # descriptive reports of the same meeting ("US and Chinese officials") are the named people
        actors = {k: a for k, a in actors.items()
                  if a["kind"] == "named" or not a["countries"] or not set(a["countries"]) <= named_countries}
    for k in sorted(actors):
        a = actors[k]
        names = sorted(set(a["names"]), key=lambda n: (-len(n.split()), -len(n), n))
        roles = [r for r in a["roles"] if r in ("host", "guest")]
        countries = sorted(set(a["countries"]), key=lambda x: (-a["countries"].count(x), x))
        orgs = sorted(set(a["orgs"]), key=lambda x: (-a["orgs"].count(x), -len(x), x))
        participants.append({
            "name": names[0] if names else None,
            "title": _best_title(a["titles"]),
            "organization": orgs[0] if orgs else None,
            "country": countries[0] if countries else None,
            "role": max(set(roles), key=roles.count) if roles else "participant",
            "kind": a["kind"],
            "actor_id": _actor_id(k),
            "aliases": names,
        })
    evs = [m[2] for m in members]

    def pick(field):
        vals = [e.get(field) for e in evs if e.get(field)]
        if not vals:
            return None
        return sorted(set(vals), key=lambda v: (-vals.count(v), -len(v), v))[0]

    dated = [e for e in evs if e.get("date")]
    if dated:
        best = sorted(dated, key=lambda e: (-_PREC_RANK.get(e.get("date_precision"), 0),
                                            -sum(1 for x in dated if x["date"] == e["date"]), e["date"]))[0]
        date, prec = best["date"], best.get("date_precision", "unknown")
        date_from, date_to = best.get("date_from"), best.get("date_to")
    else:
        date, prec = None, "unknown"
        windowed = [e for e in evs if e.get("date_from")]  # undated, but at a gathering of known time of year
        date_from, date_to = (windowed[0]["date_from"], windowed[0]["date_to"]) if windowed else (None, None)
    modes = [e.get("mode", "unknown") for e in evs]
    mode = sorted(set(modes), key=lambda m: (-_MODE_RANK.get(m, 0), m))[0]
    topics, keywords = [], []
    for e in evs:
        for t in e.get("topics", []):
            if t not in topics:
                topics.append(t)
        for k in e.get("keywords", []):
            if k.lower() not in (x.lower() for x in keywords):
                keywords.append(k)
    conf = 1.0
    for e in evs:
        conf *= 1.0 - float(e.get("confidence", 0.5))
    status = c.status
    scopes = [e.get("scope") for e in evs if e.get("scope")]
    # internal only when every report says so; one multilateral report makes it multilateral
    scope = ("internal" if scopes and all(x == "internal" for x in scopes) else
             "multilateral" if "multilateral" in scopes or mode == "multilateral" else
             "bilateral" if scopes else None)
    key_parts = sorted(actors)
    # undated meetings of the same pair in two places are two events: the place joins the id
    date_bucket = date or ("nodate@" + (_loc_key(pick("location")) or ""))
    event_id = "evt_" + _h(json.dumps([key_parts, date_bucket, _mode_group(mode), status]), 16)
    articles = []
    for aid, i, ev, _ in members:
        sp = (ev.get("evidence_spans") or [[None, None]])[0]
        articles.append({"article_id": aid, "evidence": ev.get("evidence"), "start_char": sp[0], "end_char": sp[1]})
    first = members[0][2]
    return {
        "event_id": event_id,
        "participants": participants,
        "date": date,
        "date_precision": prec,
        "date_from": date_from,
        "date_to": date_to,
        "location": pick("location"),
        "venue": pick("venue"),
        "mode": mode,
        "status": status,
        "scope": scope,
        "topics": topics,
        "keywords": keywords,
        "evidence": first.get("evidence"),
        "evidence_spans": first.get("evidence_spans"),
        "confidence": round(1.0 - conf, 3),
        "articles": articles,
        "n_articles": len({a["article_id"] for a in articles}),
    }


def country_code(c: str | None) -> str | None:  # small helper for display
    return COUNTRY_SHORT.get(c, c) if c else None
