"""Participants: turn a parsed argument into a person/organisation/descriptive mention,
and resolve surnames, pronouns and title-only mentions within one article."""

from __future__ import annotations

import re

from .lexicon import (
    HONORIFICS, HUMAN_NOUNS, TITLE_HEADS, TITLE_MODIFIERS, country_of, org_for_title,
)

# "his": the owner of "his call with X" is a party of the call
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "we", "us", "who", "whom"}
_NAME_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "di", "van", "von", "der", "la", "le", "abu", "du", "dos", "ul"}
_LEFT_DEPS = {"compound", "nmod", "amod", "poss", "det", "case", "punct", "flat", "nummod", "quantmod", "cc", "conj"}
_BAD_HEADS = {"reporters", "journalists", "media", "press", "newsmen", "correspondents", "crowd", "audience", "public"}
_NON_NAME = {"the", "a", "an", "his", "her", "their", "its", "our", "your", "former", "late", "then"}


def is_human(tok) -> bool:
    """Can this token head a participant (person, organisation, state, group)?"""
    low = tok.lower_
    if low in _BAD_HEADS:
        return False
    if tok.pos_ == "PRON":
        return low in PRONOUNS
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.lemma_.lower() in HUMAN_NOUNS or low in HUMAN_NOUNS:
        return True
    if tok.pos_ == "PROPN":
        return True
    return False


def is_place(tok) -> bool:
    return tok.ent_type_ in ("GPE", "LOC", "FAC") and tok.ent_type_ != "PERSON" and not any(
        t.lower_ in HUMAN_NOUNS for t in tok.subtree)


def _title_like(tok) -> bool:
    w = tok.lower_.strip(".")
    return w in TITLE_HEADS or w in TITLE_MODIFIERS or w in HONORIFICS


_EVENT_APPOS = {"encounter", "meeting", "visit", "talks", "summit", "trip", "call", "conversation", "first"}


def _mention_tokens(head):
    """Tokens forming the noun phrase of ``head``: left modifiers (+ 'of' PPs of titles, appositions)."""
    toks = {head}
    for c in head.children:
        if c.i < head.i and c.dep_ in _LEFT_DEPS - {"cc", "conj"}:
            toks.update(c.subtree)
        elif c.i > head.i and c.dep_ == "prep" and c.lower_ in ("of", "for") and _title_like(head):
            # "the head of X's council and Y leaders": a plural title conjunct inside the phrase is another
            # party the parser attached here, not part of this one's title
            other = [t for t in c.subtree if t.dep_ == "conj" and t.tag_ == "NNS" and _title_like(t)]
            cut = {x.i for o in other for x in o.subtree} | {x.i for o in other for x in o.head.children
                                                             if x.dep_ == "cc" and x.i < o.i}
            toks.update(t for t in c.subtree if t.i not in cut)
        elif c.dep_ in ("appos",) and c.lemma_.lower() not in _EVENT_APPOS:  # not "…, a historic encounter"
            toks.update(t for t in c.subtree if not (t.dep_ == "relcl" or t.dep_ == "acl"))
        elif c.i > head.i and c.dep_ in ("compound", "flat"):
            toks.update(c.subtree)
    # "the Organization of African Unity": an organisation's name runs on through its "of" phrase
    if head.ent_type_ == "ORG" and head.pos_ == "PROPN":
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None and ent.label_ == "ORG" and ent.end - 1 > head.i and ent.end - ent.start <= 8 and any(
                t.lower_ == "of" for t in ent[head.i - ent.start + 1:]):
            toks.update(t for t in ent if t.i > head.i)
    # drop a trailing relative/acl material and parentheses contents that are abbreviations
    return sorted(toks, key=lambda t: t.i)


