import pytest


@pytest.fixture(scope="session")
def nlp():
    """Load the spaCy model once per test session."""
    from meetwire.extract.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """The trigger-rule layer alone (no decision model): pattern tests pin what the rules read in a sentence."""
    from functools import partial

    from meetwire.extract import extract_events

    return partial(extract_events, decider=False)


@pytest.fixture(scope="session")
def extract_full(nlp):
    """The whole extractor, decision models included."""
    from meetwire.extract import extract_events

    return extract_events


@pytest.fixture(scope="session")
def extract_accepting(nlp):
    """The whole extractor with a decision step that accepts every candidate it reads: for tests of what a
    field resolver does with a sentence the model may or may not keep (its verdict is scored on real articles)."""
    from functools import partial

    from meetwire.extract import extract_events
    from meetwire.extract.decide import Decider, default_decider

    lexical = default_decider().data["lexical"]
    return partial(extract_events, decider=Decider({"lexical": lexical, "sentence": {"bias": 30.0, "weights": {}}}))
