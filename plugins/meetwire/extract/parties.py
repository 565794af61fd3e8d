"""Participants, article-wide: a title-only party becomes the person the article names with that title, and the
state a visit goes to becomes a party of it.

The sentence rules see one sentence; news articles name a person in full once ("Chancellor Gordon Brown", "Michael
Howard, the Tory leader") and then write "the chancellor" or "the Pakistani president". The registry here reads
title-name pairs from the whole text with two generic patterns (a capitalised title before a name, a title in
apposition after it), so no name is known in advance.
"""

from __future__ import annotations

import bisect
import re

from .lexicon import TITLE_HEADS, TITLE_MODIFIERS, country_of

# Title heads that name one office holder (not "officials", "leaders": groups stay groups).
_SINGLE_HEADS = sorted({h for h in TITLE_HEADS if not h.endswith("s") and len(h) > 3 and h not in {
    "prime", "supreme", "crown", "chief", "head", "deputy", "general", "representative", "delegate", "official",
    "counterpart", "founder", "collector", "coordinator", "counsel", "attorney", "dame", "lord", "sheikh",
}} | {"pm"}, key=len, reverse=True)
_HEAD_RE = "(?i:" + "|".join(re.escape(h) for h in _SINGLE_HEADS) + ")"
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.?|[A-Z][a-z]*[A-Z][a-z]+|O'[A-Z][a-z]+)"
_NAME = rf"{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}}"
# Words that start a clause, not a name ("President Bush On Monday" never occurs, but "Minister Said" might).
_NOT_NAME = {"The", "A", "An", "On", "In", "At", "And", "But", "He", "She", "It", "They", "This", "That", "Said",
             "Says", "Has", "Had", "Was", "Is", "Will", "Would", "Mr", "Mrs", "Ms", "Dr", "Sir", "Of", "For", "To",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
             "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

# "Prime Minister Tony Blair", "Pakistani President Pervez Musharraf", "US Secretary of State Colin Powell"
_TITLE_BEFORE = re.compile(
    rf"\b((?:(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'’-]*|of|for|and|the) ){{0,4}}(?:{_HEAD_RE})(?: of(?: the)? [A-Z]\w+)?)"
    rf" (?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame)\.? )?({_NAME})\b",
)
# "Michael Howard, the Tory leader,", "Pervez Musharraf, Pakistan's president"
_TITLE_AFTER = re.compile(
    rf"\b({_NAME}), (?:the |a )?((?:[\w'’-]+ ){{0,4}}(?:{_HEAD_RE}))\b(?=[,.;)]| (?:who|said|says|has|had|was|is|will))",
)


def _words(s: str) -> list[str]:
    return [w for w in re.split(r"[^\w'’-]+", (s or "").lower().replace("’", "'")) if w]


def _clean_name(name: str) -> str | None:
    toks = name.split()
    while toks and toks[0] in _NOT_NAME:
        toks.pop(0)
    cut = next((i for i, t in enumerate(toks) if t in _NOT_NAME), len(toks))
    toks = toks[:cut]
    if not toks or not all(t[0].isupper() for t in toks):
        return None
    return " ".join(toks)


def title_registry(text: str) -> list[dict]:
    """Every (title, name) pair the article writes, in text order, with the country a title names."""
    out = []
    for m in _TITLE_BEFORE.finditer(text or ""):
        title, name = m.group(1).strip(), _clean_name(m.group(2))
        if name and name.split()[0][0].isupper() and not _words(name)[0] in TITLE_HEADS:
            out.append(_entry(title, name, m.start()))
    for m in _TITLE_AFTER.finditer(text or ""):
        name, title = _clean_name(m.group(1)), m.group(2).strip()
        if name:
            out.append(_entry(title, name, m.start()))
    out.sort(key=lambda e: e["at"])
    return out


def _entry(title: str, name: str, at: int) -> dict:
    toks = title.split()
    while toks and toks[0] in _NOT_NAME:  # "But Liberal Democrat leader"
        toks.pop(0)
    title = " ".join(toks)
    words = _words(title)
    country = None
    for w in words:
        if w not in TITLE_HEADS and w not in TITLE_MODIFIERS:
            country = country or country_of(w)
    return {"title": title, "name": name, "words": set(words), "country": country, "at": at}


def _same_person(a: str, b: str) -> bool:
    wa, wb = set(_words(a)), set(_words(b))
    return wa <= wb or wb <= wa


def resolve_title(party: dict, registry: list[dict]) -> dict | None:
    """The named person for a title-only party ("the chancellor", "Pakistani president"), when the article names
    exactly one person with that title; else None."""
    words = _words(party.get("name") or "")
    heads = [w for w in words if w in _SINGLE_HEADS]
    if not heads or any(w.endswith("s") and w[:-1] in TITLE_HEADS for w in words):
        return None
    head = heads[-1]
    required = {w for w in words if w in TITLE_MODIFIERS and w not in ("of", "for", "and", "top", "senior")}
    country = party.get("country") or next((country_of(w) for w in words if country_of(w)), None)
    hits = []
    for e in registry:
        if head not in e["words"] or not required <= e["words"]:
            continue
        if ("former" in e["words"]) != ("former" in words):
            continue
        if country and e["country"] and e["country"] != country:
            continue
        hits.append(e)
    same_country = [e for e in hits if country and e["country"] == country]
    hits = same_country or hits  # "the Pakistani president": the president the article calls Pakistani
    names = []
    for e in hits:
        for i, n in enumerate(names):
            if _same_person(n, e["name"]):
                if len(e["name"]) > len(n):
                    names[i] = e["name"]
                break
        else:
            names.append(e["name"])
    if len(names) != 1:
        return None
    best = next(e for e in hits if e["name"] == names[0])
    return {**party, "name": names[0], "title": party.get("title") or best["title"], "kind": "named",
            "country": party.get("country") or best["country"], "coref": party.get("name")}


def resolve_titles(events: list[dict], text: str) -> None:
    """Replace title-only parties of `events` by the person the article names with that title (in place)."""
    registry = None
    for ev in events:
        parts = ev.get("participants") or []
        if not any(p.get("kind") == "descriptive" for p in parts):
            continue
        if registry is None:
            registry = title_registry(text)
        if not registry:
            return
        out, seen = [], set()
        for p in parts:
            q = resolve_title(p, registry) if p.get("kind") == "descriptive" else None
            q = q or p
            key = (q.get("name") or "").lower()
            if q is not p and any(_same_person(key, s) for s in seen):
                continue  # "Gordon Brown ... the chancellor" in one event is one party
            seen.add(key)
            out.append(q)
        ev["participants"] = out


def add_visit_host(ev: dict) -> None:
    """A visit to a country is a meeting with that state: the country becomes a party (role host) unless a party
    already stands for it or the visitor is from it."""
    if ev.get("mode") != "visit" or not ev.get("location"):
        return
    where = ev["location"].split(",")[-1].strip()
    host = country_of(where)
    if not host:
        return
    for p in ev.get("participants") or []:
        if p.get("country") == host or country_of(p.get("name") or "") == host:
            return
    ev["participants"] = list(ev.get("participants") or []) + [
        {"name": where, "title": None, "organization": None, "country": host, "role": "host", "kind": "state"}]


_DANGLING_POSSESSIVE = re.compile(r"^\s*['’]s\s+")


def tidy_names(events: list[dict]) -> None:
    """A possessor cut off in front ("Norway's peace negotiator" read as "'s peace negotiator"): drop the 's."""
    for ev in events:
        for p in ev.get("participants") or []:
            if p.get("name") and _DANGLING_POSSESSIVE.match(p["name"]):
                p["name"] = _DANGLING_POSSESSIVE.sub("", p["name"])


# ---------------------------------------------------------------- pronouns across sentences

# "Mr Straw", "Dr Greenspan", "Sir Ian": a person the article has already introduced.
_HONORIFIC_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Gen|Col|Adm|Rev)\.? ({_NAME})\b")
_PRONOUN_WORD = re.compile(r"\b(?:He|She|he|she)\b")
_PRONOUN_REACH = 2  # sentences back: further than that, "he" is more often someone else


