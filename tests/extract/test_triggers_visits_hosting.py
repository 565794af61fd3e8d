"""Visits and hosting (welcome, receive, host, call on, courtesy calls, "visiting"): host and guest roles."""
import pytest

from .helpers import occurred

PUB = "2024-06-01"


def _main(events):
    occ = [e for e in events if e["status"] == "occurred"]
    assert occ, events
    return occ[0]


@pytest.mark.parametrize("text,mode", [
    ("Chinese President Xi Jinping welcomed Brazilian President Luiz Inacio Lula da Silva to Beijing on Friday.", None),
])
def test_welcomed_to_a_capital(extract, text, mode):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    if mode:
        assert evs[0]["mode"] == mode
        assert len(evs[0]["participants"]) >= 2


@pytest.mark.parametrize("text", [
    "The company received at its headquarters on Monday the first batch of new trucks.",
])
def test_receiving_things_is_not_a_meeting(extract, text):
    assert not occurred(extract(text)), text


# state-media order: the received party after the place and time
@pytest.mark.parametrize("text,names", [
    ("Bahrain's King received at Sakhir Palace on Monday the visiting Jordanian foreign minister.", set()),
    ("The Emir of Qatar received at Lusail Palace the President of Ghana, who is on a state visit.",
     {"President of Ghana"}),
])
def test_received_at_a_palace_then_the_guest(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert sum(len(e["participants"]) for e in evs) >= 2, evs
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found


@pytest.mark.parametrize("text,n_participants", [
    ("Chief of Army Staff Gen. Asim Raza called on President Dr. Kamal Shah at the presidency on Monday.", 2),
])
def test_called_on_is_a_visit(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


def test_courtesy_call_is_an_in_person_visit(extract):
    evs = [e for e in extract("The Thai prime minister received a courtesy call from the new Indian ambassador.")
           if e["status"] == "occurred"]
    assert evs and evs[0]["mode"] == "visit"
    assert len(evs[0]["participants"]) == 2


# "X hosted leaders of ... for a summit" (the small model reads "hosted leaders" as a noun phrase)
@pytest.mark.parametrize("s", [
    "Kenya's Ruto hosted leaders of six East African states in Nairobi for a summit on the Congo crisis.",
    "Chile's Boric hosted ministers of ten Latin American countries in Santiago for talks on migration.",
    "Nigerian President Bola Tinubu hosted heads of West African governments in Abuja for talks.",
])
def test_hosted_groups(extract, s):
    e = _main(extract(s, PUB))
    roles = {p["role"] for p in e["participants"]}
    assert roles == {"host", "guest"}, e["participants"]
    assert e["location"] in ("Nairobi", "Santiago", "Abuja")
    guest = next(p for p in e["participants"] if p["role"] == "guest")
    assert "hosted" not in guest["name"] and " in " not in guest["name"]


def test_hosted_host_country(extract):
    e = _main(extract("Chile's Boric hosted ministers of ten Latin American countries in Santiago for talks.", PUB))
    host = next(p for p in e["participants"] if p["role"] == "host")
    assert host["name"] == "Boric" and host["country"] == "Chile"


def test_hosted_named_guest_inside_broken_parse(extract):
    e = _main(extract("Egyptian President Abdel Fattah al-Sisi hosted Jordan's King Abdullah II in Cairo on "
                      "Sunday for talks on the Gaza war.", PUB))
    roles = {p["name"]: (p["role"], p["country"]) for p in e["participants"]}
    assert roles == {"Abdel Fattah al-Sisi": ("host", "Egypt"), "Abdullah II": ("guest", "Jordan")}
    assert e["location"] == "Cairo" and e["date"] == "2024-05-26"
    e = _main(extract("Algeria's Tebboune received Tunisia's President Kais Saied in Algiers.", PUB))
    assert {p["name"]: p["role"] for p in e["participants"]} == {"Tebboune": "host", "Kais Saied": "guest"}


def test_host_and_guest_of_received(extract):
    e = _main(extract("Egypt's Sisi received Jordan's King Abdullah in Cairo on Sunday.", PUB))
    roles = {p["name"]: p["role"] for p in e["participants"]}
    assert roles == {"Sisi": "host", "Abdullah": "guest"}


def test_visiting_is_guest_and_stripped_from_title(extract):
    e = _main(extract("Indian Prime Minister Narendra Modi met visiting German Chancellor Olaf Scholz "
                      "in New Delhi on Monday.", PUB))
    roles = {p["name"]: p["role"] for p in e["participants"]}
    assert roles["Olaf Scholz"] == "guest" and roles["Narendra Modi"] == "participant"
    assert e["trigger"] == "meet" and e["location"] == "New Delhi"
    e = _main(extract("The visiting Japanese foreign minister met his Chinese counterpart in Beijing.", PUB))
    jp = next(p for p in e["participants"] if p["country"] == "Japan")
    assert jp["role"] == "guest" and "visiting" not in (jp["title"] or "") and "visiting" not in jp["name"]
    e = _main(extract("Turkish President Tayyip Erdogan met Finnish President Sauli Niinisto, who is "
                      "visiting Ankara, on Friday.", PUB))
    assert {p["name"]: p["role"] for p in e["participants"]}["Sauli Niinisto"] == "guest"
