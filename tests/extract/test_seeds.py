"""Golden test on the two seed articles (same meeting reported twice)."""

import pytest

from meetwire.extract import extract_events, merge_events

from .helpers import SEED_PUBLISHED, has_name, seeds_dir


@pytest.fixture(scope="module")
def merged(nlp):
    d = seeds_dir()
    if d is None:
        pytest.skip("seed articles not available")
    per_article = []
    for f in sorted(d.glob("00[01]_*.txt")):
        aid = f.name.split("_")[0]
        per_article.append((aid, extract_events(f.read_text(encoding="utf-8"), SEED_PUBLISHED[aid])))
    return merge_events(per_article), per_article


def _find(events, *names, status=None):
    out = [e for e in events if all(has_name(e, n) for n in names) and (status is None or e["status"] == status)]
    assert out, f"no event with {names}"
    return out


def test_campbell_ma(merged):
    events, _ = merged
    [e] = _find(events, "Campbell", "Ma Zhaoxu")
    assert e["date"] == "2024-05-30" and e["date_precision"] == "day"
    assert e["location"] == "Washington"
    assert e["mode"] == "in_person" and e["status"] == "occurred"
    assert {a["article_id"] for a in e["articles"]} == {"000", "001"}
    for t in ("taiwan", "ukraine_russia", "south_china_sea", "human_rights"):
        assert t in e["topics"], t
    by = {p["name"]: p for p in e["participants"]}
    camp = next(p for n, p in by.items() if "Campbell" in n)
    ma = by["Ma Zhaoxu"]
    assert camp["country"] == "United States" and "Deputy Secretary of State" in camp["title"]
    assert {"Kurt M Campbell", "Kurt Campbell"} <= set(camp["aliases"])
    assert ma["country"] == "China" and ma["title"] == "Executive Vice Foreign Minister"
    assert e["venue"] == "State Department"
    assert camp["organization"] == "State Department"
    assert camp["actor_id"] != ma["actor_id"]
    assert len(e["participants"]) == 2


def test_finer_ma_is_separate(merged):
    events, _ = merged
    [e] = _find(events, "Finer", "Ma")
    assert not has_name(e, "Campbell")
    assert e["date"] == "2024-05-30" and e["status"] == "occurred"
    camp = _find(events, "Campbell", "Ma Zhaoxu")[0]
    assert e["event_id"] != camp["event_id"]
    # the same actor id for Ma in both events
    ma_ids = {p["actor_id"] for ev in (e, camp) for p in ev["participants"] if p["name"].startswith("Ma")}
    assert len(ma_ids) == 1


def test_lambert_hong(merged):
    events, _ = merged
    [e] = _find(events, "Lambert", "Hong Liang")
    assert e["mode"] == "virtual" and e["date"] == "2024-05-23" and e["status"] == "occurred"


def test_woodside_summit(merged):
    events, _ = merged
    [e] = _find(events, "Biden", "Xi")
    assert e["date"] == "2023-11" and e["date_precision"] == "month" and e["status"] == "occurred"


def test_defense_chiefs_planned(merged):
    events, _ = merged
    e = [x for x in events if {p.get("country") for p in x["participants"]} >= {"United States", "China"}
         and any("defense chief" in (p["name"] or "") for p in x["participants"])]
    assert e and all(x["status"] == "planned" for x in e)
    assert e[0]["location"] == "Singapore"


def test_briefing_is_not_a_meeting(merged):
    _, per_article = merged
    for _, evs in per_article:
        for e in evs:
            assert not has_name(e, "Patel")
            assert "briefing" not in e["evidence"] or e["status"] != "occurred" or not has_name(e, "reporters")


def test_merge_is_order_independent_and_stable(merged):
    events, per_article = merged
    again = merge_events(list(reversed(per_article)))
    assert sorted(e["event_id"] for e in again) == sorted(e["event_id"] for e in events)
    assert len({e["event_id"] for e in events}) == len(events)
