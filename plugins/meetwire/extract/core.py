"""extract_events: text in, meeting events out (see docs/extraction.md)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from . import fallback
from .actors import ArticleActors, build_mention, name_key, split_distributive
from .cues import find_dateline, is_candidate, split_sentences
from .dates import best_date, date_window, named_event_window, to_date
from .decide import (THRESHOLDS, default_decider, doc_features, merge_in_article, political,
                     sentence_features)
from .background import named_gathering, setting_of_clause
from .events import collect_participants, temporal_subordinate
from .find import find_events
from .modes import mode_of, resolve_mode
from .nlp import parse
from .parties import PersonIndex, add_visit_host, resolve_titles, tidy_names
from .places import find_place
from .scope import scope_of
from .status import (CANCEL_OBJ, CANCELLED, OCCURRED, PLAN_OBJ, PLANNED, noun_status, refine_status,
                     verb_status)
from .lexicon import country_of, is_city
from .topics import topics_of

log = logging.getLogger(__name__)

_INHERIT_DATE = re.compile(r"\b(?:later|earlier|afterwards?|subsequently|that day|the same day|"
                           r"in the (?:morning|afternoon|evening)|that (?:morning|afternoon|evening))\b", re.I)
_GENERIC_REF = re.compile(r"\b(?:the two sides|both sides|the two (?:officials|leaders|ministers|men|diplomats)|"
                          r"during the (?:meeting|talks|call|visit)|the (?:meeting|talks)|they (?:also )?discussed|"
                          r"the two discussed)\b", re.I)
_MULTI_ORGS = {"nato", "opec", "un", "eu", "asean", "g7", "g20", "au", "oic", "brics", "apec", "gcc", "sco",
               "united nations", "european union", "african union", "security council", "council"}


def _person_heads(doc):
    """Heads of proper-name phrases in a parsed sentence (for pronoun/surname coreference)."""
    out = []
    for t in doc:
        if t.pos_ == "PROPN" and t.dep_ not in ("compound", "flat") and t.ent_type_ == "PERSON":
            out.append(t)
    return out


def _resolve(m, tok, actors: ArticleActors, doc_people):
    if m.get("kind") == "pronoun" and not m.get("plural") and (m.get("text") or "").lower() in ("he", "she", "him", "her", "his"):
        prev = [p for (i, p) in doc_people if i < tok.i and p.get("kind") == "named"]
        if prev:
            return ArticleActors._merge(m, actors.resolve(prev[-1]) if actors else prev[-1])
    return actors.resolve(m)


_SENT_DATELINE = re.compile(
    r"^(?:Reuters\s+)?(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+){0,3}|[A-Z][a-z]+(?=\s+[-–—]))"
    # "DOHA, Qatar (AP) —": a country or state after the city
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=\s*[,(]|\s+(?:--|[-–—])))?"
    # "ADDIS ABABA, July 28 (Reuters) -", "ABU DHABI, 2nd December, 2023 (WAM) --"
    r"(?:,\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?)(?:,?\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,30}\))?\s*(?:--|[-–—:|])\s+"
)


def _blank_dateline(sent: str) -> str:
    m = _SENT_DATELINE.match(sent)
    if not m or len(m.group(0)) > 60:
        return sent
    return " " * m.end() + sent[m.end():]


def _courtesy_phone(ev, sent: str) -> bool:
    """"held a phone call with X to express condolences", "spoke by phone to congratulate X"."""
    from .events import COURTESY, _purpose

    phoneish = ev.lemma in ("call", "phone", "telephone", "conversation") or (
        ev.lemma in ("speak", "talk") and re.search(r"\b(?:phone|telephone)", sent, re.I))
    if not phoneish:
        return False
    for t in (ev.trigger, ev.pred, ev.noun):
        if t is not None and _purpose(t) in COURTESY:
            return True
    # "received a phone call from the Prime Minister, who conveyed his congratulations ...": the caller's
    # relative clause says what the call was for
    callers = [c for h in (ev.noun, ev.pred) if h is not None for c in h.children
               if c.dep_ == "prep" and c.lower_ == "from"]
    for t in (ev.noun, ev.trigger, *callers):
        if t is None:
            continue
        for o in t.subtree:
            if o.dep_ == "relcl" and o.lemma_.lower() in COURTESY and any(
                    c.dep_ == "nsubj" and c.lower_ == "who" for c in o.children):
                return True
    return False


def _date_owner(doc, ev):
    """A date mention belongs to the event when its syntactic head reaches the meeting
    predicate/noun without crossing another verb."""
    allowed = {t.i for t in (ev.trigger, ev.pred, ev.noun) if t is not None}
    allowed.update(t.i for t in ev.extra_heads)
    if ev.pred is not None:
        allowed.update(c.i for c in ev.pred.conjuncts)

    def ok(start: int, end: int) -> bool:
        toks = [t for t in doc if t.idx < end and t.idx + len(t) > start]
        if not toks:
            return False
        top = min(toks, key=lambda t: len(list(t.ancestors)))
        t = top
        for _ in range(30):
            if t.i in allowed:
                return True
            if t.pos_ in ("VERB", "AUX") and t.i != top.i and t.dep_ != "ROOT" or (t.pos_ == "VERB" and t.i not in allowed and t.i != top.i):
                return False
            if t.head is t:
                return False
            t = t.head
        return False
    return ok


def _ment_key(m) -> str:
    if m.get("kind") == "named":
        return "p:" + name_key(m["name"])
    return "d:" + (m.get("country") or "") + ":" + (m.get("name") or "").lower()


def _hyphen_states(tok):
    """"U.S.-China talks": one state participant per country."""
    if "-" not in tok.text:
        return None
    parts = [p for p in tok.text.split("-") if p]
    cs = [country_of(p) for p in parts]
    if len(parts) >= 2 and all(cs):
        return [{"kind": "state", "text": p, "name": c, "title": None, "organization": None, "country": c,
                 "start": tok.idx, "end": tok.idx + len(tok), "plural": False, "definite": False}
                for p, c in zip(parts, cs)]
    return None


def _after_publication(dval: str | None, dprec: str | None, pub: date | None) -> bool:
    """A month or year that begins after the publication's (a day is judged with a day of slack where it is read)."""
    if not dval or pub is None or dprec not in ("month", "year"):
        return False
    return dval[:7] > pub.isoformat()[:7] if dprec == "month" else dval[:4] > str(pub.year)


