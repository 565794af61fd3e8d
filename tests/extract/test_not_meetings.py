"""Mentions that are not meetings: stances, protests, failed or denied talks, other verb senses, appeals to meet."""
import pytest

from .helpers import names, occurred

PUB = "2024-06-01"


def _main(events):
    occ = [e for e in events if e["status"] == "occurred"]
    assert occ, events
    return occ[0]


# a meeting as the object of a stance
@pytest.mark.parametrize("text", [
    "Germany welcomed the resumption of negotiations between Serbia and Kosovo on Tuesday.",
    "The Arab League praised the Cairo talks between Fatah and Hamas as a step towards unity.",
    "Opposition leaders condemned the secret meeting between the prime minister and the militia commander.",
])
def test_stance_on_a_meeting(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text", [
    "Hundreds of farmers protested in Brussels against the negotiations between the EU and Mercosur.",
    "The opposition party held a mass meeting in the capital on Sunday to demand early elections.",
])
def test_protests_and_rallies(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text", [
    "Negotiations between the government and the teachers' union collapsed on Monday over pay.",
    "The summit between the two blocs failed to produce a joint statement.",
    "Egypt paused its mediation between the two factions, saying neither side was serious.",
])
def test_failed_or_paused_talks(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text", [
    "The ministry denied reports that the minister had secretly met rebel commanders in Geneva last week.",
    "The junta refused to let the UN envoy meet the jailed opposition leader during his visit.",
])
def test_denied_or_prevented_meetings(extract, text):
    assert not occurred(extract(text)), text


# meeting verbs in their other senses
@pytest.mark.parametrize("text", [
    "The committee met its deadline on Friday.",
    "Officials met with resistance, with villagers blocking the road.",
    "The mayor met with fierce criticism from residents.",
    "Protesters sat down in the road under the watch of police.",
    "Buses shuttled between the airport and the city.",
])
def test_other_senses_of_meeting_verbs(extract, text):
    assert not occurred(extract(text)), text


def test_met_with_criticism_still_rejected(extract):
    assert not occurred(extract("The delegates' proposal met with criticism in Geneva.", PUB))
    assert not occurred(extract("The plan met with fierce resistance from the opposition.", PUB))


# requests and appeals to meet, also across coordinated verbs
@pytest.mark.parametrize("text", [
    "The European Union called on Armenia and Azerbaijan to resume talks on a peace treaty.",
])
def test_appeal_to_resume_talks(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("s", [
    "Beijing urged Manila to de-escalate and hold talks with Chinese officials.",
    "The African Union called on Ethiopia and Egypt to de-escalate and resume negotiations over the dam.",
    "The envoy asked the rival factions to lay down their arms and meet in Geneva.",
    "The European Union urged Armenia and Azerbaijan to show restraint and resume talks.",
])
def test_requested_talks_not_occurred(extract, s):
    assert not occurred(extract(s, PUB)), s


def test_finite_verb_after_requested_infinitive_is_asserted(extract):
    # the parser hangs a finite verb on the infinitive; it is coordinated with the main clause
    e = _main(extract("The president called on rebels to lay down arms and then met tribal elders in the north.", PUB))
    assert any("elders" in n for n in names(e))
    assert not occurred(extract("The UN urged Israel and Hamas to agree a ceasefire and hold talks.", PUB))
