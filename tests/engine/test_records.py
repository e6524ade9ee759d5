"""JSON, JSONL and CSV exports to raw items: fixtures with expected output, column mapping, bad rows."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dateline.errors import ConfigError
from dateline.ingest.records import column_mapping, parse_csv, parse_json, parse_jsonl
from dateline.models import Problem, RawItem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "records"
PARSERS = {".json": parse_json, ".jsonl": parse_jsonl, ".csv": parse_csv}
RECORD_FILES = sorted(
    path for path in FIXTURES.iterdir() if path.suffix in PARSERS and not path.name.endswith(".expected.json")
)


def parse_fixture(path: Path) -> dict:
    items, problems = PARSERS[path.suffix](path.read_text(encoding="utf-8"), source=path.name)
    as_dicts = {
        "items": [dataclasses.asdict(item) for item in items],
        "problems": [dataclasses.asdict(problem) for problem in problems],
    }
    return json.loads(json.dumps(as_dicts))


@pytest.mark.parametrize("path", RECORD_FILES, ids=[path.name for path in RECORD_FILES])
def test_record_fixture_matches_expected(path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert parse_fixture(path) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["url", "date", "title", "text"],
            {"url": "url", "date": "published", "title": "title", "text": "text"},
        ),
        (
            ["Link", "Headline", "Story", "PubDate"],
            {"Link": "url", "Headline": "title", "Story": "text", "PubDate": "published"},
        ),
        (
            ["published_at", "Byline", "Outlet", "GUID", "Keywords"],
            {
                "published_at": "published",
                "Byline": "author",
                "Outlet": "source_name",
                "GUID": "item_id",
                "Keywords": "tags",
            },
        ),
        # "text" is tried before "description" for the body, which fills in when "text" is empty.
        (["description", "text"], {"text": "text", "description": "text"}),
        (["description"], {"description": "text"}),
        (["Unrelated", "Columns"], {}),
    ],
)
def test_column_mapping_finds_usual_names(columns, expected):
    assert column_mapping(columns) == expected


def test_explicit_mapping_overrides_and_keeps_the_rest_automatic():
    mapping = column_mapping(["text", "my_body", "headline"], {"text": "my_body", "date": "when"})
    assert mapping == {"my_body": "text", "when": "published", "headline": "title"}


def test_unknown_mapping_field_is_a_configuration_error():
    with pytest.raises(ConfigError, match="unknown field 'colour'"):
        column_mapping(["a"], {"colour": "a"})


def test_csv_with_explicit_mapping():
    text = "k,h,b\n1,Title one,Body one\n"
    items, problems = parse_csv(text, source="custom.csv", mapping={"id": "k", "title": "h", "text": "b"})
    assert problems == []
    assert items == [
        RawItem(source="custom.csv", kind="record", item_id="1", title="Title one", text="Body one")
    ]


def test_csv_without_a_text_column_is_one_clear_problem():
    items, problems = parse_csv("a,b\n1,2\n", source="numbers.csv")
    assert items == []
    assert len(problems) == 1
    assert problems[0].reason.startswith("no text column among ['a', 'b']")


def test_csv_with_a_huge_field_is_read():
    body = "word " * 100_000  # 500 KB, over the csv module's default field limit
    items, problems = parse_csv(f'title,text\nBig,"{body}"\n', source="big.csv")
    assert problems == [] and items[0].text == body.strip()


def test_json_object_that_is_one_article():
    items, problems = parse_json('{"title": "Only one", "body": "Its text."}', source="one.json")
    assert problems == []
    assert items == [RawItem(source="one.json", kind="record", title="Only one", text="Its text.")]


def test_json_without_articles_is_a_problem():
    assert parse_json('{"count": 3}', source="c.json") == (
        [],
        [Problem(source="c.json", reason="JSON holds no list of article objects")],
    )


def test_wikinews_csvs_import_with_no_options(shared_dir):
    folder = shared_dir / "samples" / "wikinews"
    items, problems = [], []
    for path in sorted(folder.glob("*.csv")):
        found, bad = parse_csv(path.read_text(encoding="utf-8"), source=path.name)
        items += found
        problems += bad
    assert problems == []
    assert len(items) == 295
    assert all(
        item.kind == "record" and item.url and item.title and item.text and item.published for item in items
    )
    first = items[0]
    assert first.published == "2019-01-04"
    assert first.title == "Magnitogorsk apartment building collapses after explosion, dozens dead"
    # The page's date line stays in the text; the pipeline strips it (strip_leading_date_line).
    assert first.text.startswith("Friday, January 4, 2019")
