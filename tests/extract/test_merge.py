from meetwire.extract import merge_events


def _ev(names, date=None, status="occurred", mode="in_person", title=None, country=None):
    return {"participants": [{"name": n, "title": title if i == 0 else None, "organization": None,
                              "country": country if i == 0 else None, "role": "participant", "kind": "named"}
                             for i, n in enumerate(names)],
            "date": date, "date_precision": "day" if date else "unknown", "location": None, "venue": None,
            "mode": mode, "status": status, "topics": [], "keywords": [], "evidence": " ".join(names),
            "evidence_spans": [[0, 10]], "confidence": 0.8}


def test_aliases_and_actor_ids_across_articles():
    out = merge_events([
        ("a", [_ev(["Kurt M Campbell", "Ma Zhaoxu"], "2024-05-30", title="Deputy Secretary of State",
                   country="United States")]),
        ("b", [_ev(["Kurt Campbell", "Ma"], None)]),
        ("c", [_ev(["Campbell", "Ma Zhaoxu"], "2024-05-30")]),
    ])
    assert len(out) == 1
    e = out[0]
    assert len(e["articles"]) == 3 and e["date"] == "2024-05-30"
    camp = next(p for p in e["participants"] if "Campbell" in p["name"])
    assert camp["name"] == "Kurt M Campbell" and set(camp["aliases"]) == {"Kurt M Campbell", "Kurt Campbell", "Campbell"}
    assert camp["title"] == "Deputy Secretary of State" and camp["country"] == "United States"


def test_different_meetings_same_day_stay_apart():
    out = merge_events([("a", [_ev(["Kurt Campbell", "Ma Zhaoxu"], "2024-05-30"),
                               _ev(["Jon Finer", "Ma Zhaoxu"], "2024-05-30")])])
    assert len(out) == 2 and out[0]["event_id"] != out[1]["event_id"]


def test_different_days_or_status_stay_apart():
    out = merge_events([("a", [_ev(["A B", "C D"], "2024-05-30"), _ev(["A B", "C D"], "2024-04-01"),
                               _ev(["A B", "C D"], "2024-06-30", status="planned")])])
    assert len(out) == 3


def test_event_id_is_stable_and_order_independent():
    arts = [("x", [_ev(["A B", "C D"], "2024-05-30")]), ("y", [_ev(["C D", "A B"], "2024-05-30", mode="phone")])]
    one = merge_events(arts)
    two = merge_events(list(reversed(arts)))
    assert [e["event_id"] for e in one] == [e["event_id"] for e in two]
    assert merge_events(arts)[0]["event_id"] == one[0]["event_id"]


def test_empty():
    assert merge_events([]) == []
    assert merge_events([("a", [])]) == []
