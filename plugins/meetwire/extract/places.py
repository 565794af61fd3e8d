"""Location (city/country) and venue (building, institution) of a meeting."""

from __future__ import annotations

import re

VENUE_NOUNS = {"palace", "house", "hall", "hotel", "headquarters", "office", "residence", "building",
               "ministry", "embassy", "guesthouse", "kremlin", "villa", "castle", "compound", "camp",
               "department", "chancellery", "mansion", "resort", "center", "centre", "parliament",
               "secretariat", "sidelines", "lodge", "retreat", "base", "estate", "club", "street"}


def normalize_location(text: str | None) -> str | None:
    if not text:
        return None
    t = re.sub(r"^(?:the)\s+", "", text.strip(" ,."), flags=re.I)
    t = re.sub(r",?\s*(?:D\.?C\.?|DC)$", "", t)
    if t.isupper() and len(t) > 3:
        t = t.title()
    return t or None


def _phrase(tok) -> str:
    toks = [t for t in tok.subtree if t.i <= tok.i or (t.dep_ in ("compound", "flat") and t.head is tok)]
    # stop at prepositions after the head except "of"-phrases of named places
    toks = [t for t in toks if t.dep_ != "det"]
    out, prev = "", None
    for t in toks:
        if prev is not None:
            out += prev.whitespace_ if t.i == prev.i + 1 else " "
        out += t.text
        prev = t
    return out.strip()


def _venue_of(o) -> str:
    """"the Foggy Bottom headquarters of the State Department" -> "State Department"."""
    named = None
    for p in o.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for po in p.children:
                if po.dep_ == "pobj" and (po.pos_ == "PROPN" or po.ent_type_):
                    named = _phrase(po)
    if o.lemma_.lower() in ("headquarters", "sidelines") and named:
        return named
    venue = _phrase(o)
    if named and o.lemma_.lower() in VENUE_NOUNS and o.pos_ != "PROPN":
        venue = f"{venue} of {named}"
    return venue


def _is_loc(tok) -> bool:
    if tok.ent_type_ in ("GPE", "LOC"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "ORG", "NORP", "DATE")


def find_place(heads, participant_tokens: set, dateline: str | None = None):
    """Search the prepositional modifiers of the predicate(s) for "in X" / "at X" / "here".

    Returns (location, venue, (start, end) char offsets of the evidence or None).
    """
    location = venue = None
    for h in heads:
        if h is None:
            continue
        for c in h.children:
            if c.i in participant_tokens:
                continue
            if c.dep_ == "advmod" and c.lower_ == "here" and dateline and not location:
                location = normalize_location(dateline)
            if c.dep_ != "prep":
                continue
            objs = [o for o in c.children if o.dep_ == "pobj"]
            for o in objs:
                if o.i in participant_tokens:
                    continue
                if c.lower_ in ("in", "to") and _is_loc(o) and not location:
                    ent = next((e for e in o.doc.ents if e.start <= o.i < e.end), None)
                    location = normalize_location(ent.text if ent is not None and ent.label_ in ("GPE", "LOC") else _phrase(o))
                elif c.lower_ in ("at", "in", "inside") and not venue and (
                        o.lemma_.lower() in VENUE_NOUNS or o.ent_type_ in ("FAC", "ORG")
                        or (o.pos_ == "PROPN" and c.lower_ == "at")):
                    venue = _venue_of(o)
                    # "at the presidential palace in Nouakchott"
                    for p in o.children:
                        if p.dep_ == "prep" and p.lower_ == "in":
                            for po in p.children:
                                if po.dep_ == "pobj" and _is_loc(po) and not location:
                                    location = normalize_location(_phrase(po))
                    for p in o.children:
                        if p.dep_ == "advmod" and p.lower_ == "here" and dateline and not location:
                            location = normalize_location(dateline)
                if c.lower_ in ("during", "at", "on") and o.pos_ == "PROPN" and not location:
                    # "during the Shangri-La Dialogue in Singapore"
                    if not venue and c.lower_ == "during":
                        venue = _phrase(o)
                    for p in o.children:
                        if p.dep_ == "prep" and p.lower_ == "in":
                            for po in p.children:
                                if po.dep_ == "pobj" and _is_loc(po):
                                    location = normalize_location(_phrase(po))
                if c.lower_ == "at":
                    for sub in o.subtree:
                        if sub.lower_ == "here" and dateline and not location:
                            location = normalize_location(dateline)
    if (location is None or venue is None) and heads:
        # "met Xi Jinping in Bali", "meets President X at Hofdi House": the parser hangs the
        # place on the last participant
        doc = heads[0].doc
        for i in sorted(participant_tokens):
            t = doc[i]
            if t.dep_ != "prep" or t.head.i not in participant_tokens:
                continue
            if t.head.pos_ != "PROPN" and not (t.lower_ == "in" and any(
                    o.dep_ == "pobj" and o.ent_type_ == "GPE" for o in t.children)):
                continue  # "hosted African leaders in St Petersburg": a GPE after a common-noun guest
            for o in t.children:
                if o.dep_ != "pobj":
                    continue
                if t.lower_ == "in" and location is None and _is_loc(o) and o.ent_type_ != "PERSON":
                    location = normalize_location(_phrase(o))
                elif t.lower_ == "at" and venue is None and (o.ent_type_ in ("FAC", "ORG") or o.lemma_.lower() in VENUE_NOUNS):
                    venue = _venue_of(o)
                    for p in o.children:
                        if p.dep_ == "prep" and p.lower_ == "in" and location is None:
                            for po in p.children:
                                if po.dep_ == "pobj" and _is_loc(po):
                                    location = normalize_location(_phrase(po))
    if venue:
        venue = re.sub(r"^(?:his|her|their|its)\s+", "", venue).strip()
        venue = re.sub(r"\s+(?:’s|'s)", "'s", venue)
    return location, venue
