"""Full-text search: user syntax, snippets, ranks, date bounds, other filters, malformed input."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event

from dateline.filters import Filters
from dateline.store import queries, writes

NOW = datetime(2024, 3, 25, 12, 0)

TEXTS = [
    ("Central bank raises interest rates", "The central bank raised rates to fight inflation in Brazil."),
    ("Football final ends in a draw", "The final ended level after extra time; penalties decided it."),
    ("Inflation cools in Europe", "Consumer prices rose less than expected as energy costs fell."),
    ("Elections in India", "Voters queued for hours. Inflation was the main worry of many voters."),
    ("Café owners in Zürich protest", "Rents in Zürich keep rising, say café owners in the old town."),
    ("Bank holiday traffic", "Roads were busy over the long weekend, the central office said."),
]


@pytest.fixture
def searchable(db, article):  # type: ignore[no-untyped-def]
    batch = [
        article(n, title=title, text=body, published_at=f"2024-03-{3 + 4 * n:02d}T10:00:00")
        for n, (title, body) in enumerate(TEXTS)
    ]
    writes.save_batch(db, batch, run_id=None, now=NOW)
    return db


def ids(frame) -> set[str]:  # type: ignore[no-untyped-def]
    return set(frame["id"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inflation", {"art-0", "art-2", "art-3"}),
        ("INFLATION voters", {"art-3"}),
        ('"central bank"', {"art-0"}),
        ("inflation -voters", {"art-0", "art-2"}),
        ("football OR zürich", {"art-1", "art-4"}),
        ("nothing-like-this", set()),
    ],
)
def test_search_syntax(searchable, query, expected):
    found, total = queries.search_articles(searchable, Filters(query=query), NOW)
    assert ids(found) == expected
    assert total == len(expected) == queries.count_articles(searchable, Filters(query=query), NOW)


def test_prefix_and_accents_on_sqlite(searchable):
    if searchable.dialect.name != "sqlite":
        pytest.skip("websearch_to_tsquery has no prefix syntax; PostgreSQL ignores the star")
    found, total = queries.search_articles(searchable, Filters(query="infl*"), NOW)
    assert (ids(found), total) == ({"art-0", "art-2", "art-3"}, 3)
    # unicode61 folds diacritics; PostgreSQL's 'simple' configuration does not (no unaccent extension).
    assert ids(queries.search_articles(searchable, Filters(query="cafe zurich"), NOW)[0]) == {"art-4"}


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND OR NOT", "(((", "col:umn", "-", "*", "NEAR(a b", "'; DROP TABLE articles; --", ")"],
)
def test_malformed_queries_never_raise(searchable, query):
    found, total = queries.search_articles(searchable, Filters(query=query), NOW)
    assert list(found.columns) == queries.SEARCH_COLUMNS
    assert total == len(found)
    assert queries.count_articles(searchable, Filters(query=query), NOW) == total


def test_snippet_marks_and_rank(searchable):
    found, _ = queries.search_articles(searchable, Filters(query="inflation"), NOW)
    assert list(found.columns) == queries.SEARCH_COLUMNS
    for snippet in found["snippet"]:
        assert "\x02" in snippet and "\x03" in snippet
        assert snippet.lower().count("\x02inflation\x03") >= 1
    assert list(found["rank"]) == sorted(found["rank"], reverse=True)
    assert found["rank"].dtype == "float64"


def test_search_respects_time_and_filters(searchable):
    recent = Filters(query="inflation", period="custom", start=datetime(2024, 3, 10).date())
    found, total = queries.search_articles(searchable, recent, NOW)
    assert (ids(found), total) == ({"art-2", "art-3"}, 2)  # art-n is dated 03-(3 + 4n)
    week = Filters(query="inflation OR rents", period="7d")  # since 03-18 12:00: art-4 (03-19)
    assert ids(queries.search_articles(searchable, week, NOW)[0]) == {"art-4"}
    by_source = Filters(query="inflation", sources=("Wire",))  # n % 3 == 0
    assert ids(queries.search_articles(searchable, by_source, NOW)[0]) == {"art-0", "art-3"}


def test_search_pages(searchable):
    first, total = queries.search_articles(searchable, Filters(query="inflation"), NOW, limit=2)
    rest, _ = queries.search_articles(searchable, Filters(query="inflation"), NOW, limit=2, offset=2)
    assert total == 3 and len(first) == 2 and len(rest) == 1
    assert not ids(first) & ids(rest)


def test_edited_text_is_searchable_and_old_text_gone(searchable, article):
    writes.save_batch(searchable, [article(1, title="Chess", text="A long endgame.")], run_id=None, now=NOW)
    assert ids(queries.search_articles(searchable, Filters(query="endgame"), NOW)[0]) == {"art-1"}
    assert queries.search_articles(searchable, Filters(query="penalties"), NOW)[1] == 0


@pytest.mark.parametrize(
    ("user", "fts5"),
    [
        ("bank rates", '("bank") AND ("rates")'),
        ('"central bank" -brazil', '("central bank") NOT "brazil"'),
        ("a OR b c", '("a" OR "b") AND ("c")'),
        ("infl*", '("infl"*)'),
        ("U.S. trade", '("U S") AND ("trade")'),
        ('"unclosed phrase', '("unclosed phrase")'),
        ("OR -x", ""),
        ("***", ""),
        ('say "it\'s"', '("say") AND ("it s")'),
    ],
)
def test_fts5_query(user, fts5):
    assert queries.fts5_query(user) == fts5


def test_out_of_order_backfill_still_exact(db, article):
    """Docs numbered against time order (a backfill) make the doc range loose; results stay exact."""
    for n in (5, 1, 4, 0, 3, 2):  # one batch each, newest-ish first
        writes.save_batch(
            db, [article(n, published_at=f"2024-03-{3 + 4 * n:02d}T10:00:00")], run_id=None, now=NOW
        )
    window = Filters(
        query="bank", period="custom", start=datetime(2024, 3, 5).date(), end=datetime(2024, 3, 16).date()
    )
    found, total = queries.search_articles(db, window, NOW)
    assert (ids(found), total) == ({"art-1", "art-2", "art-3"}, 3)  # the text mentions "bank" in every story
    assert queries.count_articles(db, window, NOW) == 3


def test_word_counts_are_remembered_only_until_the_database_changes(searchable, article):
    if searchable.dialect.name != "sqlite":
        pytest.skip("the FTS5 doc count is SQLite's")
    counts_run = []
    record = lambda *args: counts_run.append(args[2]) if "COUNT(*) FROM articles_fts" in args[2] else None  # noqa: E731
    event.listen(searchable, "before_cursor_execute", record)
    inflation = Filters(query="inflation")
    with searchable.connect() as reader:
        assert queries.count_articles(reader, inflation, NOW) == 3
        assert queries.search_articles(reader, inflation, NOW)[1] == 3
        assert len(counts_run) == 1  # the second loader reused the count
        # Another connection commits: the reader's next transaction sees it.
        writes.save_batch(searchable, [article(10, text="Inflation again.")], run_id=None, now=NOW)
        reader.rollback()
        assert queries.count_articles(reader, inflation, NOW) == 4
        # This connection writes (not yet committed): its own count sees that too.
        writes.save_batch(reader, [article(11, text="And inflation once more.")], run_id=None, now=NOW)
        assert queries.count_articles(reader, inflation, NOW) == 5
        assert queries.count_articles(reader, Filters(query="voters"), NOW) == 1
    assert len(counts_run) == 4


def test_a_words_sample_is_walked_once_per_connection_until_a_write(searchable, article):
    if searchable.dialect.name != "sqlite":
        pytest.skip("the FTS5 doc sample is SQLite's")
    walks = []

    def record(conn, cursor, statement, *rest) -> None:  # type: ignore[no-untyped-def]
        if "substr(t.sort_at, 1, 10) FROM articles_fts" in statement:
            walks.append(statement)

    event.listen(searchable, "before_cursor_execute", record)
    english = Filters(query="inflation", languages=("en",))
    german = Filters(query="inflation", languages=("de",))
    with searchable.connect() as reader:
        exact = queries.count_articles(reader, english, NOW)  # every match, no sample
        assert queries.count_articles_estimate(reader, english, NOW, sample=100) == (exact, False)
        assert queries.count_articles_estimate(reader, german, NOW, sample=100)[1] is False
        assert len(walks) == 1  # the second filter checked the same sampled docs
        writes.save_batch(reader, [article(12, text="Inflation here too.")], run_id=None, now=NOW)
        more = queries.count_articles(reader, english, NOW)
        assert more == exact + 1  # else the new article is not English and this tests nothing
        assert queries.count_articles_estimate(reader, english, NOW, sample=100) == (more, False)
    assert len(walks) == 2
