"""The decision step: does this sentence report a meeting under the guideline?

Two linear models trained on real, hand-labelled news articles (``meetwire train decide``; docs/extraction.md):
the *lexical* one scores every sentence before any parsing (microseconds a sentence) and never sees a name
(capitalised words become shape tokens such as ``CAP``), so it learns how meetings are reported, not who met; the
*sentence* one decides on a parsed candidate from the lexical score, what the trigger rules read and its entities.
Also here: the party check (``political``), confidence, and the within-article merge.

The weights live in ``models/decide.json`` beside this module (committed, loaded offline); probabilities are
calibrated on held-out folds of the development articles (``learn.py``).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from .lexicon import TITLE_HEADS, country_of

MODEL_PATH = Path(__file__).with_name("models") / "decide.json"

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’.-]*|\d+|[\"“”‘’'()?!;:,-]")
_KEEP_CAPS = {"i", "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "uk", "us", "eu", "un", "nato", "g7", "g8",
              "g20", "opec", "wto", "imf"}
_QUOTE = re.compile(r"[\"“”]")
_MODAL = re.compile(r"\b(?:will|would|shall|'ll|due to|is to|are to|plans? to|planned|expected to|set to|"
                    r"going to|next (?:week|month|year)|tomorrow)\b", re.I)
_NEG = re.compile(r"\b(?:not|never|no|n't|denied|denies|deny)\b", re.I)
_MONTH = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@lru_cache(maxsize=1)
def _common_first() -> frozenset:
    from spacy.lang.en.stop_words import STOP_WORDS

    from .lexicon import HUMAN_NOUNS

    return frozenset(STOP_WORDS) | frozenset(HUMAN_NOUNS) | {
        "talks", "meeting", "meetings", "summit", "negotiations", "visit", "visiting", "speaking", "following",
        "during", "earlier", "later", "last", "next", "despite", "meanwhile", "however", "ahead", "officials"}


def _shape(tok: str, first: bool) -> str:
    low = tok.lower().rstrip(".")
    if low in _MONTH:
        return "DATEWORD"
    if tok[:1].isdigit():
        return "NUM"
    if tok[:1].isupper():
        if low in _KEEP_CAPS or low in TITLE_HEADS:
            return low
        if country_of(tok.rstrip("'’s")):
            return "COUNTRY"
        # a sentence-initial capital is a name unless the word is common: names never become features
        return low if first and low in _common_first() else "CAP"
    return low


def tokens(sentence: str) -> list[str]:
    out: list[str] = []
    for i, m in enumerate(_TOKEN.finditer(sentence)):
        t = _shape(m.group(0), i == 0)
        if t == "CAP" and out and out[-1] == "CAP":
            continue  # a multi-word name is one CAP
        out.append(t)
    return out


def features(sentence: str, position: int = 0) -> list[str]:
    """Unigrams and bigrams of the shaped tokens, plus a few sentence-level cues. ``position`` is not used: a lone
    sentence (PLOVER, an API caller) must score as it would inside an article."""
    toks = tokens(sentence)
    feats = [f"w:{t}" for t in toks]
    feats += [f"b:{a}_{b}" for a, b in zip(toks, toks[1:])]
    n_cap = sum(t == "CAP" for t in toks)
    feats.append(f"ncap:{min(n_cap, 4)}")
    feats.append(f"len:{min(len(toks) // 10, 5)}")
    if _QUOTE.search(sentence):
        feats.append("quote")
    if _MODAL.search(sentence):
        feats.append("modal")
    if _NEG.search(sentence):
        feats.append("neg")
    return feats


class LinearModel:
    """Logistic regression stored as JSON: feature weights, a bias and isotonic calibration steps."""

    def __init__(self, data: dict):
        self.weights: dict[str, float] = data["weights"]
        self.bias: float = data["bias"]
        self.calibration: list[list[float]] = data.get("calibration", [])

    def raw(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) * v for f, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probability(self, feats: dict[str, float]) -> float:
        """Calibrated probability (isotonic steps learned on held-out folds), else the raw score."""
        p = self.raw(feats)
        return _step(self.calibration, p) if self.calibration else p


def _step(steps: list[list[float]], p: float) -> float:
    """The value of isotonic calibration steps ``[[x, y], ...]`` at ``p``."""
    out = steps[0][1]
    for x, y in steps:
        if p >= x:
            out = y
        else:
            break
    return out


def lexical_features(sentence: str, position: int = 0) -> dict[str, float]:
    return {f: 1.0 for f in features(sentence, position)}


class Decider:
    """The two committed models: ``lexical`` scores every sentence before parsing; ``sentence`` decides on a
    parsed candidate from its lexical score, what the trigger rules read, its entities and cues."""

    def __init__(self, data: dict):
        self.data = data
        self.lexical_model = LinearModel(data["lexical"])
        self.sentence_model = LinearModel(data["sentence"])
        self.row_calibration: list[list[float]] = data.get("row_calibration", [])

    def confidence(self, p: float) -> float:
        """A row's confidence: the sentence probability mapped to how often rows of that probability were right
        on the development articles (isotonic steps fitted on out-of-fold rows, ``learn.py``). A sentence can be a
        meeting and its row still wrong (a party misread, another sentence chosen), so rows get their own curve."""
        return round(_step(self.row_calibration, p) if self.row_calibration else p, 3)

    def lexical(self, sentence: str, position: int = 0) -> float:
        return self.lexical_model.probability(lexical_features(sentence, position))

    def sentence(self, feats: dict[str, float]) -> float:
        return self.sentence_model.probability(feats)


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> Decider | None:
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    return Decider(json.loads(p.read_text(encoding="utf-8")))


def default_decider() -> Decider | None:
    return load_model()


# Thresholds on calibrated probabilities, chosen on the development articles (docs/extraction.md): a sentence
# below ``lexical_drop`` is never parsed; one with no meeting cue is parsed from ``lexical_parse``; a parsed
# candidate is a meeting from ``sentence``.
THRESHOLDS = {"lexical_drop": 0.01, "lexical_parse": 0.2, "sentence": 0.3}


_SAID = re.compile(r"\b(?:said|says|told|added|according to)\b", re.I)


def sentence_features(sentence: str, doc, rule_events: list[dict], fallback: dict | None, p_lex: float | None,
                      cue: bool) -> dict[str, float]:
    """Features of a parsed candidate sentence for the second-stage decision."""
    f: dict[str, float] = {"bias_cand": 1.0}
    if p_lex is not None:
        q = min(max(p_lex, 1e-4), 1 - 1e-4)
        f["lex_logit"] = math.log(q / (1 - q))
        f[f"lex_band:{min(int(p_lex * 5), 4)}"] = 1.0
    if cue:
        f["cue"] = 1.0
    if rule_events:
        f["rule"] = 1.0
        f[f"rule_n:{min(len(rule_events), 3)}"] = 1.0
        f["rule_conf"] = max(float(e.get("confidence") or 0.0) for e in rule_events)
        for e in rule_events:
            f[f"rule_trigger:{e.get('trigger')}"] = 1.0
            f[f"rule_status:{e.get('status')}"] = 1.0
            f[f"rule_mode:{e.get('mode')}"] = 1.0
            f[f"rule_salience:{e.get('salience')}"] = 1.0
        best = max(rule_events, key=lambda e: len(e["participants"]))
        kinds = [p.get("kind") for p in best["participants"]]
        f[f"rule_parties:{min(len(kinds), 3)}"] = 1.0
        f[f"rule_named:{min(kinds.count('named'), 2)}"] = 1.0
        if any(p.get("title") for p in best["participants"]):
            f["rule_titled"] = 1.0
        if any(p.get("country") for p in best["participants"]):
            f["rule_country"] = 1.0
    elif fallback is not None:
        f["fallback"] = 1.0
        f[f"fb_parties:{min(len(fallback['participants']), 3)}"] = 1.0
        f[f"fb_trigger:{fallback.get('trigger')}"] = 1.0
        f[f"fb_status:{fallback.get('status')}"] = 1.0
    else:
        f["no_party"] = 1.0
    counts: dict[str, int] = {}
    for ent in doc.ents:
        counts[ent.label_] = counts.get(ent.label_, 0) + 1
    for lab in ("PERSON", "ORG", "GPE", "NORP", "DATE"):
        f[f"ent:{lab}:{min(counts.get(lab, 0), 2)}"] = 1.0
    if any(t.lower_ in TITLE_HEADS and t.lower_ not in ("mr", "mrs", "ms", "dr", "sir") for t in doc):
        f["title_word"] = 1.0
    if _POLITICAL.search(sentence):
        f["political_cue"] = 1.0
    if _CORPORATE.search(sentence):
        f["corporate_cue"] = 1.0
    if sentence.lstrip()[:1] in "\"“‘'":
        f["quote_start"] = 1.0
    if _SAID.search(sentence):
        f["said"] = 1.0
    if _MODAL.search(sentence):
        f["modal"] = 1.0
    if _NEG.search(sentence):
        f["neg"] = 1.0
    return f


_WORD = re.compile(r"[A-Za-z][\w'-]*")
# Technology articles: "Britain's first mobile phone call was made by comedian X", "a Linux summit".
_TECH = re.compile(r"\b(?:software|internet|online|web|website|broadband|computers?|gadgets?|digital|users?|"
                   r"technolog\w*|devices?|chips?|robots?|gam(?:es|ing)|consoles?|downloads?|net|e-?mail|"
                   r"virus|spam|hackers?|apple|microsoft|google|sony)\b", re.I)


def doc_features(text: str) -> dict[str, float]:
    """What the whole article is about, for every candidate sentence of it: in a sport article "X will meet Y" is
    a fixture, in a technology one "a summit" is a trade fair. Rates of sport/show-business, company, technology
    and office words per 100 words, in bands; a text too short to say (a lone sentence) is ``doc:short``."""
    n = len(_WORD.findall(text or ""))
    if n < 80:
        return {"doc:short": 1.0}
    out = {}
    for name, rx in (("leisure", _LEISURE), ("corporate", _CORPORATE), ("tech", _TECH), ("office", _POLITICAL_STRICT)):
        rate = 100.0 * len(rx.findall(text)) / n
        band = 0 if rate == 0 else 1 if rate < 0.5 else 2 if rate < 1 else 3 if rate < 2 else 4
        out[f"doc_{name}:{band}"] = 1.0
    return out


def _pkey(p: dict) -> str | None:
    name = (p.get("name") or "").strip().lower()
    if not name:
        return None
    if p.get("kind") == "named":
        return "p:" + name.split()[-1]
    return "o:" + (p.get("country") or name).lower()


def merge_in_article(events: list[dict]) -> list[dict]:
    """One row per meeting within an article: an event whose parties are all among an earlier event's parties
    (same status, compatible dates) is the same meeting told again; its evidence spans join that event's."""
    out: list[dict] = []
    for ev in events:
        keys = {k for k in map(_pkey, ev["participants"]) if k}
        target = None
        if ev.get("salience") == "model" and out and any(
                _ANAPHOR.match((p.get("name") or "").strip()) for p in ev["participants"]):
            # "Both sides reaffirmed ...", "the two leaders also discussed ...": the meeting told just before
            prev = [e for e in out if e["status"] == ev["status"]]
            main = [e for e in prev if e.get("salience") == "main"]  # not a meeting named in the background
            target = (main or prev)[-1] if prev else None
            if target is not None:
                # the anaphor's own reading of parties, place and date adds nothing: only its evidence and topics
                ev = dict(ev, participants=[], location=None, venue=None, date=None)
                _join(target, ev)
                continue
        for prev in reversed(out):
            pk = {k for k in map(_pkey, prev["participants"]) if k}
            if prev["status"] != ev["status"] or not keys or not pk:
                continue
            if not (keys <= pk or pk <= keys):
                continue
            a, b = prev.get("date"), ev.get("date")
            if a and b and not (a.startswith(b) or b.startswith(a)):
                continue
            target = prev
            break
        if target is None:
            out.append(ev)
            continue
        _join(target, ev)
    return out