def _name_run(tokens, head):
    """Longest run of name-like PROPN tokens containing or next to ``head``."""
    def namey(t):
        if t.lower_ in _NAME_PARTICLES and t.i != head.i:
            return True
        if t.pos_ != "PROPN" and not (t.ent_type_ == "PERSON" and t.text[:1].isupper()):
            return False
        if _title_like(t) and t.ent_type_ != "PERSON":
            return False
        if country_of(t.text) and t.ent_type_ != "PERSON":
            return False
        if t.text == "-" and t.i > 0 and not t.whitespace_ and not t.doc[t.i - 1].whitespace_:
            return True  # "Lee Nak-yon"
        if t.text in ("-", "(", ")"):
            return False
        return t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES

    idx = {t.i: t for t in tokens}
    runs = []
    for start_tok in tokens:
        if not namey(start_tok) or (start_tok.i - 1 in idx and namey(idx[start_tok.i - 1])):
            continue
        run = [start_tok]
        j = start_tok.i + 1
        while j in idx and namey(idx[j]):
            run.append(idx[j])
            j += 1
        while run and (run[-1].lower_ in _NAME_PARTICLES or run[-1].text == "-"):
            run.pop()
        while run and run[0].lower_ in _NAME_PARTICLES:
            run.pop(0)
        if run:
            runs.append(run)
    if not runs:
        return []
    with_head = [r for r in runs if any(t.i == head.i for t in r)]
    if with_head:
        return with_head[0]
    # a title head with an apposed name ("the PRC's director-general, Hong Liang")
    ok = [r for r in runs if any(t.ent_type_ == "PERSON" for t in r) or any(t.dep_ == "appos" or t.head.dep_ == "appos" for t in r)]
    return max(ok, key=len) if ok else []


