"""Every analyst example in sql/examples/ runs against the current schema (on an empty database)."""

from pathlib import Path

import pytest

from meetwire import store

EXAMPLES = sorted((Path(__file__).parents[2] / "sql" / "examples").glob("*.sql"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(store_env, path):
    with store.connect(store_env) as con:
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("--"))
        statements = [s for s in code.split(";") if s.strip()]
        assert statements
        for statement in statements:
            con.execute(statement).fetchall()


def test_there_are_examples():
    assert len(EXAMPLES) >= 4