_ANAPHOR = re.compile(r"^(?:the |both )?(?:two )?(?:sides|leaders|ministers|men|women|delegations|countries|"
                      r"governments|parties|officials)$", re.I)


def _join(target: dict, ev: dict) -> None:
    """Fold ``ev`` (the same meeting told again) into ``target``."""
    mine = {_pkey(p): p for p in target["participants"]}
    for p in ev["participants"]:
        k = _pkey(p)
        if k not in mine:
            target["participants"].append(p)
            mine[k] = p
        else:  # the same party told again: keep the fuller description
            for f in ("title", "organization", "country"):
                if not mine[k].get(f) and p.get(f):
                    mine[k][f] = p[f]
    target["evidence_spans"] = target["evidence_spans"] + [s for s in ev["evidence_spans"]
                                                           if s not in target["evidence_spans"]]
    for k in ("date", "location", "venue"):
        if not target.get(k) and ev.get(k):
            target[k] = ev[k]
            if k == "date":
                target["date_precision"] = ev.get("date_precision")
                target["date_text"] = ev.get("date_text")
    if target.get("mode") in (None, "unknown") and ev.get("mode"):
        target["mode"] = ev["mode"]
    for k in ("topics", "keywords"):
        for t in ev.get(k) or []:
            if t not in target[k]:
                target[k].append(t)
    target["confidence"] = max(target.get("confidence") or 0.0, ev.get("confidence") or 0.0)


