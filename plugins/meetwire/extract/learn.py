"""Training the decision models (``meetwire train decide``) from hand-labelled real articles.

Labels come from the development part of the real-news gold (``tests/fixtures/realnews/bbc-dev.json``): a sentence
that overlaps a clear, non-internal gold meeting's evidence is positive; one that overlaps only an unclear or
internal meeting is left out (the guideline cannot say); every other sentence is negative. PLOVER-format sentence
files may be added to the lexical stage (``CONSULT`` positive).

Two logistic regressions (scikit-learn, a development dependency), stacked:

1. *lexical*: every sentence, features of ``decide.features`` (no names: capitalised words are shapes);
2. *sentence*: parsed candidates, features of ``decide.sentence_features`` (the lexical score, what the trigger
   rules read, entities, cues), trained on out-of-fold lexical scores so it learns how far to trust them.

Folds are grouped by article. Probabilities are calibrated with isotonic regression on out-of-fold scores; the
weights are written as plain JSON (``models/decide.json``), so the runtime needs no scikit-learn. ``train``
also returns the out-of-fold article-level scores of the whole extractor (what the README reports as "dev").
"""

from __future__ import annotations

import json
from pathlib import Path

from .cues import split_sentences
from .decide import MODEL_PATH, Decider, features

_DEFAULT_C = {"lexical": 1.0, "sentence": 0.1}


def _overlap_label(golds: list[dict], s: int, e: int) -> int | None:
    hit = [g for g in golds if g.get("span") and g["span"][0] < e and s < g["span"][1]]
    if any(g.get("clear", True) and not g.get("internal") for g in hit):
        return 1
    return None if hit else 0


def sentence_examples(docs: list[dict], gold: list[dict]) -> list[dict]:
    by_doc = _by_doc(gold)
    out = []
    for d in docs:
        golds = by_doc.get(d["id"], [])
        for i, (s, e) in enumerate(split_sentences(d["text"])):
            y = _overlap_label(golds, s, e)
            if y is not None:
                out.append({"doc": d["id"], "start": s, "end": e, "position": i, "text": d["text"][s:e], "y": y})
    return out


def plover_examples(path: str | Path, label: str = "CONSULT") -> list[dict]:
    """Single sentences of a PLOVER-format TSV: ``gold_root == label`` is positive."""
    from meetwire.evaluate import read_plover

    name = Path(path).stem
    return [{"doc": f"{name}:{r['id']}", "start": 0, "end": len(r["sentence"]), "position": 1,
             "text": r["sentence"], "y": int(r["gold_root"] == label)}
            for r in read_plover(path) if r["sentence"].strip() and r["gold_root"]]


def _by_doc(gold: list[dict]) -> dict[str, list[dict]]:
    by: dict[str, list[dict]] = {}
    for g in gold:
        by.setdefault(str(g["doc"]), []).append(g)
    return by


def _fit(dicts: list[dict], y: list[int], C: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform(dicts)
    m = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y)
    weights = {str(n): round(float(w), 5) for n, w in zip(vec.get_feature_names_out(), m.coef_[0]) if abs(w) > 1e-5}
    return {"bias": round(float(m.intercept_[0]), 5), "weights": weights, "calibration": []}


def _lex_dicts(examples: list[dict]) -> list[dict]:
    return [{f: 1.0 for f in features(x["text"], x["position"])} for x in examples]


def _min_df(dicts: list[dict], min_df: int = 2) -> list[dict]:
    df: dict[str, int] = {}
    for d in dicts:
        for k in d:
            df[k] = df.get(k, 0) + 1
    return [{k: v for k, v in d.items() if df[k] >= min_df} for d in dicts]


def _calibrate(scores: list[float], y: list[int]) -> list[list[float]]:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, y)
    steps: list[list[float]] = []
    for x, yv in zip(iso.X_thresholds_, iso.y_thresholds_):
        if not steps or round(float(yv), 3) != steps[-1][1]:
            steps.append([round(float(x), 5), round(float(yv), 3)])
    return steps


def _calibrate_rows(scores: list[float], y: list[int], z: float = 1.0) -> list[list[float]]:
    """Isotonic steps from a row's sentence probability to its chance of being right, each step lowered to the
    Wilson lower bound of its rows (z = 1: about 84 % one-sided), so a step of a few lucky rows does not promise
    more than they show; then made non-decreasing again. Conservative on purpose: analysts filter on it."""
    import math

    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, y)
    fitted = iso.predict(scores)
    blocks: dict[float, list] = {}
    for s, v, ok in zip(scores, fitted, y):
        b = blocks.setdefault(round(float(v), 6), [s, 0, 0])
        b[0] = min(b[0], s)
        b[1] += 1
        b[2] += ok
    xs, lbs, ws = [], [], []
    for _, (x, n, k) in sorted(blocks.items()):
        ph = k / n
        lb = (ph + z * z / (2 * n) - z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n))) / (1 + z * z / n)
        xs.append(x)
        lbs.append(lb)
        ws.append(n)
    mono = IsotonicRegression().fit(xs, lbs, sample_weight=ws).predict(xs)
    steps: list[list[float]] = []
    for x, v in zip(xs, mono):
        if not steps or round(float(v), 3) != steps[-1][1]:
            steps.append([round(float(x), 5), round(float(v), 3)])
    return steps


def _raw(model: dict, feats: dict) -> float:
    from .decide import LinearModel

    return LinearModel(dict(model, calibration=[])).raw(feats)


