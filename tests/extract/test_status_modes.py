import pytest

from .helpers import occurred


def _one(extract, text, pub=None):
    evs = extract(text, pub)
    assert evs, text
    return evs[0]


@pytest.mark.parametrize("text,status", [
    ("Putin met Erdogan in Sochi on Monday.", "occurred"),
    ("Putin will meet Erdogan in Sochi next week.", "planned"),
    ("The two presidents are expected to hold talks in Geneva.", "planned"),
    ("Ministers agreed to meet again in March.", "planned"),
    ("The envoy refused to meet the rebel leaders.", "cancelled"),
    ("The foreign minister did not meet his Russian counterpart.", "cancelled"),
    ("Hungary cancelled a planned visit by the Chinese premier.", "cancelled"),
    ("Pence meets Iceland's President Gudni Johannesson at Hofdi House.", "occurred"),
    ("Macron is hosting a climate summit in Paris.", "occurred"),
])
def test_status(extract, text, status):
    assert _one(extract, text)["status"] == status


def test_future_date_makes_an_event_planned(extract):
    e = _one(extract, "Blinken met Wang Yi on June 20.", "2024-05-30")
    assert e["date"] == "2024-06-20" and e["status"] == "planned"


@pytest.mark.parametrize("text,mode", [
    ("Modi spoke by phone with Putin on Friday.", "phone"),
    ("Trump called Saudi Arabia's King Salman on Saturday.", "phone"),
    ("Lambert met virtually with Hong Liang.", "virtual"),
    ("Blinken visited Beijing and met Xi Jinping.", "visit"),
    ("Sisi hosted King Abdullah in Cairo.", "in_person"),
    ("Trump attends a meeting of the North Atlantic Council during a NATO summit.", "multilateral"),
])
def test_modes(extract, text, mode):
    modes = {e["mode"] for e in extract(text)}
    assert mode in modes, (text, modes)


@pytest.mark.parametrize("text", [
    "The minister called for an immediate ceasefire.",
    "Police met protesters with tear gas.",
    "The company met its quarterly sales targets.",
    "The president called the report a disgrace.",
    "Opposition parties called on the government to resign.",
    "China welcomed the decision by the Honduran government.",
    "After an emergency meeting in Jeddah, the OIC condemned the declaration.",
    "Patel told reporters during a briefing that sanctions could follow.",
    "Netanyahu called Morrison to congratulate him on his victory.",
    "The prime minister met with criticism over the deal.",
    "The novel was called The Long Winter.",
    "Researchers built a model of the galaxy they call Aurora.",
    "These teams meet again in Denver on Friday.",
    "VISIT the Smithsonian National Air and Space Museum this weekend.",
    "The striker made his first trip back to the city since the transfer.",
    "Moscow denied that Russian officials had met with the Taliban.",
    "Officials who met with the rebels were later sanctioned.",
])
def test_not_meetings(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("parties,sentence,mode,want", [
    ([("Lord Goldsmith", "United Kingdom"), ("Lord Falconer", "United Kingdom"), ("Baroness Morgan", None)],
     "Lord Goldsmith met Lord Falconer and Baroness Morgan.", "multilateral", "in_person"),
    ([("Tony Blair", "United Kingdom"), ("EU counterparts", None)],
     "Mr Blair is meeting his EU counterparts.", "in_person", "multilateral"),
    ([("G7 finance ministers", None)], "G7 finance ministers met in London.", "in_person", "multilateral"),
    ([("France", "France"), ("Germany", "Germany"), ("Italy", "Italy")], "Talks in Rome.", "multilateral",
     "multilateral"),
    ([("Kirchner", "Argentina"), ("Jacques Chirac", "France")], "Kirchner discussed it with Chirac.", "unknown",
     "in_person"),
    ([("Modi", "India"), ("Putin", "Russia")], "Modi spoke by phone with Putin.", "phone", "phone"),
])
def test_resolve_mode(parties, sentence, mode, want):
    from meetwire.extract.modes import resolve_mode

    event = {"mode": mode, "participants": [{"name": n, "country": c} for n, c in parties]}
    assert resolve_mode(event, sentence) == want