# Company-only talks are not meetings under the guideline unless a political actor takes part.
_CORPORATE = re.compile(r"\b(?:firms?|compan(?:y|ies)|banks?|shares?|shareholders?|bid(?:der)?s?|merger|takeover|"
                        r"stock|exchanges?|carmakers?|airlines?|retailers?|brewers?|chief executive|boss|bosses|"
                        r"chairman|board|investors?|creditors?|rival|deal|alliance|acquisition|buy-?out|plc|"
                        r"inc|corp|group's|giant|club|fans)\b", re.I)
_POLITICAL = re.compile(r"\b(?:minister\w*|government\w*|president\w*|prime|premier|mps?|officials?|parliament\w*|"
                        r"secretary|chancellor|ambassador\w*|envoys?|diplomat\w*|regulators?|commission\w*|"
                        r"council\w*|mayors?|governors?|senators?|congress\w*|party|parties|labour|tory|tories|"
                        r"conservatives?|lib dems?|liberal democrats?|eu|un|nato|wto|imf|g7|g8|g20|opec|"
                        r"ministry|treasury|department|authorit(?:y|ies)|state|states|nations?|countries|"
                        r"leaders?|king|queen|prince|sheikh|embassy|white house|downing street|kremlin|"
                        r"whitehall|unions?|ministerial|summit)\b", re.I)


