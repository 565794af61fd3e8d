"""0.5.8 patterns, from the seventh blind written set: paused mediation, denied reports, "refused to let X
meet Y", courtesy calls (paid in person), clerics, an apposed "historic encounter" kept out of a name."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "Egypt paused its mediation between the two factions, saying neither side was serious.",
    "The ministry denied reports that the minister had secretly met rebel commanders in Geneva last week.",
    "The junta refused to let the UN envoy meet the jailed opposition leader during his visit.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


def test_courtesy_call_is_an_in_person_visit(extract):
    evs = [e for e in extract("The Thai prime minister received a courtesy call from the new Indian ambassador.")
           if e["status"] == "occurred"]
    assert evs and evs[0]["mode"] == "visit"
    assert len(evs[0]["participants"]) == 2


def test_cleric_and_apposed_encounter(extract):
    evs = [e for e in extract("The pope met Egypt's grand imam at the Vatican in May 2016, a historic encounter "
                              "between the two religious leaders.") if e["status"] == "occurred"]
    assert evs, "no event"
    names = [p["name"] for p in evs[0]["participants"]]
    assert len(names) == 2 and not any("encounter" in n for n in names), names
