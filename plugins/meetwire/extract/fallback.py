"""Events for sentences the decision model calls meetings but the trigger rules could not read.

Real articles report meetings in shapes no trigger rule foresaw ("prompted by a phone call with ...",
"the Geneva talks", "during a meeting with ..."). When the model is confident and the rules found nothing, the
event is built from the sentence's named entities and cue words: one resolver per field, kept simple.
"""

from __future__ import annotations

import re

from .actors import build_mention
from .dates import best_date
from .lexicon import HUMAN_NOUNS, country_of
from .modes import mode_of
from .status import CANCELLED, OCCURRED, PLANNED

# cue word -> trigger lemma handed to mode_of (first match wins, most specific first)
_TRIGGERS = [
    (re.compile(r"\b(?:video ?conference|video ?call|videolink|virtual)\w*", re.I), "meeting"),
    (re.compile(r"\b(?:phone[ds]?|telephon\w*|rang|call(?:ed|s)? (?!for|on|off)\w+)", re.I), "call"),
    (re.compile(r"\b(?:visit\w*|trip|tour\w*|travel\w*)\b", re.I), "visit"),
    (re.compile(r"\bsummit\w*|\bconference\b|\bministerial\b|\bforum\b", re.I), "summit"),
    (re.compile(r"\b(?:talks|negotiat\w*|discuss\w*|consult\w*)\b", re.I), "talks"),
    (re.compile(r"\b(?:met|meet\w*|dinner|lunch|breakfast|audience|summon\w*)\b", re.I), "meeting"),
]
_CANCEL = re.compile(r"\b(?:cancel\w*|postpon\w*|call(?:ed|s)? off|scrap\w*|abandon\w*|snubb?\w*|boycott\w*|"
                     r"pulled out of|delay\w*|refus\w*|declin\w*|suspend\w*|halt\w*|(?:will|would|did|does|do) not|"
                     r"won't|never)\b", re.I)
_PLAN = re.compile(r"\b(?:will|would|shall|'ll|is|are|was|were) (?:\w+ )?(?:to|due to|expected to|set to|"
                   r"scheduled to|planning to|going to|likely to)?\s*(?:meet|visit|hold|attend|travel|fly|host|"
                   r"discuss|talk|speak|call|begin|open|join)\b|\b(?:will|'ll|shall)\b|\bdue to\b|\bplans? to\b|"
                   r"\bexpected to\b|\bahead of\b|\bnext (?:week|month|year)\b|\btomorrow\b|\bupcoming\b|"
                   r"\bforthcoming\b|\bagreed to (?:meet|hold|begin|start)|\bmust\b|\bready to\b|\binvit\w*|"
                   r"\bpromis\w* to\b|\bto be (?:held|hosted)\b|\bhop(?:e|es|ed|ing) to\b", re.I)
# Not meetings under the guideline: a denied report, an appeal or request for talks (docs/extraction.md).
_DENIAL = re.compile(r"\b(?:denied|denies|deny|denying|dismissed|rejected) (?:\w+ ){0,3}(?:reports?|claims?|"
                     r"suggestions?|speculation|rumou?rs?)\b|\bnever (?:met|held|had)\b|\bcould(?:n't| not) recall\b",
                     re.I)
_APPEAL = re.compile(r"\b(?:urg(?:ed|es|ing)|call(?:ed|s|ing)? (?:on|upon|for)|appeal(?:ed|s|ing)?|press(?:ed|es|ing)|"
                     r"ask(?:ed|s|ing)?|request(?:ed|s|ing)?|demand(?:ed|s|ing)?)\b[^.;]{0,90}?"
                     r"\b(?:to (?:begin|start|resume|hold|return to|enter|open|restart|reopen)\b|for (?:a |an |urgent |"
                     r"direct |new |fresh |immediate )*(?:meeting|talks|negotiations|dialogue)|"
                     r"(?:a|an) (?:urgent |direct )?(?:meeting|talks))", re.I)
_REFUSAL = re.compile(r"\b(?:ruled out|refus\w*|declin\w*|turned down|rejected)\b", re.I)
_INVITED = re.compile(r"\b(?:invitation|invited|willing(?:ness)? to|ready to|prepared to|would)\b", re.I)
_PAST = re.compile(r"\b(?:met|held|had|was|were|visited|discussed|talked|spoke|called|phoned|attended|hosted|"
                   r"received|has|have|after|following|during|last)\b", re.I)
_PARTY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_PLACE_PREP = {"in", "at", "to", "from", "near", "outside", "inside"}


def _trigger(sentence: str) -> str:
    for rx, lemma in _TRIGGERS:
        if rx.search(sentence):
            return lemma
    return "meeting"


def _status(sentence: str) -> str:
    if _REFUSAL.search(sentence) or _CANCEL.search(sentence):
        return CANCELLED
    if _INVITED.search(sentence):
        past = _PAST.search(sentence)
        if not past or _INVITED.search(sentence).start() < past.start():
            return PLANNED
    plan = _PLAN.search(sentence)
    if plan:
        past = _PAST.search(sentence)
        # "X, who met Y last week, will ...": the earliest cue wins
        if not past or plan.start() < past.start():
            return PLANNED
    return OCCURRED


