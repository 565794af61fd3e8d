"""`meetwire bench`: throughput measured side by side in one run, reported as ratios (machines are noisy).

Parts:
- extract: the whole extract stage vs a bare spaCy `nlp.pipe` of the same model over the same full texts
  (the product requirement: extract must cost less than a fifth of the bare pass);
- clean: our `clean_document` vs bare `trafilatura.extract` over the article-extraction benchmark's real pages,
  with token F1 against the hand-checked bodies, so speed and quality are read together;
- feeds: feedparser over feedparser's own test documents (documents per second, failures).
Timings never go into tests; the tests pin quality floors instead.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
from collections import Counter

from meetwire.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
AEB_DIR = SHARED_DATA / "article-extraction-benchmark"
FEED_TESTS_DIR = SHARED_DATA / "feedparser-tests"


def token_f1(predicted: str, expected: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall, F1 (the article-extraction-benchmark's own measure)."""
    pred = Counter(re.findall(r"\w+", predicted.lower()))
    gold = Counter(re.findall(r"\w+", expected.lower()))
    common = sum((pred & gold).values())
    if not pred or not gold or not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(pred.values()), common / sum(gold.values())
    return p, r, 2 * p * r / (p + r)


def load_benchmark_pages(limit: int | None = None) -> list[tuple[str, str, str]]:
    """(html, url, expected body) for each page of the article-extraction benchmark."""
    truth = json.loads((AEB_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        path = AEB_DIR / "html" / f"{key}.html.gz"
        if path.exists():
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            pages.append((html, truth[key].get("url") or f"https://example.invalid/{key}", truth[key]["articleBody"]))
    return pages


def bench_clean(pages: list[tuple[str, str, str]], with_bare: bool = True) -> dict:
    import trafilatura

    from meetwire.clean import CleanError, clean_document

    def run(fn) -> tuple[float, list[str]]:
        start = time.perf_counter()
        outs = [fn(html, url) for html, url, _ in pages]
        return time.perf_counter() - start, outs

    quarantined: Counter = Counter()

    def ours(html, url):
        try:
            return clean_document(html, url=url, content_type="text/html").text
        except CleanError as exc:  # the pipeline quarantines these (mostly non-English pages)
            quarantined[exc.reason] += 1
            return None

    def bare(html, url):
        return trafilatura.extract(html, url=url) or ""

    bare_s, bare_out = run(bare) if with_bare else (0.0, [""] * len(pages))
    ours_s, ours_out = run(ours)

    kept = [i for i, o in enumerate(ours_out) if o is not None]

    def mean_f1(outs):
        scores = [token_f1(outs[i] or "", pages[i][2]) for i in kept]
        n = max(len(scores), 1)
        return {k: round(sum(s[j] for s in scores) / n, 4) for j, k in enumerate(("precision", "recall", "f1"))}

    return {
        "documents": len(pages),
        "bare_trafilatura_seconds": round(bare_s, 3),
        "meetwire_clean_seconds": round(ours_s, 3),
        "ratio_clean_to_bare": round(ours_s / bare_s, 3) if bare_s else None,
        "pages_per_second": round(len(pages) / ours_s, 1) if ours_s else None,
        "quarantined": dict(quarantined),
        "quality_pages": len(kept),  # token F1 below is over the pages the pipeline keeps, for both sides
        "quality_bare_trafilatura": mean_f1(bare_out) if with_bare else None,
        "quality_meetwire_clean": mean_f1(ours_out),
    }


def bench_feeds(limit: int | None = None) -> dict:
    from meetwire import feeds

    files = sorted(p for p in FEED_TESTS_DIR.rglob("*") if p.is_file() and p.name != "LICENSE")[:limit]
    start = time.perf_counter()
    entries = rejected = 0
    for path in files:
        try:
            result = feeds.parse_feed(path.read_bytes(), url=path.as_uri())
            entries += len(result.entries)
        except feeds.FeedError:  # the pipeline quarantines these; any other exception is a bug and propagates
            rejected += 1
    seconds = time.perf_counter() - start
    return {"documents": len(files), "entries": entries, "rejected": rejected, "seconds": round(seconds, 3),
            "documents_per_second": round(len(files) / seconds, 1) if seconds else None}


def bench_extract_part(texts: list[str]) -> dict:
    from meetwire.extract.bench import bench_extract

    return bench_extract(texts)


PLOVER_DEV = SHARED_DATA / "plover" / "PLV_train.tsv"


def bench_news_sentences(path: Path = PLOVER_DEV, per_text: int = 25) -> dict:
    """Extraction on news sentences (the evaluation's kind of text), grouped into article-sized texts, against a
    bare spaCy pass; and the evaluation with and without the prefilter, timed, to show it costs no F1."""
    from meetwire.evaluate import eval_plover, read_plover

    sentences = [r["sentence"] for r in read_plover(path)]
    texts = [" ".join(sentences[i : i + per_text]) for i in range(0, len(sentences), per_text)]
    out = {"speed": bench_extract_part(texts)}
    runs = {}
    for prefilter in (True, False):
        start = time.perf_counter()
        result = eval_plover(path, prefilter=prefilter)
        runs[prefilter] = (time.perf_counter() - start, result)
    (fast_s, fast), (full_s, full) = runs[True], runs[False]
    out["prefilter"] = {
        "with_prefilter": {k: fast[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")},
        "parse_everything": {k: full[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")},
        "f1_loss": round(full["f1"] - fast["f1"], 4),
        "seconds_with_prefilter": round(fast_s, 3),
        "seconds_parse_everything": round(full_s, 3),
        "ratio": round(fast_s / full_s, 3) if full_s else None,
    }
    return out


def run_bench(limit: int | None = None) -> dict:
    result: dict = {"machine_note": "ratios are measured side by side in this one run; absolute seconds vary"}
    if AEB_DIR.exists():
        pages = load_benchmark_pages(limit)
        texts = [gold for _, _, gold in pages]
        seeds = [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "seeds").glob("*.txt"))]
        result["extract"] = bench_extract_part(texts + seeds)
        result["clean"] = bench_clean(pages)
    else:
        result["skipped"] = f"{AEB_DIR} not found"
    if PLOVER_DEV.exists():
        result["extract_news_sentences"] = bench_news_sentences()
    if FEED_TESTS_DIR.exists():
        result["feeds"] = bench_feeds(limit)
    return result
