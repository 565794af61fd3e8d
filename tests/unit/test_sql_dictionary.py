"""sql/README.md documents every column of every view, and nothing else."""

import re
from pathlib import Path

from meetwire import store

README = Path(__file__).parents[2] / "sql" / "README.md"


def documented() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for section in re.split(r"^### ", README.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, body = section.split("\n", 1)
        body = body.split("\n## ", 1)[0]
        out[name.strip()] = set(re.findall(r"`([a-z_0-9]+)`", body))
    return out


def test_every_view_column_is_documented(store_env):
    docs = documented()
    with store.connect(store_env) as con:
        views = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW' AND table_schema = 'main'"
            " AND table_catalog = current_database()"
        ).fetchall()]
        assert set(views) == set(docs), (sorted(views), sorted(docs))
        for view in views:
            cols = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [view]).fetchall()}
            assert cols == docs[view] - {view}, (view, cols ^ (docs[view] - {view}))
