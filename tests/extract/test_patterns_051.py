"""0.5.1 patterns: stance/protest objects, 'called on X to resume talks', call phrases."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "Germany welcomed the resumption of negotiations between Serbia and Kosovo on Tuesday.",
    "The Arab League praised the Cairo talks between Fatah and Hamas as a step towards unity.",
    "Opposition leaders condemned the secret meeting between the prime minister and the militia commander.",
    "Hundreds of farmers protested in Brussels against the negotiations between the EU and Mercosur.",
    "The European Union called on Armenia and Azerbaijan to resume talks on a peace treaty.",
    "In a phone call on Monday, the minister discussed the budget.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,mode", [
    ("Chinese President Xi Jinping welcomed Brazilian President Luiz Inacio Lula da Silva to Beijing on Friday.", None),
    ("Spanish Prime Minister Pedro Sanchez and Moroccan King Mohammed VI spoke in a video call on Tuesday about migration.", "virtual"),
    ("In a phone call on Monday, Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan discussed trade.", "phone"),
])
def test_occurred(extract, text, mode):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    if mode:
        assert evs[0]["mode"] == mode
        assert len(evs[0]["participants"]) >= 2
