"""The Reader lists the topics a story is about as chips, then the ones it only mentions, quieter."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.models import Article
from dateline.process.topics import tag_topics
from dateline.settings import SAMPLES_DIR
from dateline.store.db import open_store
from dateline.store.writes import save_batch

SEED_TITLE = "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"


@pytest.fixture
def seed_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store holding only the seed story, tagged by the shipped tagger."""
    dump = (SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8")
    start = dump.index("US Secretary of State Antony Blinken will travel to Beijing")
    body = dump[start : dump.index("in London.", start) + len("in London.")]
    seed = Article(
        id="seed",
        url=None,
        title=SEED_TITLE,
        text=body,
        published_at="2023-06-17T03:10:00",
        topics=tag_topics(SEED_TITLE, body),
    )
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    engine = open_store(url)
    save_batch(engine, [seed], run_id=None)
    engine.dispose()
    monkeypatch.setenv("DATELINE_DB_URL", url)
    monkeypatch.setenv("DATELINE_LOAD_SAMPLES", "0")
    monkeypatch.delenv("DATELINE_ADMIN_PASSWORD", raising=False)
    return url


def test_reader_shows_about_chips_then_an_also_mentions_line(seed_env, app) -> None:
    at = app({"article": "seed"}, page="views/reader.py")
    assert not at.exception, at.exception
    chips = next(m.value for m in at.markdown if "🏷️" in m.value)
    assert "politics and government" in chips and "diplomacy" in chips
    assert "economy" not in chips and "conflict" not in chips
    also = next(c.value for c in at.caption if c.value.startswith("Also mentions:"))
    assert "economy, business and finance" in also and "conflict, war and peace" in also
    assert "🏷️" not in also and "green-badge" not in also
