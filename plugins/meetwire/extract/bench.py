"""Side-by-side timing: bare spaCy ``nlp.pipe`` over full texts vs ``extract_events``."""

from __future__ import annotations

import time

from .core import extract_events
from .cues import is_candidate, split_sentences
from .nlp import get_nlp


def bench_extract(texts: list[str], published_at=None, batch_size: int = 64, repeat: int = 3) -> dict:
    """Time both paths in one run on the same texts and return timings and their ratio.

    Each path is run ``repeat`` times, interleaved, and the fastest run of each is kept
    (the usual way to keep machine noise out of a micro-benchmark).
    ``ratio`` = extract seconds / bare spaCy seconds (the target is < 0.2).
    """
    texts = [t for t in texts if t and t.strip()]
    nlp = get_nlp()
    # warm-up both paths so model loading / first-call costs are not measured
    list(nlp.pipe(["Warm-up sentence: the ministers met in Paris."]))
    extract_events("The ministers met in Paris on Monday.")

    bare = bare_cpu = ext = ext_cpu = float("inf")
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        n_tokens = 0
        for doc in nlp.pipe(texts, batch_size=batch_size):
            n_tokens += len(doc)
        bare, bare_cpu = min(bare, time.perf_counter() - t0), min(bare_cpu, time.process_time() - c0)

        t0, c0 = time.perf_counter(), time.process_time()
        n_events = 0
        for t in texts:
            n_events += len(extract_events(t, published_at))
        ext, ext_cpu = min(ext, time.perf_counter() - t0), min(ext_cpu, time.process_time() - c0)

    n_sent = n_cand = cand_chars = 0
    for t in texts:
        for s, e in split_sentences(t):
            n_sent += 1
            if is_candidate(t[s:e]):
                n_cand += 1
                cand_chars += e - s
    total_chars = sum(len(t) for t in texts)
    return {
        "texts": len(texts),
        "repeat": repeat,
        "chars": total_chars,
        "tokens": n_tokens,
        "sentences": n_sent,
        "sentences_parsed": n_cand,
        "chars_parsed_share": round(cand_chars / total_chars, 4) if total_chars else 0.0,
        "events": n_events,
        "bare_spacy_s": round(bare, 4),
        "extract_s": round(ext, 4),
        "ratio": round(ext / bare, 4) if bare > 0 else None,
        "bare_spacy_cpu_s": round(bare_cpu, 4),
        "extract_cpu_s": round(ext_cpu, 4),
        "ratio_cpu": round(ext_cpu / bare_cpu, 4) if bare_cpu > 0 else None,
    }
