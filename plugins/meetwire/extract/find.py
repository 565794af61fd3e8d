"""Finding meeting events in one parsed sentence: verb triggers ("met", "held talks", `events._verb_event`),
hosted fragments ("X hosted leaders for ...") and noun triggers ("the talks between X and Y", "a summit in Z"),
which live here. `find_events` runs the three in that order; a noun already covered by a verb trigger is skipped."""

from __future__ import annotations

from .actors import is_human, is_place
from .events import (
    CONSULT_PURPOSE,
    EVENT_NOUNS,
    LIGHT_VERBS,
    MEET_VERBS,
    _EFFORT_HEADS,
    _LIGHT_PREP,
    _MEASURE,
    _NOUN_SUBJ_PREDS,
    Event,
    _conjuncts,
    _is_personish,
    _pobjs,
    _two_sides,
    _verb_event,
    clause_is_main,
)
from .lexicon import TITLE_HEADS, country_of, is_city
from .status import CANCEL_OBJ, PLAN_OBJ


_EVALUATIVE = {"welcome", "praise", "hail", "back", "support", "endorse", "condemn", "criticise",
               "criticize", "applaud", "commend", "denounce", "slam", "laud", "decry", "salute",
               "blast", "lambast", "deplore", "oppose", "protest", "appreciate", "acclaim"}
# process nouns that carry the event: "welcomed the resumption / outcome of talks"
_PROCESS_NOUNS = {"resumption", "outcome", "results", "result", "holding", "convening", "success",
                  "start", "launch", "continuation", "progress", "conclusion", "restart", "revival"}


def _evaluated(t) -> bool:
    """The event noun is the object of a stance verb or of a protest preposition."""
    if t.dep_ == "pobj" and t.head.lower_ in ("against",):
        return True  # "rallied against the talks between A and B": a protest
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in _PROCESS_NOUNS:
        t = t.head.head
    return t.dep_ == "dobj" and t.head.pos_ == "VERB" and t.head.lemma_.lower() in _EVALUATIVE


_RALLY_MODS = {"mass", "public", "campaign", "election", "town-hall", "townhall", "shareholders", "shareholder",
               "prayer", "annual", "rally"}
_FAILED_PREDS = {"collapse", "fail", "stall", "falter", "founder", "break", "deadlock", "flounder"}


