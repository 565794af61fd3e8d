import pytest


@pytest.fixture(scope="session")
def nlp():
    """Load the spaCy model once per test session."""
    from meetwire.extract.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    from meetwire.extract import extract_events

    return extract_events
