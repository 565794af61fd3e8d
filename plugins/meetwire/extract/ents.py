"""A cheap rule-based entity layer used instead of the statistical NER.

The statistical NER of the small model has its own embedding layer and costs about
half of the whole pipeline; for meeting extraction we only need to tell people,
organisations, states/places, nationalities and dates apart, which proper-noun runs,
the parse and a few closed word lists do well enough (and, for names of officials,
often better).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from .lexicon import ORG_WORDS, TITLE_HEADS, TITLE_MODIFIERS, country_of, _CITY_COUNTRY, is_city

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
           "saturday", "sunday"}
_GLUE = {"of", "the", "and", "for", "-", "&", "de", "bin", "al", "el", "ibn", "van", "von", "da", "la"}
_ORG_EXTRA = {"house", "kremlin", "pentagon", "state", "department", "ministry", "police", "army",
              "navy", "forces", "court", "times", "post", "news", "agency", "company", "inc", "corp",
              "university", "school", "church", "hospital", "airlines", "bank", "fund", "reserve",
              "congress", "senate", "parliament", "assembly", "cabinet", "government", "taliban",
              "hamas", "hezbollah", "isis", "isil", "al-qaeda", "brigade", "brigades", "guard",
              "mission", "embassy", "office", "secretariat", "summit", "dialogue", "forum", "conference"}
_FAC_WORDS = {"hall", "palace", "hotel", "square", "street", "guesthouse", "building", "castle", "villa",
              "residence", "airport", "stadium", "centre", "center", "tower", "mansion", "lodge"}
_PLACE_PREPS = {"in", "to", "from", "at", "near", "into", "across", "outside", "inside", "around", "toward", "towards"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,7}$")
_PERSON_HINT = TITLE_HEADS | {"mr", "mrs", "ms", "dr", "sir"}


def _label(run, doc) -> str | None:
    words = [t.text for t in run]
    low = [w.lower().strip(".") for w in words]
    text = " ".join(words)
    if all(w in _MONTHS for w in low):
        return "DATE"
    if country_of(text) or (len(run) == 1 and low[0] in _CITY_COUNTRY):
        return "GPE"
    before = doc[run[0].i - 1] if run[0].i > 0 else None
    if before is not None and before.lower_ in _PLACE_PREPS and is_city(text):
        return "GPE"  # "in Mexico City", "to St Petersburg"
    core = [t for t in run if t.lower_.strip(".") not in TITLE_HEADS | TITLE_MODIFIERS and not country_of(t.text)]
    # a title followed by a name ("Secretary of State Kurt Campbell"): judge the name part
    name_part = core
    if core and len(core) < len(run) and run[-1] in core:
        k = len(run) - 1
        while k > 0 and run[k - 1] in core:
            k -= 1
        name_part = run[k:]
    if any(t.lower_ in _FAC_WORDS for t in name_part):
        return "FAC"
    if any(t.lower_.strip(".") in ORG_WORDS or t.lower_.strip(".") in _ORG_EXTRA for t in name_part):
        return "ORG"
    if any(w in ORG_WORDS or w in _ORG_EXTRA for w in low) and not any(
            t.lower_.strip(".") in TITLE_HEADS for t in run):
        return "ORG"
    if len(run) == 1 and _ACRONYM.match(words[0]) and not country_of(words[0]):
        return "ORG"
    prev = doc[run[0].i - 1] if run[0].i > 0 else None
    has_title = len(core) < len(run) or (prev is not None and prev.lower_.strip(".") in _PERSON_HINT)
    if not core:
        return None
    if prev is not None and prev.lower_ in _PLACE_PREPS and not has_title and len(run) <= 3:
        head = run[-1]
        if head.dep_ == "pobj" and not any(c.dep_ == "appos" for c in head.children):
            return "GPE"
    if has_title or len(core) >= 2:
        return "PERSON"
    t = core[0]
    if t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "poss") and t.text[:1].isupper():
        return "PERSON"
    return None


def add_entities(doc) -> None:
    """Set ``doc.ents`` from proper-noun runs, demonyms and dates (in place)."""
    spans = []
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if t.pos_ == "PROPN" and t.lower_ not in ("'s", "’s"):
            j = i
            while j + 1 < n and (doc[j + 1].pos_ == "PROPN" or (
                    doc[j + 1].lower_ in _GLUE and j + 2 < n and doc[j + 2].pos_ == "PROPN"
                    and doc[j + 1].lower_ != "and")):
                j += 1
            run = list(doc[i:j + 1])
            # split a title-cased org from a following person ("White House adviser Jake Sullivan" has
            # a lower-case break anyway); keep runs simple
            lab = _label(run, doc)
            a, b = i, j + 1
            if lab == "PERSON":
                # the entity is the name after the last title word ("OPEC Secretary General
                # Mohammad Barkindo" -> "Mohammad Barkindo")
                for k in range(b - 2, a - 1, -1):
                    if doc[k].lower_.strip(".") in TITLE_HEADS | TITLE_MODIFIERS or country_of(doc[k].text):
                        a = k + 1
                        break
            if lab:
                spans.append(Span(doc, a, b, label=lab))
            i = j + 1
            continue
        if t.pos_ in ("ADJ", "PROPN", "NOUN") and t.text[:1].isupper() and country_of(t.text):
            spans.append(Span(doc, i, i + 1, label="NORP" if t.pos_ == "ADJ" else "GPE"))
        i += 1
    try:
        doc.ents = spans
    except ValueError:  # overlapping spans: keep the first of each overlap
        keep, last = [], -1
        for s in sorted(spans, key=lambda s: s.start):
            if s.start >= last:
                keep.append(s)
                last = s.end
        doc.ents = keep