def _clean(s: str) -> str:
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s+([,.;:’'])", r"\1", s)
    s = re.sub(r"\(\s*\)", "", s)
    return s.strip(" ,;:-—–")


def _join(toks) -> str:
    out = ""
    prev = None
    for t in toks:
        if prev is not None:
            out += prev.whitespace_ if t.i == prev.i + 1 else " "
        out += t.text
        prev = t
    return _clean(out)


def build_mention(head, min_i: int = 0) -> dict | None:
    """Describe the participant headed by ``head`` (tokens before ``min_i`` are not part of it)."""
    if head.pos_ == "PRON":
        return {"kind": "pronoun", "text": head.text, "name": None, "title": None,
                "organization": None, "country": None, "start": head.idx, "end": head.idx + len(head),
                "plural": head.lower_ in ("they", "them", "we", "us")}
    toks = [t for t in _mention_tokens(head) if t.i >= min_i]
    if min_i:
        # a rebuilt fragment: the head is the sentence root, so keep its "of" phrase and
        # nothing after ("leaders of six states | in Nairobi for a summit")
        ofs = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > head.i]
        if ofs:
            toks = sorted(set(toks) | set(ofs[0].subtree), key=lambda t: t.i)
        stop = {"in", "for", "at", "on", "during", "to", "with"}
        toks = [t for t in toks if not any(a.dep_ == "prep" and a.lower_ in stop and a.i > head.i
                                           for a in [t] + list(t.ancestors) if a.i >= min_i)]
    name_toks = _name_run(toks, head)
    name_set = {t.i for t in name_toks}
    # tokens inside "of"/"for" phrases of a title ("secretary of state for China and Taiwan")
    pp_ids = set()
    for t in toks:
        if t.dep_ == "prep" and t.lower_ in ("of", "for") and t.head.i not in name_set:
            pp_ids.update(x.i for x in t.subtree)
    org = None
    country = None
    country_ids = set()
    pp_country = None
    for t in toks:
        if t.i in name_set:
            continue
        c = country_of(t.text)
        ids = {t.i}
        if c is None and t.ent_type_ == "GPE" and t.ent_iob_ == "B":
            ent = next((e for e in t.doc.ents if e.start == t.i), None)
            if ent is not None and len(ent) > 1:
                c = country_of(ent.text)
                ids = {x.i for x in ent}
        if not c:
            continue
        if t.i in pp_ids:
            pp_country = pp_country or c
            continue
        country = country or c
        country_ids.update(ids)
        # the possessive marker of "China's"
        for x in t.children:
            if x.dep_ == "case":
                country_ids.add(x.i)
    if country is None and pp_country and any(t.lower_ in ("kingdom", "republic", "state", "emirate") for t in toks if t.i in pp_ids):
        country = pp_country
    # organisation named on the left ("White House national security adviser")
    for e in head.doc.ents:
        if e.label_ == "ORG" and all(t in toks for t in e) and not any(t.i in name_set for t in e) \
                and not any(t.i in pp_ids for t in e) and e.end <= head.i + 1 and not any(_title_like(t) for t in e):
            if e.root.i == head.i and not name_toks:
                org = e.text
                break
            if e.end <= head.i:
                org = e.text
                break
    org_ids = set()
    if org:
        for e in head.doc.ents:
            if e.text == org and all(t in toks for t in e):
                org_ids = {t.i for t in e}
    name = _join(name_toks) or None
    title_toks = [t for t in toks if t.i not in name_set and t.i not in country_ids and t.i not in org_ids
                  and t.dep_ not in ("det", "case") and t.lower_ not in _NON_NAME and t.lower_ != "visiting"
                  and t.lower_ not in ("'s", "’s", "(", ")")]
    # cut at the apposition boundary comma and drop leading/trailing function words
    title = None
    if any(t.lower_.strip(".") in TITLE_HEADS for t in title_toks):
        # keep the longest contiguous block that contains a title head
        blocks, cur = [], []
        bridge = country_ids | org_ids
        for t in title_toks:
            gap = range(cur[-1].i + 1, t.i) if cur else range(0)
            if cur and (any(g not in bridge for g in gap) or t.text == ","):
                blocks.append(cur)
                cur = []
            if t.text != ",":
                cur.append(t)
        if cur:
            blocks.append(cur)
        blocks = [b for b in blocks if any(t.lower_.strip(".") in TITLE_HEADS for t in b)]
        if blocks:
            blk = max(blocks, key=len)
            while blk and blk[-1].lower_ in ("of", "for", "and", ",", "-", "the"):
                blk = blk[:-1]
            while blk and blk[0].lower_ in ("of", "for", "and", ",", "-"):
                blk = blk[1:]
            title = _join(blk) or None
            if title and title.lower().strip(".") in HONORIFICS:
                title = None
    text = _join([t for t in toks if (t.dep_ != "det" or t.i > head.i) and not (t.lower_ == "visiting" and t.i < head.i)])
    # "visiting X", "X, who is visiting Ankara", "met (with) visiting X": X is the guest
    visiting = any(t.lower_ == "visiting" and t.i < head.i for t in toks) or (
        head.dep_ == "dobj" and head.head.lower_ == "visiting") or any(
        c.dep_ == "relcl" and c.lemma_.lower() == "visit" and any(
            s.dep_ == "nsubj" and s.lower_ in ("who", "that") for s in c.children) for c in head.children)
    kind = "named" if name else "descriptive"
    if name and head.ent_type_ in ("ORG", "NORP") and not any(t.ent_type_ == "PERSON" for t in name_toks) \
            and any(t.lower_ in ORGISH for t in toks):
        kind = "org"
        name = _join([t for t in toks if t.dep_ != "det" and t.lower_ not in ("'s", "’s")])
    if not name:
        c_self = country_of(head.text, allow_city=False)
        if (c_self and head.pos_ == "PROPN") or (head.ent_type_ == "GPE" and not title):
            kind = "state"
            name = c_self or head.text
            country = country or c_self
        elif head.ent_type_ in ("ORG",) or head.pos_ == "PROPN":
            kind = "org"
            name = text
        else:
            name = re.sub(r"^(?:the|a|an|his|her|their|its)\s+", "", text, flags=re.I)
    if org is None:
        org = org_for_title(title, country)
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t) for t in toks)
    return {"kind": kind, "text": text, "name": name, "title": title, "organization": org,
            "country": country, "start": start, "end": end, "visiting": visiting,
            "plural": head.tag_ in ("NNS", "NNPS"), "definite": any(t.lower_ == "the" for t in head.children)}