def _confidence(main: bool, n_named: int, n_parts: int, has_date: bool, status: str) -> float:
    c = 0.55 if main else 0.4
    c += 0.15 * min(n_named, 2)
    c += 0.05 if n_parts >= 2 else 0
    c += 0.05 if has_date else 0
    if status != OCCURRED:
        c -= 0.05
    return round(max(0.05, min(0.98, c)), 2)


MAX_SENTENCE_CHARS = 3000


def extract_events(
    text: str, published_at: datetime | date | str | None = None, *, prefilter: bool = True, decider=None
) -> list[dict]:
    """Extract meeting events from one article (or sentence).

    Three steps (docs/extraction.md): ``read_sentences`` finds candidate sentences (a lexical model and the cue
    prefilter; only candidates are parsed) and reads each with the trigger rules and the entity fallback;
    the decision model (``decide.py``) keeps the sentences that report a meeting under the guideline; the
    kept events are merged within the article. ``decider`` replaces the committed models (for evaluation);
    ``decider=False`` keeps every event the trigger rules read (the rule layer alone); ``prefilter=False`` parses
    every sentence (the benchmark's check that the prefilter loses nothing).
    """
    if not text or not text.strip():
        return []
    # decider=False: the trigger rules alone (their own tests read them so)
    dec = None if decider is False else (decider if decider is not None else default_decider())
    recs, ctx = read_sentences(text, published_at, prefilter=prefilter, lexical=dec.lexical if dec else None)
    events: list[dict] = []
    pub = to_date(published_at)
    for rec in recs:
        if dec is None:  # no model committed: the trigger rules alone
            events.extend(rec["rule_events"])
            continue
        if not rec["events"]:
            continue
        p = dec.sentence(rec["features"])
        rec["p"] = p
        if p < THRESHOLDS["sentence"]:
            continue
        kept = rec["events"]
        for e in kept:
            e["confidence"] = dec.confidence(p)
            e["mode"] = resolve_mode(e, rec["sentence"])
            e["scope"] = scope_of(e, rec["sentence"])
            e["status"] = refine_status(e["status"], rec["sentence"], from_rules=e.get("salience") != "model",
                                        trigger=e.get("trigger"))
            if _after_publication(e.get("date"), e.get("date_precision"), pub) and e["status"] == OCCURRED:
                e["status"] = PLANNED  # a fallback reading too: "at a meeting ... next month" has not happened
        events.extend(kept)
    # article-wide participants: "the chancellor" -> the person the article names so; a visited state is a party
    tidy_names(events)
    resolve_titles(events, text)
    for e in events:
        add_visit_host(e)
    if decider is not False:  # the rule layer alone shows every reading, unmerged
        events = merge_in_article(events)
    _inherit_from_article(events)
    for e in events:
        e["date_from"], e["date_to"] = date_window(e.get("date"), e.get("date_precision"), e.get("date_text"), pub)
        if not e.get("date"):  # "on the sidelines of the Shangri-La Dialogue": the gathering's time of year
            e["date_from"], e["date_to"] = named_event_window(e.get("evidence") or "", pub, e.get("status")) or (
                None, None)
    _attach_context_topics(text, ctx["spans"], events, ctx["topic_cache"])
    return events


