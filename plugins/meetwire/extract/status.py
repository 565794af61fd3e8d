"""Status of a meeting mention (occurred / planned / cancelled) from the parse:
tense and modal auxiliaries, negation, governing verbs ("agreed to", "refused to")
and modifiers of event nouns ("the expected meeting", "ahead of the summit")."""

from __future__ import annotations

OCCURRED, PLANNED, CANCELLED = "occurred", "planned", "cancelled"

FUTURE_AUX = {"will", "wo", "'ll", "shall", "would", "may", "might", "could", "can", "should",
              "must", "ought", "ca", "gon"}
# verbs/adjectives that put an infinitive complement in the future
FUTURE_GOV = {
    "agree", "plan", "expect", "want", "hope", "seek", "intend", "schedule", "set", "prepare",
    "aim", "propose", "offer", "invite", "ask", "urge", "call", "promise", "vow", "pledge",
    "decide", "arrange", "try", "attempt", "wish", "need", "likely", "due", "slate", "poise",
    "ready", "willing", "eager", "keen", "threaten", "request", "demand", "push", "press",
    "encourage", "consider", "mull", "look", "able", "prepared", "expected", "scheduled",
    "planned", "supposed", "bid", "effort", "plan", "invitation", "opportunity", "chance",
    "proposal", "offer", "readiness", "willingness", "intention", "desire", "call", "request",
    "suggest", "recommend", "tell", "allow", "permit", "welcome", "support", "back", "go",
    "ability", "right", "order", "bound", "poised", "is", "be",
}
CANCEL_GOV = {
    "refuse", "decline", "fail", "cancel", "reject", "avoid", "postpone", "scrap", "abandon",
    "halt", "stop", "suspend", "deny", "boycott", "skip", "snub", "delay", "rule", "end",
    "call off", "break", "quit", "shun", "balk", "forgo", "forego", "spurn", "oppose", "refusal",
    "unable", "unwilling", "reluctant",
}
# verbs whose object event noun is cancelled / planned
CANCEL_OBJ = {"cancel", "postpone", "reject", "refuse", "boycott", "skip", "suspend", "halt", "end",
              "scrap", "abandon", "snub", "delay", "shun", "decline", "quit", "freeze", "stall",
              "break", "call", "pull", "walk", "terminate", "adjourn", "jeopardize", "derail",
              "torpedo", "block", "sabotage", "threaten", "oppose", "pause"}
PLAN_OBJ = {"demand", "request", "seek", "propose", "urge", "invite", "offer", "want", "suggest",
            "plan", "schedule", "arrange", "prepare", "announce", "agree", "expect", "await",
            "call", "support", "back", "welcome", "push", "press", "favor", "favour", "consider",
            "discuss", "set", "organize", "organise", "confirm", "accept", "anticipate", "eye",
            "reschedule", "rearrange", "reconvene"}
PLANNED_MODS = {"planned", "upcoming", "expected", "proposed", "scheduled", "forthcoming", "possible",
                "potential", "future", "prospective", "next", "anticipated", "mooted", "likely",
                "coming", "imminent", "impending", "awaited", "long-awaited", "slated", "intended",
                "projected", "contemplated", "envisaged", "requested"}
CANCEL_MODS = {"cancelled", "canceled", "postponed", "aborted", "scrapped", "called-off", "suspended",
               "failed", "stalled", "abandoned", "delayed"}
PLANNED_PREPS = {"ahead", "before", "eve", "prior", "preparation", "preparations", "run-up", "advance"}
MOTION = {"stop", "come", "go", "travel", "arrive", "fly", "head", "drop", "return", "visit", "call",
          "phone", "telephone", "use", "meet", "sit", "gather", "convene"}
_DUE = {"due", "expected", "scheduled", "set", "slated", "likely", "poised", "ready", "unlikely", "eager", "keen"}
# infinitives that a "called on X to ..." request asks for (not the purpose of a courtesy call)
_REQUESTED = {"resume", "return", "restart", "reopen", "hold", "start", "begin", "launch", "enter",
              "engage", "continue", "seek", "pursue", "open"}
DENY = {"deny", "dismiss", "refute", "reject", "disprove", "contest"}
NEG = {"not", "n't", "never", "no", "neither", "nor", "without"}


def _neg(tok) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children)


def _aux(tok) -> str | None:
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX:
            return c.lower_
        if c.dep_ == "aux" and c.lower_ == "going":
            return "going"
    return None


_HEARSAY = {"report", "reports", "rumour", "rumours", "rumor", "rumors", "claim", "claims", "allegation",
            "allegations", "speculation", "suggestion", "suggestions"}


