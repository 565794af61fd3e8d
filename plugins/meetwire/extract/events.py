"""Find meeting predicates in a parsed sentence and collect their arguments.

Three kinds of triggers, all decided on the dependency parse:

* meeting verbs with a human counterpart: "met X", "met with X", "hosted X", "received X",
  "called X", "called on X", "spoke with X by phone", "discussed Y with X", "visited X" ...
* light-verb constructions with an event noun: "held talks", "had lunch with", "paid a visit",
  "attended a summit", "launched a mediation effort", "joined X for a meeting" ...
* event nouns elsewhere ("ahead of the expected meeting between ...", "at the Woodside Summit"):
  background mentions, kept only when they name at least two parties themselves.

This module holds the vocabulary, the clause tests, `Event`, the verb triggers and `collect_participants`;
the noun triggers, hosted fragments and `find_events` (which runs all three) are in `find.py`.
"""

from __future__ import annotations

from .actors import is_human, is_place
from .lexicon import TITLE_HEADS, country_of
from .background import named_gathering, setting_of_clause
from .status import OCCURRED

MEET_VERBS = {
    "meet", "talk", "speak", "confer", "consult", "negotiate", "mediate", "visit", "host",
    "receive", "welcome", "greet", "call", "phone", "telephone", "ring", "discuss", "parley",
    "sit", "dine", "lunch", "converse", "huddle", "exchange", "hold", "shake", "convene", "confer", "play", "pose", "gather", "assemble", "lead",
    "shuttle",
}
EVENT_NOUNS = {
    "meeting", "talk", "talks", "summit", "visit", "trip", "tour", "conversation", "discussion",
    "consultation", "negotiation", "lunch", "dinner", "breakfast", "luncheon", "audience",
    "mediation", "conference", "dialogue", "encounter", "videoconference", "teleconference",
    "tete-a-tete", "tête-à-tête", "get-together", "call", "session", "parley", "banquet",
    "meet", "bilateral", "round",
}
# event nouns that need a counterpart or a qualifier to count
_WEAK_NOUNS = {"call", "session", "round", "conference", "dialogue", "tour", "trip", "discussion",
               "conversation", "bilateral"}
LIGHT_VERBS = {
    "hold", "have", "conduct", "attend", "join", "launch", "open", "begin", "start", "host",
    "pay", "make", "chair", "convene", "lead", "resume", "continue", "wrap", "conclude",
    "participate", "take", "enter", "engage", "organize", "organise", "undertake", "go", "arrive",
    "travel", "co-chair", "preside", "address", "receive", "give", "grant", "sit", "stage",
    "kick", "restart", "reopen", "complete", "finish", "be", "come", "fly", "head", "initiate",
    "broker", "spearhead", "end", "boycott", "skip", "cancel", "postpone", "suspend", "halt",
    "refuse", "reject", "decline", "attend", "hold", "accept", "arrange", "schedule", "plan",
    "seek", "request", "propose", "offer", "announce", "call",
}
_LIGHT_PREP = {("join", "for"), ("participate", "in"), ("take", "in"), ("engage", "in"),
               ("enter", "into"), ("arrive", "for"), ("travel", "for"), ("come", "for"), ("go", "for"),
               ("go", "on"), ("go", "into"), ("head", "into"), ("be", "for"), ("be", "on"), ("host", "for"), ("receive", "for"),
               ("welcome", "for"), ("meet", "for"), ("sit", "for"), ("fly", "for"), ("head", "for"),
               ("gather", "for"), ("attend", "for"), ("invite", "for"), ("preside", "over"),
               ("speak", "at"), ("sit", "in"), ("hold", "for"), ("be", "in"), ("meet", "at"),
               ("be", "at"), ("visit", "for"), ("set", "for"), ("convene", "for"), ("return", "for"),
               ("prepare", "for"), ("leave", "for"), ("depart", "for"), ("arrive", "on"), ("come", "on"),
               ("land", "for"), ("land", "on"), ("embark", "on"), ("travel", "on"), ("fly", "on"),
               ("walk", "to"), ("walk", "into"), ("arrive", "at"), ("arrive", "to"), ("go", "to"), ("come", "to"),
               ("head", "to"), ("travel", "to"), ("fly", "to"), ("pose", "before"), ("pose", "ahead"),
               ("leave", "on"), ("depart", "on"), ("set", "on"), ("begin", "on"), ("start", "on"), ("be", "during")}
_MEASURE = {"day", "hour", "week", "month", "minute", "round", "series", "couple", "session", "year",
            "lot", "number", "set", "cycle"}
_NOUN_SUBJ_PREDS = {"take", "begin", "start", "open", "resume", "continue", "conclude", "end", "last",
                    "focus", "center", "centre", "cover", "occur", "happen", "come", "run",
                    "produce", "yield", "get", "kick", "wrap", "close", "proceed", "go"}
_EFFORT_HEADS = {"effort", "efforts", "process", "mission", "initiative", "bid", "round", "rounds",
                 "session", "sessions", "process"}