def read_sentences(text: str, published_at=None, *, prefilter: bool = True, lexical=None) -> tuple[list[dict], dict]:
    """Candidate sentences with what the rules and the entity fallback read in them, and the decision
    features (``decide.sentence_features``). ``lexical(sentence, position)`` is the first-stage probability."""
    pub = to_date(published_at)
    # a "sentence" of thousands of characters is page junk (a minified script, a table flattened to one line): never
    # parsed, so one bad page cannot make spaCy refuse the whole article (E088) on every run
    spans = [sp for sp in split_sentences(text) if sp[1] - sp[0] <= MAX_SENTENCE_CHARS]
    ctx = {"spans": spans, "topic_cache": {}}
    p_lex = {sp: lexical(text[sp[0]:sp[1]], i) for i, sp in enumerate(spans)} if lexical else {}
    cands = []
    for s, e in spans:
        if not prefilter:
            cands.append((s, e))
            continue
        p = p_lex.get((s, e))
        cue = is_candidate(text[s:e])
        if (p is None and cue) or (p is not None and p >= THRESHOLDS["lexical_drop"]
                                   and (cue or p >= THRESHOLDS["lexical_parse"])):
            cands.append((s, e))
    if not cands:
        return [], ctx
    # datelines ("KABUL (Pajhwok):", "HARARE, May 2 (Xinhua) --") are blanked, not cut, so
    # character offsets stay valid
    docs = parse([_blank_dateline(text[s:e]) for s, e in cands])
    dateline = find_dateline(text)
    actors = ArticleActors()
    # pass 1: full names introduced anywhere in the article (surname coreference)
    per_doc_people = []
    for doc in docs:
        people = []
        has_pronoun = any(t.lower_ in ("he", "she", "him", "her", "his") for t in doc)
        for h in _person_heads(doc):
            multi = any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" for c in h.children)
            if not multi and not has_pronoun:
                continue  # single names only matter for a pronoun in the same sentence
            m = build_mention(h)
            if m and m.get("kind") == "named" and m.get("name"):
                people.append((h.i, m))
                if len(name_key(m["name"]).split()) > 1:
                    actors.register(m)
        per_doc_people.append(people)

    actors.index = PersonIndex(text, spans, actors.people)
    article = doc_features(text)
    recs: list[dict] = []
    all_events: list[dict] = []
    last_date = None
    for (s0, e0), doc, people in zip(cands, docs, per_doc_people):
        sent = text[s0:e0]
        actors.offset = s0
        try:
            found = find_events(doc)
        except Exception:  # a parse we did not foresee must not sink the article
            log.warning("find_events failed on a sentence", exc_info=True)
            found = []
        rule_events = []
        for ev in found:
            try:
                built = _build_event(ev, doc, sent, s0, e0, pub, actors, people, dateline, last_date,
                                     ctx["topic_cache"], all_events)
            except Exception:
                log.warning("building an event failed", exc_info=True)
                continue
            if built is None:
                continue
            event, last_date = built
            rule_events.append(event)
            all_events.append(event)
        fb = None
        if not rule_events:
            try:
                fb = fallback.build(doc, sent, s0, e0, pub,
                                    pronoun=lambda at, s0=s0: actors.index.resolve(s0 + at))
            except Exception:
                log.warning("fallback event failed", exc_info=True)
        p = p_lex.get((s0, e0))
        # what the sentence would yield: the rules' events, else the fallback's; company-only business is not a
        # meeting under the guideline, whatever the model says
        cand_events = [e for e in rule_events if political(sent, e["participants"])]
        if not cand_events and not rule_events and fb is not None and political(sent, fb["participants"]):
            cand_events = [fb]
        feats = sentence_features(sent, doc, rule_events, fb, p, is_candidate(sent))
        feats.update(article)
        recs.append({"span": (s0, e0), "sentence": sent, "p_lex": p, "rule_events": rule_events,
                     "fallback": fb, "events": cand_events, "features": feats})
    return recs, ctx