ORGISH = {"union", "organization", "organisation", "league", "council", "party", "nations", "commission",
          "committee", "ministry", "department", "forum", "association", "federation", "front", "movement",
          "alliance", "opec", "nato", "government", "parliament", "assembly", "court", "bank", "fund"}


def split_distributive(head) -> list[dict] | None:
    """"U.S. and China defense chiefs" -> two descriptive mentions, one per country."""
    if head.tag_ not in ("NNS",):
        return None
    mods = [c for c in head.children if c.i < head.i and c.dep_ in ("nmod", "compound", "amod", "poss")]

    def ctry(t):
        c = country_of(t.text)
        if c:
            return c
        ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
        if ent is not None and country_of(ent.text):
            return country_of(ent.text)
        return country_of(_join(list(t.subtree)))

    # "officials from the United States and the People's Republic of China"
    for p in head.children:
        if p.dep_ == "prep" and p.lower_ in ("from", "of"):
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                conj = [o] + list(o.conjuncts)
                cs = [ctry(t) for t in conj]
                if len(conj) >= 2 and all(cs):
                    left = [t for t in head.subtree if t.i < head.i and t.dep_ != "det" and not t.is_space]
                    noun = " ".join([t.text for t in left] + [head.lemma_])
                    return [{"kind": "descriptive", "text": f"{c} {noun}", "name": f"{c} {noun}",
                             "title": noun if any(w in TITLE_HEADS for w in noun.lower().split()) else None,
                             "organization": None, "country": c, "start": head.idx,
                             "end": o.idx + len(o), "plural": False, "definite": False} for c in cs]
    for m in mods:
        conj = [m] + list(m.conjuncts)
        countries = [ctry(t) for t in conj]
        if len(conj) >= 2 and all(countries):
            rest = [t for t in head.subtree if t.i > max(x.i for x in conj) and t.i < head.i and t not in conj
                    and t.dep_ != "case"]
            noun = " ".join([t.text for t in rest] + [head.lemma_])
            out = []
            for t, c in zip(conj, countries):
                out.append({"kind": "descriptive", "text": f"{t.text} {noun}", "name": f"{t.text} {noun}",
                            "title": noun if any(w in TITLE_HEADS for w in noun.lower().split()) else None,
                            "organization": None, "country": c, "start": t.idx,
                            "end": head.idx + len(head), "plural": False, "definite": False})
            return out
    # "government and opposition delegates", "Tshisekedi and M23 envoys": one mention per side
    if head.lower_ in _SPLIT_PLURALS:
        for m in mods:
            conj = [m] + list(m.conjuncts)
            if len(conj) < 2 or m.dep_ not in ("nmod", "compound", "amod"):
                continue
            out = []
            for t in conj:
                if t.ent_type_ == "PERSON" and t.pos_ == "PROPN":
                    pm = build_mention(t)
                    if pm:
                        pm = dict(pm)
                        pm.pop("_split", None)
                        out.append(pm)
                    continue
                words = [x for x in t.subtree if x.dep_ not in ("cc", "conj", "det", "punct") or x is t]
                words = [x for x in words if x.i <= t.i or x.head is t and x.dep_ != "conj"]
                words = [x for x in words if not any(x in c.subtree for c in t.children if c.dep_ == "conj")]
                label = _join(sorted(words, key=lambda x: x.i))
                c = ctry(t) or next((country_of(x.text) for x in words if country_of(x.text)), None)
                noun = head.lower_
                out.append({"kind": "descriptive", "text": f"{label} {noun}", "name": f"{label} {noun}",
                            "title": noun if noun in TITLE_HEADS else None, "organization": None,
                            "country": c, "start": t.idx, "end": head.idx + len(head), "plural": True,
                            "definite": False})
            return out
    return None