_NONHUMAN_OBJ = {"need", "needs", "goal", "goals", "target", "targets", "demand", "demands", "deadline",
                 "criterion", "criteria", "requirement", "requirements", "expectation", "expectations",
                 "standard", "standards", "challenge", "obligation", "obligations", "condition",
                 "conditions", "cost", "costs", "threshold", "quota", "end", "ends", "fate", "death"}
COURTESY = {"congratulate", "express", "convey", "apologize", "apologise", "assure", "thank", "offer",
            "extend", "wish", "condole", "console", "greet", "felicitate", "commiserate", "voice",
            "pledge", "reaffirm"}
SUMMONS = {"testify", "appear", "resign", "answer", "account", "return", "step", "report", "leave", "stand",
           "quit", "vote", "act", "join", "serve"}
CONSULT_PURPOSE = {"discuss", "review", "exchange", "talk", "consult", "brief", "explore", "seek",
                   "negotiate", "coordinate", "address", "examine", "explain", "inquire", "enquire",
                   "update", "share", "confer", "deliberate", "hold", "present", "raise"}
_BG_MARKS = {"after", "before", "following", "since", "while", "when", "as", "until", "once",
             "during", "upon", "on", "without", "whereas", "ahead", "prior"}


def _conjuncts(tok):
    out = [tok]
    for c in tok.conjuncts:
        if c not in out:
            out.append(c)
    return out


def _pobjs(tok, preps):
    out = []
    for c in tok.children:
        # "granted an audience to X": spaCy labels a "to" phrase of a verb of giving as dative
        if (c.dep_ == "prep" or c.dep_ == "dative" and c.pos_ == "ADP") and c.lower_ in preps:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.extend(_conjuncts(o))
                elif o.dep_ == "pcomp" and o.tag_ == "VBG" and o.lower_ in ("visiting", "outgoing", "incoming"):
                    # "met with visiting Spanish Prime Minister X" is parsed as a gerund
                    out.extend(x for d in o.children if d.dep_ == "dobj" for x in _conjuncts(d))
    return out


def _headline_pair(s):
    """"Abe, Modi hold talks": a headline comma-coordination parsed as apposition."""
    out = []
    if s.ent_type_ == "PERSON":
        for a in s.children:
            if (a.dep_ == "appos" and a.ent_type_ == "PERSON" and a.pos_ == "PROPN" and len(a.text) > 2
                    and not any(c.dep_ in ("det", "poss") for c in a.children)
                    and s.doc[a.i - 1].text == "," and a.i == s.i + 2):
                out.append(a)
    return out


_MISSION_NOUNS = {"delegation", "mission", "team", "envoy", "emissary", "delegates", "representatives",
                  "negotiators", "envoys", "emissaries", "contingent", "delegations"}
_MISSION_GOV = {"lead", "head", "send", "dispatch", "accompany", "join", "chair", "despatch"}
_REL_PRON = {"that", "which", "who"}


def _mission_relcl(v):
    """"X led a peace mission that met Y": the relative clause's head noun (a delegation,
    mission, envoy, team) is the subject, and the verb governing it (led, headed, sent) makes
    the clause part of what the sentence asserts. Returns (head noun, leaders) or None."""
    if v.dep_ != "relcl":
        return None
    n = v.head
    if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lemma_.lower() in _MISSION_NOUNS:
        n = n.head.head  # "a delegation of African leaders that met X"
    if n.lower_ not in _MISSION_NOUNS and n.lemma_.lower() not in _MISSION_NOUNS:
        return None
    if not any(c.dep_ == "nsubj" and c.lower_ in _REL_PRON for c in v.children):
        return None
    gov = n.head
    if n.dep_ not in ("dobj", "pobj") or gov is n:
        return None
    if n.dep_ == "pobj":
        gov = gov.head  # "X was at the head of a delegation that ..."
    if gov.lemma_.lower() not in _MISSION_GOV:
        return None
    leaders = [x for c in gov.children if c.dep_ == "nsubj" for x in _conjuncts(c)]
    if gov.lemma_.lower() in ("send", "dispatch", "despatch"):
        leaders = []  # the sender did not take part
    return n, leaders


_CAPTION_SUBJ = {"photo", "picture", "image", "handout", "file", "photograph", "pic"}