_DEFINITE_REF = re.compile(r"\b(?:the|that|this) (?:meeting|talks|discussions?|lunch|dinner|session|visit|call)\b", re.I)


def _pkeys(ev) -> set:
    out = set()
    for p in ev["participants"]:
        if p.get("kind") == "named" and p.get("name"):
            out.add("p:" + name_key(p["name"]).split()[-1])
    return out


def _inherit_from_article(events: list[dict]) -> None:
    """A definite mention with no date of its own ("Sullivan also stopped by the meeting to
    greet Ma", "the talks lasted two hours") is the meeting reported before it with a shared
    participant: it takes that meeting's date (and place, when it has none)."""
    for i, ev in enumerate(events):
        if ev["date"] or ev["status"] != OCCURRED or not _DEFINITE_REF.search(ev["evidence"]):
            continue
        mine = _pkeys(ev)
        countries = {p.get("country") for p in ev["participants"] if p.get("country")}
        prev = [e for e in events[:i] if e["status"] == OCCURRED and e is not ev
                and e["evidence_spans"][0][0] < ev["evidence_spans"][0][0]]
        overl = [e for e in prev if (mine & _pkeys(e)) or (not mine and countries and countries <= {
            p.get("country") for p in e["participants"] if p.get("country")})]
        dated = [e for e in overl if e["date"]]
        if not dated:
            continue
        src = dated[-1]
        ev["date"], ev["date_precision"] = src["date"], src["date_precision"]
        ev["date_text"] = ev.get("date_text") or src.get("date_text")
        if not ev["location"]:
            located = [e for e in overl if e["location"]]
            if located:
                ev["location"] = located[-1]["location"]


_PLURAL_ANAPHOR = re.compile(r"^(?:the )?(?:two|both) (?:leaders?|sides?|ministers?|men|women|officials?|diplomats?|"
                             r"presidents?|premiers?|delegations?|envoys?|countries|governments?|heads of state)$", re.I)


def _antecedent(prev_events):
    """Participants of the most recent meeting reported before (for "the two leaders", "they")."""
    for e in reversed(prev_events or []):
        if e["status"] == OCCURRED and len(e["participants"]) >= 2 and e["salience"] == "main":
            return e["participants"]
    for e in reversed(prev_events or []):
        if len(e["participants"]) >= 2:
            return e["participants"]
    return None