def verb_status(pred) -> str:
    """Status of a verbal predicate (the meeting verb or the light verb)."""
    tok = pred
    seen = 0
    while tok is not None and seen < 6:
        seen += 1
        if _neg(tok):
            return CANCELLED
        a = _aux(tok)
        if a:
            return PLANNED
        if any(c.dep_ in ("acomp", "oprd") and c.lower_ in _DUE for c in tok.children):
            return PLANNED  # "Baker is due in Jerusalem for talks"
        # "is to meet": be + to-infinitive
        if tok.dep_ == "xcomp" or (tok.dep_ in ("advcl", "acl", "relcl", "ccomp", "conj", "pcomp")):
            head = tok.head
            lem = head.lemma_.lower()
            has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            if tok.dep_ == "conj":
                if (tok.tag_ == "VB" and head.tag_ in ("VBD", "VBZ", "VBP", "VBN")
                        and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children)
                        and any(x.lower_ == "to" and x.dep_ == "aux" for x in tok.doc[head.i + 1:tok.i])):
                    # "urged X to de-escalate and hold talks" with the infinitive misattached:
                    # a bare verb coordinated after a "to" belongs to the requested infinitive
                    return PLANNED
                if tok.tag_ in ("VBD", "VBZ") and head.tag_ == "VB" and head.dep_ in ("xcomp", "advcl", "ccomp") \
                        and not _aux(tok):
                    # "urged them to reconsider and held talks the next day": a finite verb is
                    # coordinated with the main clause, not with the infinitive
                    tok = head.head
                    continue
                tok = head
                continue
            if tok.dep_ in ("xcomp", "ccomp", "acl", "advcl", "pcomp") and has_to:
                if lem == "call" and any(c.dep_ == "prep" and c.lower_ == "on" for c in head.children) \
                        and tok.lemma_.lower() in _REQUESTED:
                    return PLANNED  # "called on A and B to resume negotiations": a request
                if (tok.dep_ == "advcl" or lem == "stop") and lem in MOTION:
                    tok = head  # "stopped by the meeting to greet X": purpose of a movement
                    continue
                if tok.dep_ != "advcl" and (lem in CANCEL_GOV or _phrasal(head) in CANCEL_GOV):
                    return CANCELLED
                if lem in FUTURE_GOV or head.pos_ in ("NOUN", "ADJ") or tok.dep_ in ("advcl",):
                    # infinitive of purpose / intention / invitation: not (yet) happened
                    if lem in ("manage", "continue", "begin", "start", "happen", "use", "go on", "proceed"):
                        tok = head
                        continue
                    return PLANNED
                if lem in ("manage", "continue", "begin", "start", "happen", "proceed", "travel", "arrive",
                           "come", "fly", "go", "head", "visit", "meet", "call", "phone", "use"):
                    tok = head
                    continue
                return PLANNED
            if tok.dep_ == "pcomp" and head.lower_ in ("before", "ahead", "without"):
                return CANCELLED if head.lower_ == "without" else PLANNED
            if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBG":
                return OCCURRED
            if tok.dep_ == "xcomp" and tok.tag_ == "VBG":
                if lem in CANCEL_GOV:
                    return CANCELLED
                if lem in ("consider", "mull", "plan", "contemplate"):
                    return PLANNED
            if tok.dep_ == "ccomp" and lem in DENY:
                return CANCELLED  # "Moscow denied that its officials had met the Taliban"
            if tok.dep_ in ("acl", "ccomp") and lem in _HEARSAY and head.head is not head \
                    and head.head.lemma_.lower() in DENY:
                return CANCELLED  # "denied reports that the minister had secretly met Israeli officials"
            if tok.dep_ == "ccomp" and tok.tag_ in ("VB", "VBP") and lem in ("let", "allow", "permit", "make", "help"):
                tok = head  # "refused to let the envoy meet the detained leader": the governor of "let" decides
                continue
            if tok.dep_ in ("ccomp", "relcl", "advcl", "acl", "xcomp"):
                # reported or subordinate clause keeps its own tense; stop here
                if tok.tag_ in ("VB",) and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
                    return PLANNED if tok.dep_ != "ccomp" else OCCURRED
                return OCCURRED
        break
    if pred.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in pred.children) and pred.dep_ == "ROOT":
        return OCCURRED  # headline/caption style
    return OCCURRED


def _phrasal(tok) -> str:
    prt = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    return f"{tok.lemma_.lower()} {prt[0]}" if prt else tok.lemma_.lower()


