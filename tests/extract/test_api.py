import json
from datetime import date, datetime

from meetwire.extract import EXTRACTOR_VERSION, extract_events, merge_events
from meetwire.extract.bench import bench_extract

KEYS = {"participants", "date", "date_precision", "location", "venue", "mode", "status", "topics",
        "keywords", "evidence", "evidence_spans", "confidence"}
TEXT = "Noise line.\nIndian Prime Minister Narendra Modi held talks with Russian President Vladimir Putin in Moscow on Monday."


def test_contract(extract):
    for pub in (None, "2024-07-09", date(2024, 7, 9), datetime(2024, 7, 9, 10, 0)):
        evs = extract_events(TEXT, pub)
        assert len(evs) == 1
        e = evs[0]
        assert KEYS <= set(e)
        assert e["mode"] in {"in_person", "phone", "virtual", "visit", "multilateral", "unknown"}
        assert e["status"] in {"occurred", "planned", "cancelled"}
        assert e["date_precision"] in {"day", "month", "year", "unknown"}
        assert 0.0 <= e["confidence"] <= 1.0
        for s, t in e["evidence_spans"]:
            assert TEXT[s:t] == e["evidence"]
        for p in e["participants"]:
            assert {"name", "title", "organization", "country", "role"} <= set(p)
            assert p["role"] in {"host", "guest", "participant"}
        json.dumps(e)
    assert extract_events(TEXT, "2024-07-09")[0]["date"] == "2024-07-08"
    assert extract_events("", None) == [] and extract_events("Nothing to see here.") == []
    assert isinstance(EXTRACTOR_VERSION, str)


def test_merged_contract(extract):
    out = merge_events([("a1", extract_events(TEXT, "2024-07-09"))])
    assert len(out) == 1
    e = out[0]
    assert KEYS <= set(e) and e["event_id"].startswith("evt_")
    assert e["articles"][0]["article_id"] == "a1"
    assert all(p["actor_id"].startswith("act_") and p["aliases"] for p in e["participants"])
    json.dumps(out)


def test_bench_shape(extract):
    r = bench_extract([TEXT], repeat=1)
    assert {"bare_spacy_s", "extract_s", "ratio", "sentences_parsed"} <= set(r)