def train(docs: list[dict], gold: list[dict], extra: list[dict] | None = None, out: Path | None = MODEL_PATH,
          folds: int = 5, C: dict | None = None, more_labels: list[dict] | None = None) -> dict:
    """Fit both stages; return the out-of-fold article-level score and the model (written to ``out``).

    ``more_labels``: further meeting objects for the same documents (e.g. a second annotator's, whose evidence
    sentences for a meeting may differ), used as sentence labels only, never for scoring.
    """
    from sklearn.model_selection import GroupKFold

    from meetwire.eval_articles import score

    from .core import extract_events, read_sentences

    C = dict(_DEFAULT_C, **(C or {}))
    extra = extra or []
    label_gold = gold + list(more_labels or [])
    ids = [d["id"] for d in docs]
    ex = sentence_examples(docs, label_gold)
    all_ex = ex + extra
    dicts = _min_df(_lex_dicts(all_ex))
    fold_of: dict[str, int] = {}
    for k, (_, te) in enumerate(GroupKFold(n_splits=folds).split(ids, groups=ids)):
        for i in te:
            fold_of[ids[i]] = k
    for i, x in enumerate(extra):  # extra sentences take part in the folds too (never scored at article level)
        fold_of[x["doc"]] = i % folds

    # stage 1: out-of-fold lexical models
    lex_models, oof1 = [], [0.0] * len(all_ex)
    for k in range(folds):
        tr = [i for i, x in enumerate(all_ex) if fold_of[x["doc"]] != k]
        m = _fit([dicts[i] for i in tr], [all_ex[i]["y"] for i in tr], C["lexical"])
        lex_models.append(m)
        for i, x in enumerate(all_ex):
            if fold_of[x["doc"]] == k:
                oof1[i] = _raw(m, dicts[i])
    cal1 = _calibrate(oof1[: len(ex)], [x["y"] for x in ex])  # calibrated on real articles only
    for m in lex_models:
        m["calibration"] = cal1

    # stage 2: candidates read with their fold's lexical model, labelled by the gold
    by_doc = _by_doc(label_gold)
    recs = []
    units = [(d["id"], d["text"], d.get("published_at"), None) for d in docs]
    units += [(x["doc"], x["text"], None, x["y"]) for x in extra]
    for uid, text, pub, y_sent in units:
        k = fold_of[uid]
        lex = Decider({"lexical": lex_models[k], "sentence": {"bias": 0, "weights": {}}})
        rs, _ = read_sentences(text, pub, lexical=lex.lexical)
        for r in rs:
            if not r["events"]:
                continue  # nothing to decide: no political event could come out of this sentence
            if y_sent == 0 and any(e["status"] != "occurred" for e in r["rule_events"]):
                continue  # PLOVER codes a planned meeting as something else; the guideline counts it
            y = y_sent if y_sent is not None else _overlap_label(by_doc.get(uid, []), *r["span"])
            if y is not None:
                recs.append({"doc": uid, "fold": k, "features": r["features"], "y": y, "real": y_sent is None})
    sent_models, oof2 = [], [0.0] * len(recs)
    for k in range(folds):
        tr = [r for r in recs if r["fold"] != k]
        m = _fit([r["features"] for r in tr], [r["y"] for r in tr], C["sentence"])
        sent_models.append(m)
        for i, r in enumerate(recs):
            if r["fold"] == k:
                oof2[i] = _raw(m, r["features"])
    real = [i for i, r in enumerate(recs) if r["real"]]
    cal2 = _calibrate([oof2[i] for i in real], [recs[i]["y"] for i in real])
    for m in sent_models:
        m["calibration"] = cal2

    # the whole extractor, out of fold, at article level
    deciders = [Decider({"lexical": lex_models[k], "sentence": sent_models[k]}) for k in range(folds)]

    def predict(doc):
        evs = extract_events(doc["text"], doc.get("published_at"), decider=deciders[fold_of[doc["id"]]])
        return evs

    oof_score = score(docs, gold, predict)
    from . import EXTRACTOR_VERSION

    oof_score["extractor_version"] = EXTRACTOR_VERSION

    final_lex = _fit(dicts, [x["y"] for x in all_ex], C["lexical"])
    final_lex["calibration"] = cal1
    final_sent = _fit([r["features"] for r in recs], [r["y"] for r in recs], C["sentence"])
    final_sent["calibration"] = cal2
    data = {"kind": "two stacked logistic regressions (decide.py); weights as JSON",
            "trained_on": {"docs": len(docs), "sentences": len(ex), "positive_sentences": sum(x["y"] for x in ex),
                           "extra_sentences": len(extra), "candidates": len(recs),
                           "positive_candidates": sum(r["y"] for r in recs)},
            "C": C, "oof_article_score": {k: oof_score[k] for k in ("precision", "recall", "f1", "right", "wrong",
                                                                    "found", "n_gold")},
            "lexical": final_lex, "sentence": final_sent}
    # confidence is calibrated on rows, not sentences: what an analyst filtering on it sees
    rows = oof_score.get("scored_rows") or []
    if rows:
        data["row_calibration"] = _calibrate_rows([c for c, _ in rows], [int(ok) for _, ok in rows])
        mapped = Decider(data).confidence
        oof_score = dict(oof_score, scored_rows=[(mapped(c), ok) for c, ok in rows])
    data["confidence_table"] = confidence_table(oof_score)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return {"model": data, "oof": oof_score, "confidence_table": data["confidence_table"]}


def confidence_table(res: dict) -> list[dict]:
    """Share of right rows at or above each confidence (on the rows the score saw)."""
    rows = res.get("scored_rows") or []
    out = []
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        sel = [ok for c, ok in rows if c >= t]
        out.append({"min_confidence": t, "rows": len(sel), "right": sum(sel),
                    "precision": round(sum(sel) / len(sel), 3) if sel else None})
    return out