def noun_status(noun, pred=None) -> str:
    """Status of an event noun ("talks", "meeting") given its governing predicate."""
    for c in noun.children:
        if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in CANCEL_OBJ | {"cancel", "postpone", "call"} and (
                c.lemma_.lower() != "call" or any(p.lower_ == "off" for p in c.children)):
            return CANCELLED  # "a meeting ... that was canceled"
        if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in PLANNED_MODS:
            return PLANNED
        if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in CANCEL_MODS:
            return CANCELLED
        if c.dep_ == "det" and c.lower_ == "no":
            return CANCELLED
    # walk up prepositions: "ahead of the meeting", "on the eve of a visit"
    t = noun
    for _ in range(4):
        if t.dep_ in ("pobj", "pcomp") and t.head.dep_ == "prep":
            p = t.head
            if p.lower_ in PLANNED_PREPS or (p.head.lower_ in PLANNED_PREPS) or p.lower_ in ("before",):
                return PLANNED
            t = p.head
            if t.lower_ in PLANNED_PREPS:
                return PLANNED
            if t.pos_ == "NOUN" and t.lemma_.lower() in ("eve", "run-up", "preparation", "prelude", "precondition", "condition"):
                return PLANNED
            if p.lower_ in ("for", "towards", "toward") and pred is None:
                return PLANNED  # "pave the way for talks", "a push for a summit"
            if t.pos_ in ("VERB", "AUX"):
                break
        else:
            break
    if pred is not None:
        st = verb_status(pred)
        if st != OCCURRED:
            return st
    return OCCURRED


# ---- sentence-level refinement of a finished event's status (real articles; docs/extraction.md "status")
import re as _re

_EVENT_WORD = _re.compile(r"\b(?:meet(?:s|ing|ings)?|met|talks|summit|visit(?:s|ed|ing)?|trip|tour|negotiations?|"
                          r"conference|session|discussions?|call)\b", _re.I)
_PLAN_LEFT = _re.compile(r"(?:\bahead of|\bbefore|\bnext (?:week|month|year)'s|\bupcoming|\bforthcoming|\bfuture|"
                         r"\bplanned|\bproposed|\bexpected|\bscheduled|\bwill(?: \w+){0,3}|\bdue to(?: \w+){0,2}|"
                         r"\b(?:is|are) to(?: \w+){0,2}|\bwhen (?:it|they|he|she|the \w+) |"
                         r"\bat (?:a|an|the|its) (?:January|February|March|April|May|June|July|August|September|"
                         r"October|November|December) |"
                         r"\b(?:hopes?|plans?|wants?|agreed|aims?) to(?: \w+){0,2}|\bto open|\bto start|\bto begin|"
                         r"\bwill next|\bare next|\bis next)\s*$", _re.I)
_PLAN_RIGHT = _re.compile(r"^\w*\s+(?:to be held|will|is due|are due|is expected|are expected|next (?:week|month|year)|"
                          r"later this|due to|is set|are set)\b", _re.I)
_PROGRESSIVE = _re.compile(r"\b(?:is|are) (?:\w+ ){0,2}?(?:meeting|holding|hosting|visiting|being hosted|being held)\b"
                           r"(?=[^.;]{0,60}\b(?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                           r"next|tomorrow|later|this (?:week|month|weekend)))", _re.I)
_CANCEL_NEAR = _re.compile(r"\b(?:cancel\w*|postpon\w*|called off|call off|scrap\w*|abandon\w*|pulled out|"
                           r"boycott\w*|snubb\w*|put off|delay\w*)\b", _re.I)


def refine_status(status: str, sentence: str, from_rules: bool = True, trigger: str | None = None) -> str:
    """Adjust an event's status from cues around its meeting words: "ahead of its meeting", "next week's
    summit", "when it meets in April", "are meeting on Thursday" are planned; a cancel word far from any
    meeting word ("to cancel the debt") does not cancel the trip."""
    words = list(_EVENT_WORD.finditer(sentence))
    if from_rules:
        # the rules read the clause of their own trigger: only a noun trigger's own mentions are looked at
        stem = (trigger or "")[:4].lower()
        if not stem or stem in ("meet", "talk", "visi", "call") and trigger in ("meet", "talk", "visit", "call"):
            return status
        words = [m for m in words if m.group(0).lower().startswith(stem)]
    if status == CANCELLED and not from_rules and words and not any(
            _CANCEL_NEAR.search(sentence[max(0, m.start() - 40): m.end() + 40]) for m in words):
        status = OCCURRED
    if status != OCCURRED:
        return status
    if _PROGRESSIVE.search(sentence):
        return PLANNED
    for m in words:
        left = sentence[max(0, m.start() - 40): m.start()]
        if _PLAN_LEFT.search(left) or _PLAN_RIGHT.match(sentence[m.start():m.end() + 40]):
            past = _re.search(r"\b(?:after|following|during|last|earlier|had|has|have|was|were|already)\b[^,;]*$",
                              left, _re.I)
            if not past:
                return PLANNED
    return status
