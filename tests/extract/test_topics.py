from meetwire.extract.topics import TAXONOMY, topics_of


def test_topics_and_keywords():
    t, k = topics_of("They discussed Taiwan, Russia's war against Ukraine, the South China Sea and human rights.")
    assert t == ["taiwan", "ukraine_russia", "south_china_sea", "human_rights"]
    assert "South China Sea" in k


def test_ai_is_case_sensitive():
    assert "technology_ai" in topics_of("talks on AI risks")[0]
    assert "technology_ai" not in topics_of("they said it was a fair deal")[0]


def test_taxonomy_is_small():
    assert 10 <= len(TAXONOMY) <= 30