def _build_event(ev, doc, sent, s0, e0, pub, actors, people, dateline, last_date, topic_cache, prev_events=None):
    """One event dict from a trigger, or None when it does not qualify."""
    parts = collect_participants(ev)
    mentions: list[tuple[dict, str]] = []
    part_tok_ids = set()
    cmp_ids = {t.i for t in ev.own_cmp}
    for tok, role in parts:
        if not hasattr(tok, "i"):
            continue
        if tok.dep_ in ("ROOT",):
            part_tok_ids.add(tok.i)
        elif tok.is_ancestor(ev.trigger):
            # a fragment "X and rebel envoys negotiated in Y": the clause hangs on the participant
            trig = {t.i for t in ev.trigger.subtree}
            part_tok_ids.update(t.i for t in tok.subtree if t.i not in trig)
        else:
            part_tok_ids.update(t.i for t in tok.subtree)
        floor = ev.floors.get(tok.i)
        if floor is not None:
            ms = [build_mention(tok, min_i=floor)]
        else:
            ms = split_distributive(tok) or _hyphen_states(tok) or [build_mention(tok)]
        for m in ms:
            if m is None:
                continue
            hint = ev.country_hint.get(tok.i)
            if hint and not m.get("country"):
                m = dict(m, country=hint)
            nh = ev.name_hint.get(tok.i)
            if nh and m.get("kind") == "named":
                m = dict(m, name=nh[0], title=m.get("title") or nh[1])
            m = _resolve(m, tok, actors, people)
            anaphor = (m.get("kind") == "pronoun" and (m.get("text") or "").lower() in ("they", "them")
                       and role != "guest" and tok.dep_ in ("nsubj", "nsubjpass")) or (
                m.get("kind") == "descriptive" and _PLURAL_ANAPHOR.match((m.get("text") or "").strip()))
            if anaphor:
                ante = _antecedent(prev_events)
                if ante:
                    # "the two leaders", "both sides", "they": the parties of the meeting before
                    for p in ante:
                        a = {"kind": p.get("kind"), "name": p.get("name"), "title": p.get("title"),
                             "organization": p.get("organization"), "country": p.get("country"),
                             "coref": m.get("text"), "_cmp": False}
                        mentions.append((a, p.get("role") if role == "participant" else role))
                    continue
            if m.get("kind") == "pronoun":
                continue  # unresolved pronoun: not a usable participant
            if (m.get("kind") in ("named", "org") and not m.get("title") and tok.ent_type_ != "PERSON"
                    and tok.dep_ in ("compound", "nmod", "amod", "npadvmod", "poss")
                    and is_city(m.get("name") or "") and country_of(m.get("name") or "", allow_city=True) is None):
                continue  # a lone city ("the Istanbul meeting") is a place, not a party
            m["_cmp"] = tok.i in cmp_ids and "-" not in tok.text
            r = role
            if m.get("visiting") and r == "participant":
                r = "guest"
            mentions.append((m, r))
    # dedupe participants
    seen, uniq = set(), []
    for m, role in mentions:
        k = _ment_key(m)
        if k in seen:
            continue
        seen.add(k)
        uniq.append((m, role))
    mentions = uniq
    n_named = sum(1 for m, _ in mentions if m.get("kind") == "named")

    # ---- status
    if ev.kind == "verb":
        status = verb_status(ev.pred)
    else:
        status = noun_status(ev.noun, ev.pred if ev.main else None)
        if ev.pred is not None:
            plem = ev.pred.lemma_.lower()
            prt = {c.lower_ for c in ev.pred.children if c.dep_ == "prt"}
            if plem in CANCEL_OBJ and not (plem == "call" and "off" not in prt) and not (plem in ("break", "pull", "walk") and not prt):
                status = CANCELLED if verb_status(ev.pred) != PLANNED or plem in ("cancel", "postpone") else PLANNED
            elif plem in PLAN_OBJ and ev.noun.dep_ == "dobj":
                if status == OCCURRED:
                    status = PLANNED
            if not ev.main and status == OCCURRED:
                vs = verb_status(ev.pred)
                if vs == PLANNED and ev.noun.dep_ == "dobj":
                    status = PLANNED
    # ---- "... as/while/when officials met": the meeting is the setting, not the report
    if status == OCCURRED:
        v = ev.pred if ev.pred is not None else (ev.trigger if ev.kind == "verb" else None)
        if v is not None and v.pos_ in ("VERB", "AUX") and temporal_subordinate(v):
            return None
    # ---- a courtesy call reports its speech act, not a consultation
    if _courtesy_phone(ev, sent):
        return None
    # ---- keep / drop
    if ev.main:
        if not mentions:
            return None
        if ev.lemma == "press conference" and len(mentions) < 2:
            return None
    else:
        # attending a named summit is taking part in it, even in a setting phrase ("At the X Summit, Y pledged")
        if len(mentions) < 2 and not (mentions and setting_of_clause(ev) and named_gathering(ev)):
            return None
        if ev.kind == "noun":
            # a background mention must name its parties relationally ("meeting of X with Y",
            # "talks between X and Y", "X's meeting with Y", "U.S.-China talks"); a noun-noun
            # modifier alone ("a White House meeting") is usually the venue or organiser
            n_cmp = sum(1 for m, _ in mentions if m.get("_cmp"))
            n_rel = len(mentions) - n_cmp
            if n_rel + (n_cmp if n_cmp >= 2 else 0) < 2 and not (ev.noun.pos_ == "PROPN"):
                return None
    if ev.lemma in ("conference",) and len(mentions) < 2 and not ev.main:
        return None

    # ---- date
    anchor_tok = ev.trigger
    dval, dprec, dm = best_date(sent, anchor_tok.idx, pub, future=(status == PLANNED),
                                accept=_date_owner(doc, ev))
    if dval and status == OCCURRED and pub is not None and dprec == "day" and dval > (pub.isoformat()):
        # a day after publication cannot have happened yet
        if dval > pub.isoformat() and (date.fromisoformat(dval) - pub).days > 1:
            status = PLANNED
    elif status == OCCURRED and _after_publication(dval, dprec, pub):
        status = PLANNED  # "the December summit" in an October article, "talks in 2026" written in 2025
    if dval is None and last_date and _INHERIT_DATE.search(sent):
        dval, dprec = last_date
    if dval and status == OCCURRED:
        last_date = (dval, dprec)

    # ---- place, mode, topics
    heads = [ev.trigger, ev.pred, ev.noun] + list(ev.extra_heads)
    location, venue = find_place([h for h in heads if h is not None], part_tok_ids, dateline)
    if location is None and ev.places:
        location = ev.places[0].text
    if location is None and ev.noun is not None and ev.lemma in ("visit", "trip", "tour"):
        for c in ev.noun.children:
            if c.dep_ == "prep" and c.lower_ == "to":
                for o in c.children:
                    if o.dep_ == "pobj":
                        location = o.text
    multi_org = any((m.get("name") or "").lower() in _MULTI_ORGS or m.get("kind") == "org" and any(
        w in (m.get("name") or "").lower().split() for w in ("nato", "opec", "council", "asean", "nations", "union"))
        for m, _ in mentions)
    mode = mode_of(ev.lemma, sent, len(mentions), multi_org and len(mentions) <= 2 and ev.lemma in ("meeting", "summit"))
    if ev.trigger.lemma_.lower() in ("meet", "talk", "speak") and re.search(r"\bvirtual|video", sent, re.I):
        mode = "virtual"
    topics, keywords = _topics_cached(sent, topic_cache)
    evidence = sent
    return ({
        "participants": [
            {"name": m.get("name"), "title": m.get("title"), "organization": m.get("organization"),
             "country": m.get("country"), "role": role, "kind": m.get("kind")}
            for m, role in mentions
        ],
        "date": dval,
        "date_precision": dprec if dval else "unknown",
        "date_text": dm.text if dm is not None else None,
        "location": location,
        "venue": venue,
        "mode": mode,
        "status": status,
        "topics": topics,
        "keywords": keywords,
        "evidence": evidence,
        "evidence_spans": [[s0, e0]],
        "confidence": _confidence(ev.main, n_named, len(mentions), bool(dval), status),
        "trigger": ev.lemma,
        "salience": "main" if ev.main else "background",
    }, last_date)


