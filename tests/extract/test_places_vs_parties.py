"""Places versus parties: datelines, city modifiers, capitals and surnames as parties, merging by place."""
import pytest

from meetwire.extract import merge_events

from .helpers import has_name, names

PUB = "2024-06-01"


def _main(events):
    occ = [e for e in events if e["status"] == "occurred"]
    assert occ, events
    return occ[0]


@pytest.mark.parametrize("text,n_participants", [
    ("LIMA, Peru (AP) — The foreign ministers of Peru and Ecuador met face to face in Lima on Monday.", 2),
    ("MUSCAT, 3rd March, 2022 (ONA) -- The foreign ministers of Oman and Iran held talks in Muscat.", 2),
])
def test_datelines_with_a_country_or_long_date(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


def test_accented_dateline_is_not_a_participant(extract):
    evs = extract("SAN JOSÉ, Costa Rica (AP) -- Costa Rica's president met Honduran delegates at his residence.")
    names = {p["name"] for e in evs for p in e["participants"]}
    assert evs and not any("JOS" in (n or "") for n in names), names


# a city is a place, not a party
def test_city_modifier_is_a_place(extract):
    evs = extract("Diplomats gathered for the Istanbul meeting between Russian and Ukrainian negotiators.", PUB)
    for e in evs:
        assert "Istanbul" not in names(e)
    e = next(e for e in evs if e["trigger"] == "meeting")
    assert e["location"] == "Istanbul"
    e = extract("The Geneva talks between the U.S. and Iran ended on Friday.", PUB)[0]
    assert "Geneva" not in names(e) and e["location"] == "Geneva"
    # capitals that stand for governments stay parties
    e = extract("Talks between Washington and Beijing resumed on Monday.", PUB)[0]
    assert has_name(e, "Washington") and has_name(e, "Beijing")


def test_lone_surname_that_is_also_a_city_stays_a_party(extract):
    e = _main(extract("Hamilton held talks with Blair in London on Monday.", PUB))
    assert has_name(e, "Hamilton") and has_name(e, "Blair")


def test_city_after_common_noun_guest_and_multiword_city(extract):
    e = _main(extract("Putin hosted African leaders in St Petersburg for a two-day summit.", PUB))
    assert e["location"] == "St Petersburg"
    e = _main(extract("Venezuelan government and opposition representatives held talks in Mexico City "
                      "with Norwegian mediators.", PUB))
    assert e["location"] == "Mexico City" and "City" not in names(e)


# location-aware merge
def _ev(names_, loc, date=None):
    return {"participants": [{"name": n, "title": None, "organization": None, "country": None,
                              "role": "participant", "kind": "named"} for n in names_],
            "date": date, "date_precision": "day" if date else "unknown", "location": loc, "venue": None,
            "mode": "in_person", "status": "occurred", "topics": [], "keywords": [], "evidence": "x",
            "evidence_spans": [[0, 1]], "confidence": 0.8}


def test_undated_same_pair_different_places_stay_apart():
    out = merge_events([("a", [_ev(["Anna Berg", "Carl Dahl"], "Oslo")]),
                        ("b", [_ev(["Anna Berg", "Carl Dahl"], "Vienna")])])
    assert len(out) == 2 and out[0]["event_id"] != out[1]["event_id"]
    out = merge_events([("a", [_ev(["Anna Berg", "Carl Dahl"], "Oslo")]),
                        ("b", [_ev(["Anna Berg", "Carl Dahl"], None)]),
                        ("c", [_ev(["Anna Berg", "Carl Dahl"], "oslo")])])
    assert len(out) == 1 and out[0]["n_articles"] == 3