def _subjects(v, depth=0):
    subs = [c for c in v.children if c.dep_ in ("nsubj",)]
    # caption "In this file photo, X attends ...": the parser makes the photo the subject, X its apposition
    subs = [next((a for a in c.children if a.dep_ == "appos"), c) if c.lemma_.lower() in _CAPTION_SUBJ else c
            for c in subs]
    mr = _mission_relcl(v) if subs else None
    if mr is not None:
        return _conjuncts(mr[0]) + mr[1], False
    if subs:
        return [x for s in subs for x in _conjuncts(s) + _headline_pair(s)], False
    pas = [c for c in v.children if c.dep_ == "nsubjpass"]
    if pas:
        return [x for s in pas for x in _conjuncts(s)], True
    if depth < 3 and v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl", "pcomp") and v.head is not v:
        h = v.head
        if v.dep_ == "conj" and v.tag_ in ("VBD", "VBZ") and h.tag_ == "VB" and h.dep_ in ("xcomp", "advcl", "ccomp"):
            return _subjects(h.head, depth + 1)[0], False  # "urged them to X and (then) met Y"
        if v.dep_ == "acl" and h.pos_ in ("NOUN", "PROPN") and h.dep_ == "ROOT":
            return _conjuncts(h), False  # fragment "A delegation ... called on X", "Trump called X"
        if (v.dep_ == "acl" and h.pos_ in ("NOUN", "PROPN") and h.dep_ == "conj" and h.head.dep_ == "ROOT"
                and not any(c.dep_ == "agent" for c in v.children)):
            return _conjuncts(h.head), False  # "President X and rebel envoys negotiated in Y"
        if v.dep_ in ("acl",) and h.pos_ in ("NOUN", "PROPN"):
            return [], False
        if v.dep_ == "pcomp":
            # "after meeting X": the subject is the main clause's, not the clause's own
            return [], False
        if v.dep_ == "xcomp":
            objs = [c for c in h.children if c.dep_ == "dobj"]
            if objs and h.lemma_ in ("invite", "ask", "urge", "welcome", "allow", "persuade", "tell", "encourage"):
                return _conjuncts(objs[0]), False
        subs, _ = _subjects(h, depth + 1)
        return subs, False  # "X is expected to meet Y": X is the subject of meeting, not a patient
    return [], False


def clause_is_main(v) -> bool:
    """Is the predicate asserted by the sentence (root, coordination, reported clause,
    relative clause), as opposed to a temporal/participial adjunct?"""
    t = v
    for _ in range(8):
        d = t.dep_
        if d == "ROOT":
            return True
        if d == "relcl":
            # "..., where he had lunch with X" is asserted; "officials who met X" only
            # restricts a noun of another predicate
            mr = _mission_relcl(t)
            if mr is not None:
                t = mr[0].head if mr[0].dep_ == "dobj" else mr[0].head.head
                continue
            if any(c.dep_.startswith("nsubj") and c.lower_ in ("who", "which", "that", "whom") for c in t.children):
                return False
            return True
        if d in ("conj", "ccomp", "xcomp", "parataxis"):
            t = t.head
            continue
        if d == "advcl":
            marks = {c.lower_ for c in t.children if c.dep_ in ("mark", "advmod")}
            if marks & _BG_MARKS:
                return False
            if t.tag_ in ("VBG", "VBN") and not any(c.dep_.startswith("nsubj") for c in t.children):
                if t.i < t.head.i:
                    return False  # fronted participle: "Speaking to X, Y reaffirmed ..." sets the scene
                # trailing participial adjunct: "..., discussing ways to ..." still asserted
                t = t.head
                continue
            t = t.head
            continue
        if d == "acl":
            if t.head.dep_ == "ROOT" and t.head.pos_ in ("NOUN", "PROPN"):
                return True
            if (t.head.dep_ == "conj" and t.head.head.dep_ == "ROOT" and t.head.pos_ in ("NOUN", "PROPN")
                    and not any(c.dep_ == "agent" for c in t.children)):
                return True
            return False
        return False
    return False


_PARTY_PLURALS = {"delegates", "representatives", "negotiators", "delegations", "officials", "envoys",
                  "sides", "leaders", "ministers", "mediators", "parties", "rivals", "diplomats", "emissaries",
                  "presidents", "premiers", "heads", "chiefs", "counterparts"}


def _shared_subject(subj) -> bool:
    """"Government and rebel negotiators", "Israeli and Lebanese delegates", "the two sides":
    a plural party noun whose modifiers are coordinated (or counted) names both sides itself."""
    for t in subj:
        if t.lower_ not in _PARTY_PLURALS:
            continue
        for c in t.children:
            if c.dep_ in ("amod", "compound", "nmod") and any(x.dep_ == "conj" for x in c.children):
                return True
            if c.dep_ == "nummod" and c.lower_ in ("two", "three", "both") or c.lower_ == "both":
                return True
            # "the foreign ministers of India and China"
            if c.dep_ == "prep" and c.lower_ == "of" and any(
                    o.dep_ == "pobj" and any(x.dep_ == "conj" for x in o.children) for o in c.children):
                return True
    return False


def _inner_pair(subj) -> list:
    """"The head of Haiti's council and Caribbean leaders conferred": the parser hangs the second party as a
    conjunct inside the first one's "of" phrase. Human conjuncts found there are the other side."""
    out = []
    for s_ in subj:
        for t in s_.subtree:
            if t is not s_ and t.dep_ == "conj" and t.tag_ in ("NNS", "NNPS", "NNP") and is_human(t) and (
                    t.lemma_.lower() in TITLE_HEADS or t.ent_type_ == "PERSON"):
                out.append(t)
    return out


def _two_sides(v) -> bool:
    """The verb's subject names both parties: "A and B", "the two ministers", "the ministers of A and B"."""
    subj, passive = _subjects(v)
    return not passive and (len(subj) > 1 or _shared_subject(subj))