def _topics_cached(sent: str, cache: dict):
    """topics_of, memoised per article (the evidence sentence is looked at twice: for the
    event and as context)."""
    hit = cache.get(sent)
    if hit is None:
        hit = cache[sent] = topics_of(sent)
    return list(hit[0]), list(hit[1])


def _attach_context_topics(text: str, spans, events: list[dict], topic_cache: dict | None = None) -> None:
    """Sentences that follow up on a meeting ("Campbell raised concerns about ...",
    "The two sides discussed ...") add their topics to that meeting."""
    if topic_cache is None:
        topic_cache = {}
    occurred = sorted(((e["evidence_spans"][0][0], e) for e in events if e["status"] == OCCURRED),
                      key=lambda x: x[0])
    if not occurred:
        return
    names = {}
    for pos, ev in occurred:
        for p in ev["participants"]:
            if p.get("kind") == "named" and p.get("name"):
                parts = p["name"].split()
                for n in {parts[0], parts[-1]}:
                    if len(n) > 1:
                        names.setdefault(n, []).append((pos, ev))
    name_rx = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b") if names else None
    prev_target = None
    for s, e in spans:
        sent = text[s:e]
        target = None
        hits = set(name_rx.findall(sent)) if name_rx is not None else set()
        if hits:
            cands = [(pos, ev) for h in hits for pos, ev in names[h] if pos != s]
            before = [c for c in cands if c[0] < s]
            pick = max(before, key=lambda c: c[0]) if before else (min(cands, key=lambda c: c[0]) if cands else None)
            target = pick[1] if pick else None
        if target is None and prev_target is not None and re.match(r"\W*(?:He|She)\b", sent):
            target = prev_target  # "Finer affirmed ... He underscored ...": same speaker
        if target is None and _GENERIC_REF.search(sent):
            # "The two sides also discussed ...": the meeting the previous sentence was about
            prev = [ev for pos, ev in occurred if pos < s and ev["salience"] == "main"]
            target = prev_target or (prev[-1] if prev else None)
        prev_target = target
        if target is None:
            continue
        topics, keywords = _topics_cached(sent, topic_cache)
        for t in topics:
            if t not in target["topics"]:
                target["topics"].append(t)
        for k in keywords:
            if k.lower() not in (x.lower() for x in target["keywords"]):
                target["keywords"].append(k)
