"""0.5.4 patterns, from the fourth blind written set: datelines with a country or a long date, "met face to
face", absolute "with X topping the agenda", mediated sit-downs, a call whose caller only congratulated,
phone conversations framing a review, and "called on President Dr. X"."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "The emir received a phone call from the Prime Minister of Malaysia, who conveyed his congratulations on the national day.",
    "Protesters sat down in the road under the watch of police.",
    "Officials met with resistance, with villagers blocking the road.",
    "The mayor met with fierce criticism from residents.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,n_participants", [
    ("LIMA, Peru (AP) — The foreign ministers of Peru and Ecuador met face to face in Lima on Monday.", 2),
    ("MUSCAT, 3rd March, 2022 (ONA) -- The foreign ministers of Oman and Iran held talks in Muscat.", 2),
    ("Governors of the northern states met in Kaduna on Sunday, with insecurity and farming topping the agenda.", 1),
    ("Elders of rival clans sat down in Baidoa on Tuesday under the mediation of the regional administration.", 1),
    ("In a telephone conversation on Friday, the Kenyan president and the Ugandan president reviewed the oil "
     "pipeline project.", 2),
    ("Chief of Army Staff Gen. Asim Raza called on President Dr. Kamal Shah at the presidency on Monday.", 2),
])
def test_occurred(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


@pytest.mark.parametrize("text,names", [
    # a caption's "file photo" is not the participant; its apposition is
    ("In this March 3, 2021 file photo, Senior adviser Maria Lopez attends a Cabinet meeting in Madrid.",
     {"Maria Lopez"}),
    # the mediated parties of a mediation effort
    ("The emir launched a mediation effort to resolve the rift between Kenya and Somalia.", {"Kenya", "Somalia"}),
    # an organisation's name runs on through its "of" phrase
    ("The League of Arab States hosted talks between the rival factions in Cairo.", {"League of Arab States"}),
    # a group of states as a party
    ("The bloc held talks with Central Asian countries in Astana on Monday.", {"Central Asian countries"}),
])
def test_participants(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found