_TEMPORAL_SUB = {"as", "while", "when", "whilst", "whenever"}
_SEQUENCE_SUB = {"after", "before", "until", "once", "since"}


def temporal_subordinate(v) -> bool:
    """Is the predicate inside an "as/while/when ..." clause hung on another predicate
    ("North Korea fired missiles as U.S. and Japanese officials met in Tokyo")? Such a
    meeting is the setting of the sentence, not what it reports (PLOVER codes the main
    clause: "X refused to meet Y when Y visited Cuba" is a rejection)."""
    t = v
    for _ in range(3):
        if t is None or t.dep_ == "ROOT":
            return False
        if t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN") and t.head.lemma_.lower() not in EVENT_NOUNS:
            rel = [c for c in t.children if c.dep_ == "advmod" and c.lower_ in ("where", "when") and c.i < t.i]
            if rel and rel[0].i > 0 and t.doc[rel[0].i - 1].text not in (",", "(", "—", "–", "-"):
                return True  # "rallied outside the hotel where the ministers were meeting": the setting
        if any(c.dep_ in ("mark", "advmod") and c.lower_ in _TEMPORAL_SUB and c.i < t.i for c in t.children):
            return True
        # "India suspended talks after Islamabad's envoy met separatist leaders": a finite clause of
        # sequence hung on another predicate is the background of what the sentence reports
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _SEQUENCE_SUB and c.i < t.i for c in t.children) \
                and any(c.dep_.startswith("nsubj") for c in t.children) and t.head.lemma_.lower() not in MEET_VERBS:
            return True
        le = t.left_edge
        if le.i > 0:
            prev = t.doc[le.i - 1]
            if prev.lower_ in _TEMPORAL_SUB and not prev.is_ancestor(t) and prev.head is not t \
                    and not (prev.lower_ == "as" and prev.i > 0 and t.doc[prev.i - 1].lower_ in ("such", "as", "so")):
                return True
        if t.dep_ == "conj":
            t = t.head
            continue
        return False
    return False


def _human_args(toks):
    return [t for t in toks if is_human(t)]


class Event:
    # slots so a misspelt attribute fails loudly instead of silently adding a new one
    __slots__ = ("trigger", "lemma", "kind", "pred", "main", "parts", "status", "noun", "extra_heads",
                 "phone_purpose", "places", "own", "own_rel", "own_cmp", "floors", "country_hint", "name_hint")

    def __init__(self, trigger, lemma, kind, pred, main):
        self.trigger = trigger  # token
        self.lemma = lemma
        self.kind = kind  # verb | noun
        self.pred = pred  # the verb that carries tense/modality (may be None)
        self.main = main
        self.parts: list[tuple[object, str]] = []  # (token or dict mention, role)
        self.status = OCCURRED
        self.noun = None
        self.extra_heads: list = []  # tokens whose PPs may hold place/date
        self.phone_purpose = None
        self.places: list = []  # place tokens found by the trigger builder; core falls back to the first
        # noun events only: the noun's own arguments (all / relational / noun-noun compound)
        self.own: list = []
        self.own_rel: list = []
        self.own_cmp: list = []
        # per participant token index (hosted fragments): where its mention starts, its country, (name, title)
        self.floors: dict[int, int] = {}
        self.country_hint: dict[int, str] = {}
        self.name_hint: dict[int, tuple[str, str | None]] = {}

    def add(self, toks, role):
        for t in toks:
            if all(t is not p for p, _ in self.parts):
                self.parts.append((t, role))