_MORE_HUMAN = {"industrialists", "businesses", "employers", "farmers", "bosses", "vintners", "creditors",
               "donors", "lenders", "producers", "members", "representatives", "families", "campaigners",
               "charities", "councils", "governments", "nations", "countries", "states", "delegation", "team",
               "mission", "club", "task force", "working party"}
_DROP_DET = {"det", "poss", "predet"}


def _describe(chunk) -> str:
    toks = [t for t in chunk if t.dep_ not in _DROP_DET and t.pos_ != "PRON" and t.lower_ not in ("other", "both")]
    return " ".join(t.text for t in toks).strip(" ,")


def _in_place_list(tok) -> bool:
    """"in Japan, Australia and the US": the conjuncts of a place are places too."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREP


def _participants(doc, pronoun=None) -> tuple[list[dict], list[str]]:
    """Parties in the order the sentence names them: people (with titles), bodies and groups described by a
    human noun ("the Indian government", "trade union leaders"), organisations, states; places after a
    locative preposition are places, not parties. ``pronoun(offset)`` names the person a subject "he"/"she"
    stands for (``parties.PersonIndex``), if anyone."""
    parties, places = [], []
    seen: set[str] = set()
    used: set[int] = set()

    def add(p: dict, toks) -> None:
        key = p["name"].lower()
        if key and key not in seen:
            seen.add(key)
            parties.append(p)
        used.update(t.i for t in toks)

    for chunk in doc.noun_chunks:
        root = chunk.root
        ents = [e for e in doc.ents if e.start >= chunk.start and e.end <= chunk.end and e.label_ in _PARTY_LABELS]
        prev = doc[chunk.start - 1] if chunk.start > 0 else None
        if pronoun is not None and len(chunk) == 1 and root.lower_ in ("he", "she") and root.dep_ in (
                "nsubj", "nsubjpass"):
            p = pronoun(root.idx)
            if p:
                add({"name": p["name"], "title": p.get("title"), "organization": p.get("organization"),
                     "country": p.get("country"), "role": "participant", "kind": "named", "coref": root.text},
                    chunk)
        elif root.ent_type_ == "PERSON":
            m = build_mention(root) or {}
            add({"name": m.get("name") or chunk.text, "title": m.get("title"), "organization": m.get("organization"),
                 "country": m.get("country"), "role": "participant", "kind": "named"}, chunk)
        elif root.lower_ in HUMAN_NOUNS or root.lower_ in _MORE_HUMAN:
            if len(chunk) == 1 and root.tag_ not in ("NNS", "NNPS") and root.lower_ not in ("government",):
                continue  # a bare "official", "side": too vague to be a party
            country = next((country_of(e.text) for e in ents if e.label_ in ("GPE", "NORP") and country_of(e.text)),
                           None)
            add({"name": _describe(chunk), "title": None, "organization": None, "country": country,
                 "role": "participant", "kind": "descriptive"}, chunk)
        elif root.ent_type_ == "ORG":
            add({"name": _describe(chunk), "title": None, "organization": _describe(chunk), "country": None,
                 "role": "participant", "kind": "org"}, chunk)
        elif root.ent_type_ in ("GPE", "NORP"):
            c = country_of(root.text) or country_of(chunk.text)
            if prev is not None and prev.lower_ in _PLACE_PREP or _in_place_list(root):
                places.append(chunk.text)
                used.update(t.i for t in chunk)
                continue
            if c is None:
                continue
            add({"name": c, "title": None, "organization": None, "country": c, "role": "participant",
                 "kind": "state"}, chunk)
    # entities outside noun chunks ("talks with Ankara" parses as a chunk; appositions may not)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(t.i in used for t in ent):
            continue
        m = build_mention(ent.root) or {}
        add({"name": m.get("name") or ent.text, "title": m.get("title"), "organization": m.get("organization"),
             "country": m.get("country"), "role": "participant", "kind": "named"}, ent)
    return parties, places


def build(doc, sentence: str, s0: int, e0: int, pub, pronoun=None) -> dict | None:
    """One event from a parsed sentence the decision model accepted, or None without any party."""
    if _DENIAL.search(sentence) or _APPEAL.search(sentence):
        return None  # a denied report or a call for talks is not a meeting
    parties, places = _participants(doc, pronoun)
    if not parties:
        return None
    trig = _trigger(sentence)
    status = _status(sentence)
    m = re.search(r"\b(?:met|meet|talks|visit|call|summit|meeting)\b", sentence, re.I)
    dval, dprec, dm = best_date(sentence, m.start() if m else 0, pub, future=status == PLANNED)
    mode = mode_of(trig, sentence, len(parties))
    return {
        "participants": parties,
        "date": dval,
        "date_precision": dprec if dval else "unknown",
        "date_text": dm.text if dm is not None else None,
        "location": places[0] if places else None,
        "venue": None,
        "mode": mode,
        "status": status,
        "topics": [],
        "keywords": [],
        "evidence": sentence,
        "evidence_spans": [[s0, e0]],
        "confidence": 0.0,
        "trigger": trig,
        "salience": "model",
    }