# Sport and show business: "X will meet Y in the second round", a singer's tour.
_LEISURE = re.compile(r"\b(?:round|semi-?finals?|quarter-?finals?|finals?|match(?:es)?|fixtures?|tournament|"
                      r"championships?|cup|league|grand slam|seeds?|seeded|play-?offs?|derby|innings|striker|coach|"
                      r"squad|goals?|wimbledon|olympics?|singer|band|album|concert|gigs?|tickets|festival|"
                      r"premiere|film|actor|actress|oscars?|grammys?|celebrit(?:y|ies)|rapper|star)\b", re.I)


def political(sentence: str, participants: list[dict]) -> bool:
    """False for a sentence about company business, sport or show business with no political actor in sight
    (the guideline: a non-political party counts only when it meets a political actor)."""
    if _KIN.search(sentence) and len(participants) <= 2:
        return False  # "where he met his future wife": a private encounter, whoever he is
    leisure = bool(_LEISURE.search(sentence))
    if not leisure and any(p.get("kind") == "state" or p.get("country") and p.get("title") for p in participants):
        return True
    if not leisure and not _CORPORATE.search(sentence):
        return True
    text = sentence + " " + " ".join(str(p.get("title") or "") + " " + str(p.get("name") or "")
                                     for p in participants)
    return bool(_POLITICAL_STRICT.search(text) if leisure else _POLITICAL.search(text))


# One's spouse, partner-to-be, child or friend: an encounter with them is private (not "partners": coalition and
# trading partners are political; not "family": a victim's family meeting a minister counts).
_KIN = re.compile(r"\b(?:his|her|their|whose)\s+(?:(?:future|late|then|new|former|young|eldest|youngest|"
                  r"elder|old)\s+)?(?:wife|husband|girlfriend|boyfriend|fianc[eé]e?|spouse|sons?|daughters?|mother|"
                  r"father|parents|brothers?|sisters?|children|friends?)\b", re.I)


# In sport and show business, "leaders", "state" or "union" say little: only offices count.
_POLITICAL_STRICT = re.compile(r"\b(?:minister\w*|government\w*|president\w*|prime minister|premier|mps?|"
                               r"parliament\w*|secretary|chancellor|ambassador\w*|envoys?|diplomat\w*|mayors?|"
                               r"governors?|senators?|congress\w*|ministry|embassy|white house|downing street|"
                               r"kremlin|whitehall)\b", re.I)