def _purpose(v):
    for c in v.children:
        if c.dep_ in ("xcomp", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            return c.lemma_.lower()
        if c.dep_ == "advcl" and c.tag_ == "VBG":
            return c.lemma_.lower()
    return None


def _is_personish(tok) -> bool:
    """A person or a titled official (not a state or a crowd)."""
    if tok.pos_ == "PRON":
        return tok.lower_ in ("him", "her", "them", "he", "she", "they")
    if tok.ent_type_ in ("PERSON",):
        return True
    if tok.lower_.strip(".") in TITLE_HEADS or tok.lemma_.lower() in TITLE_HEADS:
        return True
    if tok.pos_ == "PROPN" and any(c.dep_ in ("compound", "nmod") and c.lower_.strip(".") in TITLE_HEADS
                                   for c in tok.children):
        return True
    if tok.lemma_.lower() in ("delegation", "counterpart", "team", "envoy", "leader", "minister",
                              "president", "ambassador", "official", "king", "prince"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "NORP", "DATE", "FAC") and country_of(tok.text) is None


def _call_phrase(v) -> bool:
    """"spoke in a video call", "In a telephone call on Monday, A and B discussed ...":
    a phone/video call phrase on the verb itself."""
    return any(
        c.dep_ == "prep" and c.lower_ in ("in", "during", "over", "on", "via") and any(
            o.lemma_.lower() in ("call", "conversation", "videoconference", "teleconference")
            and any(m.lemma_.lower() in ("phone", "telephone", "video", "videoconference", "virtual")
                    for m in o.children)
            for o in c.children) for c in v.children)


_SESSION_BODIES = {"council", "committee", "cabinet", "commission", "board", "junta", "presidium", "politburo"}


def _session_body(subj, v) -> bool:
    """A deliberative body meeting as such: "the Peace and Security Council met in emergency session",
    "the cabinet met on Monday to discuss the crisis" (a session or a consultative purpose is required:
    "the committee met its deadline" is not a meeting)."""
    if len(subj) != 1 or subj[0].lemma_.lower() not in _SESSION_BODIES:
        return False
    in_session = any(o.lemma_.lower() in ("session", "sitting") for o in _pobjs(v, {"in", "for"}))
    purpose = _purpose(v)
    return in_session or purpose in ("discuss", "review", "consider", "consult", "examine", "address", "assess")


def _shifted_object(v) -> list:
    """The object a state-media sentence puts after the verb's place and time phrases ("received at Zabeel
    Palace the President of Uzbekistan"): the parser hangs it elsewhere. The noun phrase that starts right
    after the verb's last prepositional phrase, when it is a person or a titled official."""
    end = v.i
    for c in v.children:
        if c.dep_ in ("prep", "npadvmod") and c.i == end + 1:
            # "at Zabeel Palace the President of X": the parser makes the guest an apposition of the place
            for o in c.children:
                for a in o.children:
                    if a.dep_ == "appos" and a.i > o.i and _is_personish(a) and not is_place(a) and (
                            a.lower_.strip(".") in TITLE_HEADS or a.ent_type_ == "PERSON"):
                        return _conjuncts(a)
            end = max(t.i for t in c.subtree)
    if end == v.i or end + 1 >= len(v.doc):
        return []
    start = end + 1
    cands = [t for t in v.doc[start:] if t.left_edge.i == start and t.pos_ in ("NOUN", "PROPN")]
    if not cands:
        return []
    np_ = max(cands, key=lambda t: len(list(t.subtree)))
    return _conjuncts(np_) if _is_personish(np_) and not is_place(np_) else []


def _verb_event(v) -> Event | None:
    lem = v.lemma_.lower()
    prts = {c.lower_ for c in v.children if c.dep_ == "prt"}
    dobj = [x for c in v.children if c.dep_ == "dobj" for x in _conjuncts(c)]
    with_ = _pobjs(v, {"with", "among", "between"})
    # "conferred for three hours with X": the parser hangs "with X" on the duration
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in ("for", "during", "over"):
            for o in c.children:
                if o.dep_ == "pobj" and o.lemma_.lower() in _MEASURE:
                    with_ += _pobjs(o, {"with"})
    subj, passive = _subjects(v)
    ev = Event(v, lem, "verb", v, clause_is_main(v))
    ev.extra_heads = [c for c in v.children if c.lower_ == "visiting" and c.i == v.i + 1]
    if not ev.main and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        subj = []  # an adjunct clause ("after meeting X") counts only its own arguments
    agent = [x for c in v.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj" for x in _conjuncts(o)]

    def human(ts):
        return [t for t in ts if is_human(t) and t.lemma_.lower() not in _NONHUMAN_OBJ]

    # "met visiting German Chancellor X": the parser makes "visiting" a clause of its own
    visiting = [x for c in v.children if c.lower_ == "visiting" and c.tag_ == "VBG" and c.i == v.i + 1
                and c.dep_ in ("advcl", "xcomp", "ccomp", "dobj", "pcomp", "conj")
                for d in c.children if d.dep_ == "dobj" for x in _conjuncts(d)]
    if visiting and lem in ("meet", "talk", "speak", "confer", "host", "receive", "welcome", "greet", "dine", "lunch"):
        dobj = dobj + visiting
    if lem == "meet":
        dobj = [o for o in dobj if o.lemma_.lower() not in EVENT_NOUNS]  # "..., their first encounter"
        dobj = [o for o in dobj if not (o.lower_ == "face" and o.i + 2 < len(o.doc) and o.nbor(1).lower_ == "to"
                                        and o.nbor(2).lower_ == "face")]  # "met face to face"
        # "with the security situation topping the agenda" is an absolute clause, not a counterpart
        absolute = any(c.dep_ == "prep" and c.lower_ == "with" and any(
            t.tag_ in ("VBG", "VBN") and t.dep_ == "acl" for t in c.subtree) for c in v.children)
        if absolute:
            with_ = [w for w in with_ if is_human(w)]
        if not dobj and not with_ and not passive and ev.main and _session_body(subj, v):
            ev.add(subj, "participant")  # "The Security Council met in emergency session to discuss ..."
            return ev
        if dobj and not human(dobj):
            return None
        if dobj and with_ and not human(with_):
            return None  # "met protesters with tear gas", "met the plan with scepticism"
        if passive and not agent:
            return None
        if passive:
            ev.add(human(agent), "participant")
            ev.add(human(subj), "participant")
        else:
            ev.add(human(subj), "participant")
            ev.add(human(dobj), "participant")
            ev.add(human(with_), "participant")
        has_cp = bool(human(dobj) or human(with_) or (passive and human(agent)))
        inner = _inner_pair(subj) if not has_cp and not passive and len(subj) == 1 else []
        if inner:
            ev.add(inner, "participant")
            has_cp = True
        plural_subj = len(subj) > 1 or any(t.tag_ in ("NNS", "NNPS") or t.lower_ in ("they", "we") for t in subj)
        if not has_cp and not (plural_subj and not with_ and not dobj):
            return None  # "met with criticism": no human counterpart
        if not has_cp and _mission_relcl(v) is not None:
            return None  # "led a team that met twice a year": the leader is not a counterpart
        return ev
    if lem in ("gather", "assemble"):
        # "EU leaders gathered in Brussels": officials (not crowds) coming together
        officials = [t for t in subj if t.tag_ in ("NNS", "NNPS") and t.lemma_.lower() in TITLE_HEADS]
        if dobj or not officials or passive:
            return None
        ev.add(officials, "participant")
        ev.add(human(with_), "participant")
        return ev
    if lem == "lead":
        # "X led a delegation to Moscow": a visit
        dl = [o for o in dobj if o.lemma_.lower() in ("delegation", "mission")]
        dest = [x for o in dl for x in _pobjs(o, {"to"})] + _pobjs(v, {"to"})
        if not dl or not any(d.pos_ == "PROPN" or country_of(d.text) for d in dest):
            return None
        ev.add(human(subj), "guest")
        ev.places = [d for d in dest if d.pos_ == "PROPN" or country_of(d.text)]
        ev.lemma = "visit"
        return ev
    if lem == "convene":
        # "Defence ministers convened in Brussels" (intransitive, plural subject)
        plural = len(subj) > 1 or any(t.tag_ in ("NNS", "NNPS") and is_human(t) for t in subj)
        if dobj or not plural:
            return None  # "convened a meeting" is handled by the event noun
        ev.add(human(subj), "participant")
        return ev
    if lem in ("talk", "speak", "confer", "consult", "negotiate", "parley", "converse", "huddle", "dine", "lunch"):
        to_ = _pobjs(v, {"to"}) if lem in ("talk", "speak") else []
        cps = human(with_ + to_ + (dobj if lem in ("consult",) else []))
        if not cps and lem in ("confer", "negotiate", "huddle", "parley", "talk", "converse") and len(subj) == 1:
            cps = _inner_pair(subj)
        plural_subj = len(subj) > 1 or any(t.tag_ in ("NNS", "NNPS") and is_human(t) for t in subj)
        if not cps and lem in ("talk", "converse") and (len(human(subj)) >= 2 or (
                _shared_subject(subj) and not with_ and not to_ and not _pobjs(v, {"about", "of", "on"}))):
            cps = []  # "Putin and Lukashenko talked for hours": a coordinated pair talks to each other
            ev.add(human(subj), "participant")
            return ev
        by_phone = any(c.dep_ in ("prep", "agent") and c.lower_ in ("by", "over", "via", "on") and any(
            o.lemma_.lower() in ("phone", "telephone", "video", "videoconference", "line", "link")
            for o in c.children) for c in v.children) or _call_phrase(v)
        if not cps and not (lem in ("negotiate", "confer", "huddle", "parley") and plural_subj):
            if not (lem in ("talk", "speak", "converse") and plural_subj and by_phone):
                return None
        ev.add(human(subj), "participant")
        ev.add(cps, "participant")
        return ev
    if lem == "shuttle":
        # "Qatari mediators shuttled between Israeli and Hamas negotiators": shuttle diplomacy
        sides = human(_pobjs(v, {"between"}))
        if not (len(sides) >= 2 or _shared_subject(sides)) or not human(subj):
            return None
        ev.add(human(subj), "participant")
        ev.add(sides, "participant")
        ev.lemma = "mediate"
        return ev
    if lem == "mediate":
        if not human(subj):
            return None
        ev.add(human(subj), "participant")
        # "mediated talks between the two delegations": the parties hang on the object
        ev.add(human(with_ + [o for o in dobj if o.lemma_.lower() not in EVENT_NOUNS]
                     + [x for o in dobj for x in _pobjs(o, {"between", "with"})]), "participant")
        return ev
    if lem == "sit":
        if "down" not in prts:
            return None
        together = any(c.lower_ in ("together", "jointly") for c in v.children)
        plural = len(subj) > 1 or any(t.tag_ in ("NNS", "NNPS") and is_human(t) for t in subj)
        parties = len(subj) > 1 or _shared_subject(subj) or any(
            t.tag_ in ("NNS", "NNPS") and (t.lower_ in _PARTY_PLURALS or t.lower_ in ("elders", "chiefs")) for t in subj)
        mediated = any(o.lemma_.lower() in ("mediation", "auspices", "chairmanship") for o in _pobjs(v, {"under"}))
        if not human(with_) and not (plural and (together or _pobjs(v, {"for"}))) and not (parties and mediated):
            return None
        ev.add(human(subj), "participant")
        ev.add(human(with_), "participant")
        return ev
    if lem == "pose":
        # caption style: "X poses with Y before their talks"
        if not human(with_):
            return None
        ev.add(human(subj), "participant")
        ev.add(human(with_), "participant")
        ev.lemma = "meet"
        return ev
    if lem == "play":
        # "played golf with X" (leaders' informal meetings)
        if not any(o.lemma_.lower() in ("golf", "tennis", "chess") for o in dobj) or not human(with_):
            return None
        ev.add(human(subj), "participant")
        ev.add(human(with_), "participant")
        ev.lemma = "meet"
        return ev
    if lem == "shake":
        # "X shook hands with Y"
        with_ = with_ + [x for o in dobj if o.lower_ == "hands" for x in _pobjs(o, {"with"})]
        if not any(o.lower_ == "hands" for o in dobj) or not human(with_):
            return None
        ev.add(human(subj), "participant")
        ev.add(human(with_), "participant")
        return ev
    if lem == "exchange":
        if not any(o.lemma_.lower() in ("view", "idea", "opinion", "greeting", "note", "pleasantry") for o in dobj):
            return None
        if not human(with_) and not (len(subj) > 1 or any(t.tag_ in ("NNS", "NNPS") and is_human(t) for t in subj)):
            return None
        ev.add(human(subj), "participant")
        ev.add(human(with_), "participant")
        return ev
    if lem == "visit":
        if v.dep_ == "amod" or (v.dep_ == "acl" and v.tag_ == "VBG"):
            return None
        if v.lower_ == "visiting" and v.i == v.head.i + 1 and v.head.lemma_.lower() in MEET_VERBS:
            return None  # "met visiting X": X is the guest of the meeting verb
        if not dobj or not subj:
            return None  # "VISIT the horse show" (imperative) is an advertisement
        def bare_name(o):  # "visited Beijing": a lone proper noun after "visit" is a place
            return o.pos_ == "PROPN" and not any(c.dep_ in ("compound", "amod", "poss", "appos") for c in o.children)
        ppl = [o for o in dobj if _is_personish(o) and not is_place(o) and not bare_name(o)]
        places = [o for o in dobj if o not in ppl]
        if not ppl and not any(is_place(o) or o.pos_ == "PROPN" for o in places):
            return None
        ev.add(human(subj), "guest")
        ev.add(ppl, "host")
        ev.places = places
        return ev
    if lem in ("host", "receive", "welcome", "greet"):
        if not dobj and not passive and lem in ("receive", "welcome"):
            dobj = _shifted_object(v)  # "received at Bayan Palace on Sunday the visiting Omani foreign minister"
        if passive:
            guests, hosts = human(subj), human(agent)
        else:
            guests, hosts = dobj, human(subj)
        if lem == "receive" and not passive and any(g.lemma_.lower() in ("credential", "credentials", "letter")
                                                    and any(c.lower_ == "of" for c in g.children) or
                                                    g.lemma_.lower() in ("credential", "credentials") for g in dobj):
            guests = [x for g in dobj for x in _pobjs(g, {"from"})] + _pobjs(v, {"from"})  # credentials ceremony
        guests = [g for g in guests if _is_personish(g) or g.lemma_.lower() in ("delegation", "leaders", "officials")]
        if not guests:
            return None
        if lem == "welcome" and any(c.dep_ in ("xcomp", "ccomp") for c in v.children):
            return None
        if lem == "receive" and any(g.lower_ in ("call", "letter", "message") for g in dobj):
            return None
        ev.add(hosts, "host")
        ev.add(guests, "guest")
        return ev
    if lem in ("call", "phone", "telephone", "ring"):
        if prts & {"off", "in", "up", "out", "back"} and lem == "call":
            if "back" not in prts:
                return None
        if any(c.dep_ == "ccomp" for c in v.children):
            return None
        if lem == "call" and (passive or v.dep_ in ("relcl", "acl")) and not agent and not _pobjs(v, {"on", "upon"}):
            return None  # naming: "the book was called X", "a simulation they call TNG50"
        oprd = [c for c in v.children if c.dep_ == "oprd"]
        if oprd and dobj:
            return None  # "called him a murderer"
        fragment = v.dep_ == "acl" and v.head.dep_ == "ROOT" and v.head.pos_ == "PROPN"
        if oprd and not dobj:
            dobj = [x for c in oprd for x in _conjuncts(c)]
        on = [x for c in v.children if c.dep_ == "prep" and c.lower_ in ("on", "upon") and c.i == v.i + 1
              for o in c.children if o.dep_ == "pobj" for x in _conjuncts(o)] if lem == "call" else []
        if any(c.dep_ == "prep" and c.lower_ == "for" for c in v.children) and not dobj:
            return None
        purpose = _purpose(v)
        if on and dobj and all(o.pos_ == "PROPN" for o in dobj) and any(
                o.left_edge.i == x.i + 1 and x.lower_.strip(".") in TITLE_HEADS for o in dobj for x in on):
            on, dobj = dobj, []  # "called on President Dr. Farooq Ahmed" (the parser splits at "Dr.")
        if on:
            ppl = [o for o in on if _is_personish(o) and o.ent_type_ not in ("GPE", "NORP")]
            if not ppl or dobj:
                return None
            if purpose and purpose not in CONSULT_PURPOSE:
                return None
            ev.add(human(subj), "guest")
            ev.add(ppl, "host")
            ev.lemma = "call on"
            return ev
        ppl = [o for o in dobj if _is_personish(o)]
        if not ppl:
            return None
        # "called him a murderer": the object has a predicative apposition
        for o in ppl:
            if any(c.dep_ == "appos" and c.pos_ == "NOUN" and any(d.lower_ in ("a", "an") for d in c.children)
                   for c in o.children):
                return None
        if v.dep_ in ("acl", "amod") and v.tag_ == "VBN" and not fragment:
            return None  # "a campaign called X"
        if purpose in COURTESY:
            return None  # a congratulation/condolence call reports that act, not a consultation
        if purpose in SUMMONS:
            return None  # "called the minister to testify": a summons, not a call
        ev.add(human(subj), "participant")
        ev.add(ppl, "participant")
        return ev
    if lem == "discuss":
        # the parser often attaches "with X" to the object ("discussed cooperation with X")
        cps = human(with_ + [x for o in dobj for x in _pobjs(o, {"with"})])
        if cps and subj and not any(_is_personish(t) for t in subj + cps):
            return None  # "listeners discussed the budget with the host": no official on either side
        # "the two ministers discussed ...", "the presidents of A and B discussed ...": the subject names both
        if not cps and not (_shared_subject(subj) and not passive):
            # "Campbell and Ma discussed ...", "the Palestinian president and the Jordanian king discussed ..."
            named = [s for s in subj if s.pos_ == "PROPN" or s.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                     or s.lemma_.lower() in TITLE_HEADS]
            if (len(subj) < 2 or len(named) < 2) and not (_call_phrase(v) and human(subj)):
                # "In a telephone call on Monday, A and B discussed ...": the call phrase makes it
                # a consultation even when the parser loses one of the coordinated subjects
                return None
            if _call_phrase(v):
                # the lost first conjunct hangs inside the subject ("Ruto" as nmod of "Hassan")
                cps = human([t for s_ in subj for t in s_.subtree if t is not s_ and t.pos_ == "PROPN"
                             and t.dep_ in ("nmod", "amod", "compound")
                             and any(c.dep_ == "cc" and c.lower_ == "and" for c in t.children)])
                if not cps and len(subj) < 2:
                    return None  # a call with no second party named
        ev.add(human(subj), "participant")
        ev.add(cps, "participant")
        return ev
    return None


# verbs of judgement/stance: "welcomed / praised / condemned the talks between A and B" reports
# the stance (PLOVER SUPPORT / ACCUSE / REJECT), not the meeting; the subject took no part
def collect_participants(ev: Event):
    """(token, role) pairs for an event: own arguments plus the light verb's subject/objects."""
    parts: list[tuple[object, str]] = []

    def add(ts, role):
        for t in ts:
            if all(t is not p for p, _ in parts):
                parts.append((t, role))

    if ev.kind == "verb":
        return list(ev.parts)
    own = ev.own
    named_summit = named_gathering(ev)
    if ev.main and ev.pred is not None:
        subj, passive = _subjects(ev.pred)
        role_s = "host" if ev.pred.lemma_.lower() in ("host", "receive", "welcome") else "participant"
        if passive:
            agent = [x for c in ev.pred.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj" for x in _conjuncts(o)]
            add([t for t in agent if is_human(t)], role_s)
        else:
            add([t for t in subj if is_human(t) and t is not ev.noun], role_s)
        if ev.pred.lemma_.lower() in ("host", "receive", "welcome", "join", "invite"):
            add([x for c in ev.pred.children if c.dep_ == "dobj" and c is not ev.noun for x in _conjuncts(c) if is_human(x)],
                "guest" if role_s == "host" else "participant")
        add([t for t in _pobjs(ev.pred, {"with", "between", "among"} | ({"to"} if ev.lemma == "audience" else set()))
             if is_human(t)], "participant")
    elif named_summit and ev.pred is not None:
        subj, passive = _subjects(ev.pred)
        agent = [x for c in ev.pred.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj" for x in _conjuncts(o)]
        add([t for t in (agent or subj) if is_human(t)], "participant")
    elif setting_of_clause(ev):
        # "The president announced the deal during a meeting with X": the clause's subject was at the meeting
        subj, passive = _subjects(ev.noun.head.head)
        if not passive:
            add([t for t in subj if is_human(t) and t is not ev.noun], "participant")
    if ev.lemma == "visit" or ev.lemma in ("trip", "tour"):
        own = [t for t in own if not is_place(t) or t.dep_ == "poss"]
    add(own, "participant")
    return parts
