"""Article-level evaluation of meeting extraction against hand-labelled real articles.

Gold (a JSON list, one object per meeting, as written by annotators following
``meeting-guideline.md``): ``doc``, ``status``, ``mode``, ``internal``, ``clear``, ``participants``, ``date``,
``location``, ``evidence`` and ``span`` (character offsets of the evidence in the document text).

Documents (JSONL): ``{"id", "text", "published_at"?, "title"?}``. When a ``title`` is given the document text is
``title + "\\n\\n" + text`` (the layout the gold offsets refer to), else ``text`` alone.

Matching rule (one place, documented in docs/extraction.md):

* an extracted event and a gold meeting of the **same article** match when the event's evidence span overlaps the
  gold evidence span, or when they agree on the status and share participants (at least two gold participants
  found among the event's participants, or all of them when the gold names fewer than two);
* an event matching a clear, non-internal gold meeting is **right**; an event matching only unclear or internal
  gold meetings is neither right nor wrong (not counted); any other event is **wrong**;
* recall is over clear, non-internal gold meetings: found when at least one event matches it.

Field scores are reported on matched pairs: status, mode, participants (every gold participant found) and date
(when the gold gives one).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterable

_STOP = {"the", "of", "and", "a", "an", "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "his", "her", "their",
         "its", "s", "on", "in", "for", "to", "uk", "s", "'s", "prime", "minister"}


def document_text(item: dict) -> str:
    title = item.get("title")
    return f"{title}\n\n{item['text']}" if title else item["text"]


def read_docs(path: str | Path) -> list[dict]:
    """JSONL documents, or a JSON object of pages keyed by id with an ``articleBody`` (the article-extraction
    benchmark's ``ground-truth.json``)."""
    if str(path).endswith(".json"):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [{"id": str(k), "text": v.get("articleBody") or "", "published_at": v.get("datePublished")}
                for k, v in sorted(data.items())]
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append({"id": str(d["id"]), "text": document_text(d), "published_at": d.get("published_at")})
    return out


def read_gold(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["meetings"] if isinstance(data, dict) else data


def _words(s: str) -> set[str]:
    """Content words, possessives stripped ("China's" -> "china"), stop words and honorifics left out."""
    out = set()
    for w in re.findall(r"[a-z0-9][\w'-]*", (s or "").lower().replace("’", "'")):
        w = w[:-2] if w.endswith("'s") else w
        if w and w not in _STOP:
            out.add(w)
    return out


def _participant_words(p) -> list[set[str]]:
    if isinstance(p, str):
        return [_words(p)]
    return [_words(str(p.get(k) or "")) for k in ("name", "title", "organization", "country")]


def participant_found(gold_name: str, predicted: list) -> bool:
    """A gold participant ("Tony Blair", "EU foreign ministers") is found when one predicted participant's name
    holds all its content words, or the predicted name's words are all in it (a surname), or, for a
    description, it shares a content word with the predicted name, title, organisation or country."""
    g = _words(gold_name)
    if not g:
        return False
    for p in predicted:
        fields = _participant_words(p)
        name = fields[0]
        if name and (g <= name or name <= g):
            return True
        if any(g & f for f in fields):
            return True
    return False


def _overlaps(spans: Iterable, span) -> bool:
    if not span:
        return False
    s0, e0 = span
    return any(s < e0 and s0 < e for s, e in (spans or []))


def matches(event: dict, gold: dict) -> bool:
    if _overlaps(event.get("evidence_spans"), gold.get("span")):
        return True
    if (event.get("status") or "occurred") != (gold.get("status") or "occurred"):
        return False
    parts = event.get("participants") or []
    gp = gold.get("participants") or []
    found = sum(participant_found(g, parts) for g in gp)
    return bool(gp) and found >= min(2, len(gp))


def _is_scored(g: dict) -> bool:
    return bool(g.get("clear", True)) and not g.get("internal", False)


def _date_ok(event: dict, gold: dict) -> bool | None:
    gd = gold.get("date")
    if not gd:
        return None
    ed = event.get("date") or ""
    return ed[: len(gd)] == gd if len(ed) >= len(gd) else False


def score(docs: list[dict], gold: list[dict], predict: Callable[[dict], list[dict]]) -> dict:
    """Run ``predict(doc) -> events`` on every document that is labelled and score it."""
    by_doc: dict[str, list[dict]] = {}
    for g in gold:
        by_doc.setdefault(str(g["doc"]), []).append(g)
    right = wrong = ignored = 0
    scored_rows: list[tuple[float, bool]] = []
    field_errors: list[dict] = []  # (confidence, right) for the calibration table
    found: set[int] = set()
    wrong_rows, misses = [], []
    fields = {"status": [0, 0], "mode": [0, 0], "participants": [0, 0], "date": [0, 0]}
    scored_ids = {id(g) for g in gold if _is_scored(g)}
    for doc in docs:
        golds = by_doc.get(doc["id"], [])
        events = predict(doc)
        for ev in events:
            hit = [g for g in golds if matches(ev, g)]
            scored = [g for g in hit if id(g) in scored_ids]
            if scored:
                right += 1
                scored_rows.append((float(ev.get("confidence") or 0.0), True))
                best = scored[0]
                for g in scored:
                    found.add(id(g))
                bad = _field_scores(fields, ev, best)
                if bad:
                    field_errors.append({"doc": doc["id"], "fields": bad, "evidence": ev.get("evidence"),
                                         "gold": {k: best.get(k) for k in ("participants", "status", "mode", "date")},
                                         "row": {"participants": [p.get("name") for p in ev.get("participants") or []],
                                                 "status": ev.get("status"), "mode": ev.get("mode"),
                                                 "date": ev.get("date")}})
            elif hit:
                ignored += 1
            else:
                wrong += 1
                scored_rows.append((float(ev.get("confidence") or 0.0), False))
                wrong_rows.append({"doc": doc["id"], "evidence": ev.get("evidence"), "status": ev.get("status"),
                                   "mode": ev.get("mode"),
                                   "participants": [p.get("name") if isinstance(p, dict) else p
                                                    for p in ev.get("participants") or []]})
        for g in golds:
            if id(g) in scored_ids and id(g) not in found:
                misses.append({"doc": doc["id"], "evidence": g.get("evidence"), "status": g.get("status"),
                               "participants": g.get("participants")})
    n_gold = sum(1 for d in docs for g in by_doc.get(d["id"], []) if id(g) in scored_ids)
    tp_gold = n_gold - len(misses)
    p = right / (right + wrong) if right + wrong else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"n_docs": len(docs), "n_gold": n_gold, "rows": right + wrong + ignored, "right": right,
            "wrong": wrong, "ignored": ignored, "found": tp_gold, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f1, 4),
            "fields": {k: {"right": a, "n": n, "accuracy": round(a / n, 4) if n else None}
                       for k, (a, n) in fields.items()},
            "wrong_rows": wrong_rows, "misses": misses, "scored_rows": scored_rows, "field_errors": field_errors}


