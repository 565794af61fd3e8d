"""PLOVER evaluation harness for the meeting extractor.

``eval_plover(path)`` reads a PLOVER-format TSV, runs ``extract_events`` on the
``sentence`` column only (no marked actors, no labels), and counts a sentence as a
predicted meeting when at least one event with status ``occurred`` comes out.
Gold: ``gold_root == "CONSULT"``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def read_plover(path: str | Path) -> list[dict]:
    csv.field_size_limit(10**8)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for i, r in enumerate(rows):
        sid = (r.get("sentence_id") or r.get("") or str(i)).strip()
        out.append({"id": sid, "sentence": r.get("sentence") or "", "gold_root": (r.get("gold_root") or "").strip(),
                    "source": (r.get("source") or "").strip(), "target": (r.get("target") or "").strip()})
    return out


def _split(rows: list[dict], half: str | None) -> list[dict]:
    """Deterministic halves by sentence id parity (``half`` in {"a", "b"}); None = all."""
    if half is None:
        return rows

    def key(r):
        try:
            return int(r["id"]) % 2
        except ValueError:
            return sum(map(ord, r["id"])) % 2

    want = 0 if half == "a" else 1
    return [r for r in rows if key(r) == want]


def eval_plover(path: str | Path, half: str | None = None, label: str = "CONSULT", prefilter: bool = True) -> dict:
    """Precision/recall/F1 of "is a meeting that occurred" against ``gold_root == label``.

    ``prefilter=False`` parses every sentence (the benchmark's check that the prefilter loses nothing).
    """
    from meetwire.extract import EXTRACTOR_VERSION, extract_events

    rows = _split(read_plover(path), half)
    tp = fp = fn = tn = 0
    errors = []
    actors = {"source": [0, 0], "target": [0, 0]}  # [found, marked] over true positives
    for r in rows:
        events = extract_events(r["sentence"], prefilter=prefilter)
        pred = any(e.get("status") == "occurred" for e in events)
        gold = r["gold_root"] == label
        if pred and gold:
            tp += 1
            found = [p for e in events if e.get("status") == "occurred" for p in e.get("participants", [])]
            for side in ("source", "target"):
                if r.get(side):
                    actors[side][1] += 1
                    actors[side][0] += actor_found(r[side], found)
        elif pred and not gold:
            fp += 1
        elif gold and not pred:
            fn += 1
        else:
            tn += 1
        if pred != gold:
            errors.append({"id": r["id"], "text": r["sentence"], "gold": r["gold_root"], "pred": pred,
                           "kind": "fp" if pred else "fn",
                           "events": [{k: e.get(k) for k in ("trigger", "status", "participants")} for e in events]})
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return {"n": len(rows), "precision": round(p, 4), "recall": round(rc, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "errors": errors, "extractor_version": EXTRACTOR_VERSION,
            "half": half, "actors": {side: {"found": f, "marked": m} for side, (f, m) in actors.items()}}


_ACTOR_STOP = {"the", "of", "and", "a", "an", "his", "her", "their", "its", "s", "on", "in", "for", "to"}


def actor_found(marked: str, participants: list[dict]) -> bool:
    """Is a PLOVER-marked actor ("Top Iranian commander Qasem Soleimani", "Turkey") among the extracted
    participants? Lenient on purpose: one shared content word with a participant's name, title, organisation
    or country (the marked spans carry titles and appositions our names leave out)."""
    import re

    def words(s: str) -> set[str]:
        return {w for w in re.findall(r"[a-z][\w'-]+", (s or "").lower()) if w not in _ACTOR_STOP}

    want = words(marked)
    if not want:
        return True
    return any(want & words(" ".join(str(p.get(k) or "") for k in ("name", "title", "organization", "country")))
               for p in participants)


def _toks(s: str) -> set[str]:
    import re

    return {t for t in re.split(r"[^\w]+", (s or "").lower()) if t and len(t) > 1 or t.isalpha() and len(t) > 1}


def participant_match(gold: str, predicted: list[str]) -> bool:
    """A gold participant is found when its words are all in one predicted name (or the reverse,
    for a predicted surname-only mention)."""
    g = _toks(gold)
    for p in predicted:
        q = _toks(p)
        if g and q and (g <= q or (q <= g and len(q) >= 1 and len(g) - len(q) <= 1)):
            return True
    return False


def eval_args(path: str | Path) -> dict:
    """Argument quality on a hand-labelled JSONL set (id, text, participants, date, published_at?).

    A sentence's participants are correct when every gold participant is found in one
    extracted event (the best-matching event); its date is correct when equal to gold.
    """
    import json

    from meetwire.extract import extract_events

    n = part_ok = date_ok = both_ok = 0
    gold_total = gold_found = 0
    details = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        n += 1
        evs = extract_events(g["text"], g.get("published_at"))
        best, best_hits = None, -1
        for e in evs:
            names = [p.get("name") or "" for p in e.get("participants", [])]
            hits = sum(participant_match(x, names) for x in g["participants"])
            if hits > best_hits:
                best, best_hits = e, hits
        best_hits = max(best_hits, 0)
        gold_total += len(g["participants"])
        gold_found += best_hits
        p_ok = best is not None and best_hits == len(g["participants"])
        d_ok = (best.get("date") if best else None) == g.get("date")
        part_ok += p_ok
        date_ok += d_ok
        both_ok += p_ok and d_ok
        if not (p_ok and d_ok):
            details.append({"id": g["id"], "gold": g["participants"], "gold_date": g.get("date"),
                            "pred": [p.get("name") for p in (best or {}).get("participants", [])],
                            "pred_date": (best or {}).get("date")})
    return {"n": n, "participants_acc": round(part_ok / n, 4) if n else 0.0,
            "participant_recall": round(gold_found / gold_total, 4) if gold_total else 0.0,
            "date_acc": round(date_ok / n, 4) if n else 0.0, "both_acc": round(both_ok / n, 4) if n else 0.0,
            "errors": details}


def format_report(res: dict, show_errors: bool = True) -> str:
    lines = [f"PLOVER CONSULT  n={res['n']}  P={res['precision']:.3f}  R={res['recall']:.3f}  "
             f"F1={res['f1']:.3f}  (tp={res['tp']} fp={res['fp']} fn={res['fn']})  "
             f"extractor {res['extractor_version']}"]
    if show_errors:
        for e in res["errors"]:
            lines.append(f"  {e['kind'].upper()} [{e['id']}] gold={e['gold']}: {e['text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m meetwire.evaluate PATH.tsv [a|b]", file=sys.stderr)
        return 2
    res = eval_plover(argv[0], half=argv[1] if len(argv) > 1 else None)
    print(format_report(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