class PersonIndex:
    """Where the article names a person, for a "he"/"she" whose antecedent is in an earlier sentence.

    News writes "Tory leader Michael Howard told BBC News ... He said after meeting Tony Blair ...": the pronoun is
    the first person named in the nearest earlier sentence that names one (a subject is usually named first).
    Mentions come from generic patterns over the whole text (title + name, honorific + surname) and from the full
    names the parsed sentences registered, so sentences that were never parsed still supply antecedents.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], people: list[dict]):
        self.spans = spans
        self._text, self._people = text, people
        self.hits: list[tuple[int, str]] | None = None  # built on the first pronoun: most articles never ask

    def _build(self) -> None:
        text, people = self._text, self._people
        registry = title_registry(text)
        full: list[dict] = [dict(p) for p in people if p.get("name") and len(p["name"].split()) > 1]
        for e in registry:
            if len(e["name"].split()) > 1 and not any(_same_person(e["name"], p["name"]) for p in full):
                full.append({"name": e["name"], "title": e["title"], "country": e["country"], "organization": None})
        self.full = full
        hits: list[tuple[int, str]] = [(e["at"], e["name"]) for e in registry]
        hits += [(m.start(), m.group(1)) for m in _HONORIFIC_NAME.finditer(text or "")]
        surnames: dict[str, set[str]] = {}
        for p in full:
            surnames.setdefault(p["name"].split()[-1], set()).add(p["name"])
        for p in full:
            last = p["name"].split()[-1]
            # the full name, and the surname alone when no other person of the article shares it
            forms = [p["name"]] + ([last] if len(surnames[last]) == 1 and len(last) > 2 else [])
            for form in forms:
                for m in re.finditer(r"\b" + re.escape(form) + r"\b", text or ""):
                    hits.append((m.start(), p["name"]))
        self.hits = sorted(hits)
        # "He arrived ... where he met President Bush. He is due to visit ...": a sentence led by a pronoun continues
        # the person before it, not the one it names later
        self.pronouns = sorted(m.start() for m in _PRONOUN_WORD.finditer(text or ""))

    def _person(self, name: str) -> dict | None:
        if self.hits is None:
            self._build()
        same = [p for p in self.full if _same_person(name, p["name"])]
        if len({p["name"] for p in same}) == 1:
            return same[0]
        if not same and len(name.split()) > 1:
            return {"name": name, "title": None, "country": None, "organization": None}
        return None  # a surname two people share, or one never named in full

    def _sentence_of(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.spans, (pos, float("inf"))) - 1
        return i if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1] else None

    def resolve(self, pos: int, depth: int = 0) -> dict | None:
        """The person a singular pronoun at character ``pos`` stands for, or None."""
        if self.hits is None:
            self._build()
        k = self._sentence_of(pos)
        if k is None:
            return None
        before = [n for at, n in self.hits if self.spans[k][0] <= at < pos]
        if before:  # "Mr Straw was in India, where he ...": the nearest name before it in its own sentence
            return self._person(before[-1])
        for j in range(k - 1, max(-1, k - 1 - _PRONOUN_REACH), -1):
            s, e = self.spans[j]
            inside = [(at, n) for at, n in self.hits if s <= at < e]
            lead = next((at for at in self.pronouns if s <= at < e), None)
            if lead is not None and (not inside or lead < inside[0][0]):
                return self.resolve(lead, depth + 1) if depth < 3 else None
            if inside:
                return self._person(inside[0][1])
        return None