def _field_scores(fields: dict, ev: dict, g: dict) -> list[str]:
    """Count the fields of a matched row against its gold meeting; return the names of the wrong ones."""
    checks = {"status": (ev.get("status") or "occurred") == g.get("status")}
    if g.get("mode") and g["mode"] != "unknown":
        checks["mode"] = ev.get("mode") == g["mode"]
    gp = g.get("participants") or []
    if gp:
        checks["participants"] = all(participant_found(x, ev.get("participants") or []) for x in gp)
    d = _date_ok(ev, g)
    if d is not None:
        checks["date"] = d
    for k, ok in checks.items():
        fields[k][1] += 1
        fields[k][0] += ok
    return [k for k, ok in checks.items() if not ok]


# The keyword baseline the extractor must beat: every sentence naming a meeting word is a meeting.
KEYWORD_RE = re.compile(r"\b(?:met|meet|meets|meeting|meetings|talks|summit|summits|visit|visits|visited|visiting|"
                        r"phone call|telephone call|called|negotiat\w*)\b", re.I)


def keyword_baseline(doc: dict) -> list[dict]:
    from meetwire.extract.cues import split_sentences

    text = doc["text"]
    out = []
    for s, e in split_sentences(text):
        if KEYWORD_RE.search(text[s:e]):
            out.append({"evidence": text[s:e], "evidence_spans": [[s, e]], "status": "occurred",
                        "participants": [], "mode": "unknown"})
    return out


def extractor_predict(doc: dict) -> list[dict]:
    from meetwire.extract import extract_events

    return extract_events(doc["text"], doc.get("published_at"))


def eval_articles(docs_path: str | Path, gold_path: str | Path, baseline: bool = False,
                  only_labelled: bool = True) -> dict:
    """Score the extractor (and, with ``baseline``, the keyword regex beside it) on the labelled articles.

    ``only_labelled``: score only documents the gold file covers (a gold file lists its documents under
    ``"docs"`` when it is an object; a plain list covers the documents it names, so a document with no meeting
    must be listed under ``"docs"`` to count as a negative).
    """
    from meetwire.extract import EXTRACTOR_VERSION

    raw = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    gold = raw["meetings"] if isinstance(raw, dict) else raw
    covered = set(map(str, raw.get("docs", []))) if isinstance(raw, dict) else {str(g["doc"]) for g in gold}
    docs = read_docs(docs_path)
    if only_labelled:
        docs = [d for d in docs if d["id"] in covered]
    res = score(docs, gold, extractor_predict)
    res["extractor_version"] = EXTRACTOR_VERSION
    if baseline:
        base = score(docs, gold, keyword_baseline)
        res["baseline"] = {k: base[k] for k in ("precision", "recall", "f1", "right", "wrong", "found")}
    return res


def format_report(res: dict, show: int = 50) -> str:
    lines = [f"articles={res['n_docs']} gold meetings={res['n_gold']} rows={res['rows']} "
             f"(right {res['right']}, wrong {res['wrong']}, not scored {res['ignored']})",
             f"precision={res['precision']:.3f} recall={res['recall']:.3f} f1={res['f1']:.3f}  "
             f"extractor {res.get('extractor_version')}"]
    if "baseline" in res:
        b = res["baseline"]
        lines.append(f"keyword baseline: precision={b['precision']:.3f} recall={b['recall']:.3f} f1={b['f1']:.3f}")
    lines.append("fields on matched rows: " + "  ".join(
        f"{k} {v['right']}/{v['n']}" for k, v in res["fields"].items()))
    if show:
        lines.append(f"\nwrong rows ({len(res['wrong_rows'])}):")
        for w in res["wrong_rows"][:show]:
            lines.append(f"  [{w['doc']}] {w['status']}/{w['mode']} {w['participants']}: {w['evidence']}")
        lines.append(f"\nmisses ({len(res['misses'])}):")
        for m in res["misses"][:show]:
            lines.append(f"  [{m['doc']}] {m['status']} {m['participants']}: {m['evidence']}")
    return "\n".join(lines)