def _noun_event(n) -> Event | None:
    """An event noun; decide main vs background and collect arguments."""
    lem = n.lemma_.lower()
    if n.lower_ == "talks":
        lem = "talks"
    head_n = n
    # "mediation effort(s)", "peace process", "talks round": the event lives in the head noun
    if n.dep_ == "compound":
        if n.head.lower_ in _EFFORT_HEADS:
            head_n = n.head
        else:
            return None  # "talks format", "summit venue", "visit plan"
    if n.dep_ == "amod":
        return None
    if lem == "talk" and n.lower_ != "talks":
        return None  # "a talk" is a lecture
    if lem == "visit" and n.pos_ == "VERB":
        return None
    if lem == "call":
        mods = {c.lower_ for c in n.children if c.dep_ in ("compound", "amod", "nmod")}
        if not mods & {"phone", "telephone", "video", "conference", "courtesy", "introductory", "virtual"}:
            taken = n.dep_ == "dobj" and n.head.lemma_.lower() in ("receive", "take", "get", "answer", "return", "make",
                                                                    "place", "have", "hold")
            if not _pobjs(n, {"with"}) and not (taken and _pobjs(n, {"from", "to"})):
                return None
    if lem in ("conference",):
        mods = {c.lower_ for c in n.children if c.dep_ in ("compound", "amod", "nmod")}
        if "press" in mods or "news" in mods:
            ev_lem = "press conference"
        else:
            ev_lem = "conference"
    else:
        ev_lem = lem
    if lem == "round" and not _pobjs(n, {"of"}):
        return None
    if lem in ("trip", "tour"):
        dest = _pobjs(n, {"to", "of", "through", "across", "around"}) + _pobjs(n.head, {"to"}) if n.head is not n else []
        if not any(d.pos_ == "PROPN" or country_of(d.text) for d in dest) and not _pobjs(n, {"with"}):
            return None  # "his first trip back to the city", "a trip to the hospital"
    if lem == "session":
        mods = {c.lower_ for c in n.children}
        if not mods & {"talks", "negotiating", "negotiation", "consultation", "bilateral", "working"}:
            return None
    if lem == "dialogue" and n.pos_ == "PROPN":
        return None  # a forum name ("Shangri-La Dialogue"), handled as a venue
    if lem == "meeting" and {c.lower_ for c in n.children if c.dep_ in ("amod", "compound")} & _RALLY_MODS:
        return None  # "held a mass meeting": a rally, not a consultation
    if n.dep_ == "nsubj" and n.head.lemma_.lower() in _FAILED_PREDS and (
            n.head.lemma_.lower() != "break" or any(c.lower_ == "down" for c in n.head.children)):
        return None  # "talks collapsed", "the summit failed to reach agreement": the failure is the report
    if lem == "audience":
        if not _pobjs(n, {"with", "to"}) and not (n.head.lemma_ in ("receive", "grant", "give") and n.dep_ in ("dobj", "pobj")):
            return None

    # ----- governing predicate
    pred = None
    main = False
    light = None
    t = head_n
    # "held two days of talks", "a new round of negotiations": the measure noun stands in
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _MEASURE:
        t = t.head.head
    d = t.dep_
    if _evaluated(t):
        return None
    via_prep = None
    if d in ("dobj", "nsubjpass", "attr", "oprd") and t.head.pos_ in ("VERB", "AUX"):
        pred = t.head
    elif d == "pobj" and t.head.dep_ in ("prep", "agent") and t.head.head.pos_ in ("VERB", "AUX"):
        via_prep = t.head.lower_
        pred = t.head.head
    elif d == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("NOUN", "PROPN"):
        pred = None
    elif d == "nsubj" and t.head.pos_ in ("VERB", "AUX"):
        pred = t.head
    elif d == "ROOT":
        main = True
    elif d == "conj":
        return None  # handled with the first conjunct
    elif d == "appos":
        return None
    if pred is not None:
        plem = pred.lemma_.lower()
        if d in ("dobj", "nsubjpass", "attr") and plem in LIGHT_VERBS:
            light = pred
        elif via_prep and ((plem, via_prep) in _LIGHT_PREP or (plem == "take" and "part" in {c.lower_ for c in pred.children})):
            light = pred
        elif plem in CONSULT_PURPOSE | {"review", "assess"} and t.i < pred.i and _two_sides(pred) and (
                via_prep in ("over", "during") and lem in ("dinner", "lunch", "breakfast", "luncheon", "banquet")
                or via_prep in ("in", "during", "over") and lem in ("conversation", "call") and any(
                    m.lemma_.lower() in ("phone", "telephone", "video") for m in n.children)):
            # "Over dinner in Tokyo, the defence ministers of A and B reviewed ...",
            # "In a telephone conversation on Wednesday, A and B reviewed ..."
            light = pred
        elif d == "nsubj" and plem in _NOUN_SUBJ_PREDS:
            light = pred
        elif d == "dobj" and plem in CANCEL_OBJ | PLAN_OBJ:
            light = pred
        if light is not None:
            main = clause_is_main(pred)
    ev = Event(n, ev_lem, "noun", light if light is not None else pred, main and light is not None or (d == "ROOT"))
    ev.noun = head_n

    # ----- own arguments of the noun
    own = []
    ev_places = []
    for c in list(head_n.children) + (list(n.children) if head_n is not n else []):
        if c.dep_ == "poss":
            own.extend(x for x in _conjuncts(c) if x.ent_type_ != "DATE")
        if c.dep_ in ("compound", "nmod", "amod") and c is not n and c.i < head_n.i:
            for x in _conjuncts(c):
                if x.ent_type_ == "DATE" or x.ent_type_ in ("GPE", "LOC", "FAC") and not country_of(x.text) or (
                        x.ent_type_ != "PERSON" and not country_of(x.text)
                        and is_city(" ".join(t.text for t in x.subtree if t.dep_ in ("compound", "flat") or t is x))):
                    ev_places.append(x)  # "the Istanbul meeting": a place, not a party
                    continue
                if (country_of(x.text) or x.ent_type_ in ("ORG", "GPE", "NORP") or
                        (x.pos_ == "PROPN" and x.ent_type_ not in ("DATE", "EVENT"))) and x.lower_ not in ("bilateral",):
                    own.append(x)
    # hyphenated pair "U.S.-China talks"
    withs = _pobjs(head_n, {"with", "between", "among", "by", "from"} | ({"to"} if lem in ("audience", "call") else set()))
    if lem in ("dinner", "lunch", "luncheon", "breakfast", "banquet"):
        withs += [x for x in _pobjs(head_n, {"for", "in"}) if is_human(x) and not is_place(x)
                  and x.ent_type_ not in ("DATE", "TIME")]  # "hosted a dinner for the leaders of ..."
    if lem == "call" and any(c.lower_ == "courtesy" for c in head_n.children):
        withs += [x for x in _pobjs(head_n, {"on", "upon"}) if x.ent_type_ not in ("DATE", "TIME")]  # "… on the Sultan"
    ofs = _pobjs(head_n, {"of"}) if ev_lem in ("meeting", "summit", "conference", "session", "round", "talks") else []
    # "the meeting of X with Y": the parser often hangs "with Y" on X
    for o in list(ofs) + list(withs):
        withs.extend(x for x in _pobjs(o, {"with"}) if x not in withs)
    if head_n.pos_ == "PROPN":
        # a named event ("the Woodside Summit"): its proper-noun modifiers are its name
        own = [x for x in own if x.dep_ == "poss"]
    if lem == "mediation" and not withs:
        # "launched a mediation effort to resolve the rift between A and B" / "to help A and B reach ...":
        # the mediated parties sit in the effort's purpose clause
        for c in head_n.children:
            if c.dep_ in ("acl", "relcl", "xcomp") or (c.dep_ == "prep" and c.lower_ in ("to", "for")):
                for x in c.subtree:
                    if x.dep_ == "pobj" and x.head.lower_ == "between":
                        withs.extend(_conjuncts(x))
                    elif x.dep_ == "dobj" and x.head.lemma_.lower() in ("help", "bring", "reconcile", "persuade"):
                        withs.extend(_conjuncts(x))
                    elif x.dep_ == "nsubj" and x.head.dep_ == "ccomp" and x.head.head.lemma_.lower() == "help":
                        withs.extend(_conjuncts(x))
    rel = [t for t in own if t.dep_ == "poss"] + withs + ofs
    cmp_ = [t for t in own if t.dep_ != "poss"]
    ev.places = [t for t in ev_places if t.ent_type_ != "DATE"]
    ev.own = [t for t in own + withs + ofs if is_human(t) or country_of(t.text)]
    ev.own_rel = [t for t in rel if is_human(t) or country_of(t.text)]
    ev.own_cmp = [t for t in cmp_ if is_human(t) or country_of(t.text)]
    return ev