_SPLIT_PLURALS = {"delegates", "representatives", "negotiators", "delegations", "officials", "envoys",
                  "emissaries", "leaders", "ministers", "diplomats", "commanders", "teams"}


# ---------------------------------------------------------------- coreference

def name_key(name: str) -> str:
    """Canonical key for a person name: lower-case, no initials/punctuation."""
    parts = [p for p in re.split(r"[\s.]+", name.lower()) if p]
    parts = [p for p in parts if len(p) > 1 and p not in HONORIFICS]
    return " ".join(parts)


class ArticleActors:
    """Registry of the people named so far in one article (for coreference)."""

    def __init__(self):
        self.people: list[dict] = []  # full mentions, in text order
        self.last_person: dict | None = None
        # set by read_sentences: the article-wide person index (parties.PersonIndex) and where the sentence being
        # read starts, so a pronoun is resolved by what precedes it, not by the last name the article registered
        self.index = None
        self.offset = 0

    def register(self, m: dict) -> None:
        if m.get("kind") != "named" or not m.get("name"):
            return
        key = name_key(m["name"])
        for p in self.people:
            if name_key(p["name"]) == key or (len(key.split()) > 1 and set(key.split()) > set(name_key(p["name"]).split())):
                # longer form wins; keep the most informative title
                if len(m["name"]) > len(p["name"]):
                    p["name"] = m["name"]
                for f in ("title", "country", "organization"):
                    if m.get(f) and (not p.get(f) or (f == "title" and len(m[f]) > len(p[f]))):
                        p[f] = m[f]
                self.last_person = p
                return
        self.people.append(dict(m))
        self.last_person = self.people[-1]

    def resolve(self, m: dict) -> dict:
        """Map a surname, pronoun or title-only mention to a registered person."""
        kind = m.get("kind")
        if kind == "pronoun":
            if m.get("plural"):
                return m
            if self.index is not None:
                p = self.index.resolve(self.offset + int(m.get("start") or 0))
                return self._merge(m, p) if p else m
            if self.last_person is None:
                return m
            return self._merge(m, self.last_person)
        if kind == "named" and m.get("name"):
            toks = name_key(m["name"]).split()
            if len(toks) == 1:
                hits = [p for p in self.people if toks[0] in name_key(p["name"]).split()
                        and len(name_key(p["name"]).split()) > 1]
                if len({name_key(p["name"]) for p in hits}) == 1:
                    return self._merge(m, hits[0])
            else:
                key = name_key(m["name"])
                for p in self.people:
                    pk = name_key(p["name"])
                    if pk != key and set(pk.split()) > set(key.split()):
                        return self._merge(m, p)
                    if pk != key and set(key.split()) > set(pk.split()):
                        break
            return m
        if kind == "descriptive" and m.get("definite") and not m.get("plural"):
            # "the Deputy Secretary", "the American diplomat"
            words = [w for w in re.split(r"\W+", (m.get("name") or "").lower()) if w]
            heads = [w for w in words if w in TITLE_HEADS]
            if not heads:
                return m
            hits = []
            for p in self.people:
                t = (p.get("title") or "").lower()
                if m.get("country") and p.get("country") != m.get("country"):
                    continue  # "the president of Ukraine" is not the article's other president
                desc_words = [w for w in words if w in TITLE_HEADS or w in TITLE_MODIFIERS]
                if t and all(w in t.split() for w in desc_words if w not in ("top", "senior")):
                    hits.append(p)
                elif heads[-1] in ("diplomat", "official", "leader") and m.get("country") and p.get("country") == m.get("country"):
                    hits.append(p)
            if len({name_key(p["name"]) for p in hits}) == 1:
                return self._merge(m, hits[-1])
        return m

    @staticmethod
    def _merge(m: dict, p: dict) -> dict:
        out = dict(m)
        out["kind"] = "named"
        out["name"] = p["name"]
        for f in ("title", "country", "organization"):
            if not out.get(f) or f == "title":
                out[f] = p.get(f) or out.get(f)
        out["coref"] = m.get("text")
        return out
