"""Golden files (fundus-style): real pages beside the reviewed output; plus a quality floor on the whole benchmark."""

import gzip
import json
from pathlib import Path

import pytest

from meetwire.bench import AEB_DIR, bench_clean, load_benchmark_pages, token_f1
from meetwire.clean import clean_document

GOLDEN = Path(__file__).parents[1] / "fixtures" / "clean"
PAGES = sorted(GOLDEN.glob("*.html.gz"))
TRUTH = json.loads((GOLDEN / "ground-truth.json").read_text())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name[:12])
def test_golden_page(page):
    key = page.name.split(".")[0]
    doc = clean_document(gzip.decompress(page.read_bytes()), url=TRUTH[key]["url"], content_type="text/html")
    expected = json.loads(page.with_name(f"{key}.expected.json").read_text())
    got = {"title": doc.title, "published_at": doc.published_at.isoformat() if doc.published_at else None,
           "source": doc.source, "language": doc.language, "text": doc.text}
    assert got == expected, "cleaner output changed: review, then run tests/fixtures/clean/regenerate.py"
    # Independent of the golden copy: close to the hand-checked body.
    assert token_f1(doc.text, TRUTH[key]["articleBody"])[2] >= 0.9


def test_golden_set_is_present():
    assert len(PAGES) == 3


def test_cleaning_quality_floor_on_the_benchmark():
    if not AEB_DIR.exists():
        pytest.skip("article-extraction-benchmark not beside the repository")
    result = bench_clean(load_benchmark_pages(), with_bare=False)
    # Pinned from a measured run (F1 0.966 vs bare trafilatura 0.950 on the 161 English pages): only up. Bare
    # trafilatura's 0.9499 is fixed by the locked version (`meetwire bench` measures it beside ours).
    assert result["quality_meetwire_clean"]["f1"] >= 0.966
    assert result["quality_meetwire_clean"]["f1"] >= 0.9499
    assert result["quarantined"] == {"not_english": 20}