_GUEST_GROUPS = {"leaders", "ministers", "heads", "officials", "delegations", "delegates", "presidents",
                 "premiers", "envoys", "counterparts", "representatives", "diplomats", "chiefs", "monarchs"}


def _hosted_fragment(t) -> Event | None:
    """"Kenya's Ruto hosted leaders of six states in Nairobi for a summit": the small model
    often reads "hosted leaders" as a noun phrase (hosted = amod, leaders = ROOT). Rebuild
    the clause: the capitalised word before the participle is the host, the noun the guest."""
    if t.dep_ != "amod" or t.lower_ not in ("hosted", "received", "welcomed") or t.i == 0:
        return None
    n = t.head
    while n.dep_ in ("poss", "compound") and n.head is not n:
        n = n.head  # "al-Sisi hosted Jordan's King Abdullah II": the participle sits inside the guest
    if n.dep_ != "ROOT" or n.i < t.i:
        return None
    if n.lower_ not in _GUEST_GROUPS and not (n.pos_ == "PROPN" and _is_personish(n) and t.head is not n):
        return None
    host = t.doc[t.i - 1]
    titled = host.pos_ == "NOUN" and host.lemma_.lower() in TITLE_HEADS  # "The emir hosted leaders of ..."
    if not (host.text[:1].isupper() or titled) or host.pos_ not in ("PROPN", "NOUN") or host.lower_ in ("the", "a"):
        return None
    if not (host.ent_type_ in ("PERSON", "GPE", "ORG") or host.pos_ == "PROPN" or host.i == 0 or titled):
        return None
    ev = Event(t, t.lemma_.lower() if t.lemma_.lower() in ("host", "receive", "welcome") else
               {"hosted": "host", "received": "receive", "welcomed": "welcome"}[t.lower_], "verb", t, True)
    ev.add([host], "host")
    ev.add([n], "guest")
    ev.floors = {n.i: t.i + 1}
    if host.i >= 2 and host.doc[host.i - 1].lower_ in ("'s", "’s") and country_of(host.doc[host.i - 2].text):
        ev.country_hint = {host.i: country_of(host.doc[host.i - 2].text)}  # "Kenya's Ruto"
    # the host's words are whatever precedes the participle ("Egyptian President Abdel Fattah al-Sisi")
    j = host.i
    while j > 0:
        w = t.doc[j - 1]
        if not (w.text == "-" or w.pos_ in ("PROPN", "ADJ") and (
                w.text[:1].isupper() or w.lower_ in ("al", "bin", "el", "de", "van", "von", "da", "ibn"))):
            break
        j -= 1
    span = t.doc[j:host.i + 1]
    if len(span) > 1:
        name = []
        for w in reversed(list(span)):
            if w.lower_.strip(".") in TITLE_HEADS or country_of(w.text):
                break
            name.insert(0, w)
        title = [w for w in span if w not in name and w.lower_.strip(".") in TITLE_HEADS | {"prime", "crown", "vice"}]
        nm = "".join(w.text_with_ws for w in name).strip()
        if nm:
            ev.name_hint = {host.i: (nm, " ".join(w.text for w in title) or None)}
        c = next((country_of(w.text) for w in span if country_of(w.text)), None)
        if c:
            ev.country_hint = {host.i: c}
    ev.extra_heads = [n]
    ev.places = [o for p in n.subtree if p.dep_ == "prep" and p.lower_ == "in" and p.i > t.i
                 for o in p.children if o.dep_ == "pobj" and o.ent_type_ in ("GPE", "LOC")]
    return ev


