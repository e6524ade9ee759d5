from dateline.models import Article, CountryTag, TopicTag
from dateline.serialize import CSV_COLUMNS, article_to_csv_row, article_to_json

ARTICLE = Article(
    id="a1",
    url="https://example.com/a",
    title="Talks in Beijing",
    text="Body.",
    published_at="2023-06-17T03:10:00",
    source="Example",
    site_tags=("World", "China"),
    countries=(
        CountryTag(code="CN", name="China", mentions=3, salience=0.912345, about=True, offsets=((0, 5),)),
        CountryTag(code="TW", name="Taiwan", mentions=1, salience=0.1, about=False),
    ),
    topics=(
        TopicTag(code="medtop:11000000", label="politics and government", score=0.9, primary=True),
        TopicTag(code="medtop:04000000", label="economy, business and finance", score=0.3, primary=False),
        TopicTag(
            code="medtop:16000000", label="conflict, war and peace", score=0.1, primary=False, about=False
        ),
    ),
    story_id="s1",
)

CONTRACT_FIELDS = {
    "id", "url", "title", "author", "published_at", "source", "dateline", "agency", "language", "text",
    "site_tags", "countries", "topics", "story_id",
}  # fmt: skip


def test_json_has_exactly_the_contract_fields() -> None:
    data = article_to_json(ARTICLE)
    assert set(data) == CONTRACT_FIELDS
    assert data["countries"][0] == {
        "code": "CN",
        "name": "China",
        "mentions": 3,
        "salience": 0.9123,
        "about": True,
    }
    assert data["topics"][0]["primary"] is True
    assert data["site_tags"] == ["World", "China"]


def test_json_of_an_untagged_article_has_empty_lists() -> None:
    data = article_to_json(Article(id="x", url=None, title="t", text="b"))
    assert data["countries"] == [] and data["topics"] == [] and data["author"] is None


def test_csv_row_flattens_lists_into_cells() -> None:
    row = article_to_csv_row(ARTICLE)
    assert list(row) == list(CSV_COLUMNS)
    assert row["countries_about"] == "CN" and row["countries_mentioned"] == "TW"
    assert row["primary_topics"] == "politics and government"
    assert row["site_tags"] == "World; China"
    assert row["author"] == ""


def test_json_topics_carry_their_level_next_to_code_label_score_primary() -> None:
    topics = article_to_json(ARTICLE)["topics"]
    assert topics[0] == {
        "code": "medtop:11000000",
        "label": "politics and government",
        "score": 0.9,
        "primary": True,
        "about": True,
    }
    assert [(t["code"], t["about"]) for t in topics] == [
        ("medtop:11000000", True),
        ("medtop:04000000", True),
        ("medtop:16000000", False),
    ]


def test_csv_keeps_mentioned_topics_out_of_the_topics_cell() -> None:
    row = article_to_csv_row(ARTICLE)
    assert (
        row["topics"]
        == "medtop:11000000 politics and government; medtop:04000000 economy, business and finance"
    )
    assert row["topics_mentioned"] == "medtop:16000000 conflict, war and peace"