def find_events(doc) -> list[Event]:
    out: list[Event] = []
    covered_nouns = set()
    for v in doc:
        if v.pos_ not in ("VERB", "AUX") or v.lemma_.lower() not in MEET_VERBS:
            continue
        lem = v.lemma_.lower()
        if lem == "hold":
            continue
        ev = _verb_event(v)
        if ev is None:
            continue
        # event nouns attached to this verb ("hosted X for talks") belong to this event
        for c in v.subtree:
            if c.lemma_.lower() in EVENT_NOUNS and c.head is not None:
                if c.head.dep_ == "prep" and c.head.head is v or c.head is v:
                    covered_nouns.add(c.i)
        out.append(ev)
    for t in doc:
        ev = _hosted_fragment(t)
        if ev is not None:
            covered_nouns.update(c.i for c in ev.extra_heads[0].subtree if c.lemma_.lower() in EVENT_NOUNS)
            out.append(ev)
    for n in doc:
        if n.i in covered_nouns or n.pos_ not in ("NOUN", "PROPN"):
            continue
        lem = n.lemma_.lower()
        if lem not in EVENT_NOUNS and n.lower_ not in EVENT_NOUNS:
            continue
        ev = _noun_event(n)
        if ev is None:
            continue
        # skip a noun that sits under a verb trigger already found
        if ev.pred is not None and any(e.trigger is ev.pred for e in out):
            continue
        out.append(ev)
    return out
