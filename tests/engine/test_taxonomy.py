"""The shipped IPTC Media Topics taxonomy: official codes, labels and a consistent tree."""

from __future__ import annotations

import re

import pytest

from dateline.process.taxonomy import Taxonomy, Topic, load_taxonomy, read_taxonomy

TOP_LEVEL = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:02000000": "crime, law and justice",
    "medtop:03000000": "disaster, accident and emergency incident",
    "medtop:04000000": "economy, business and finance",
    "medtop:05000000": "education",
    "medtop:06000000": "environment",
    "medtop:07000000": "health",
    "medtop:08000000": "human interest",
    "medtop:09000000": "labour",
    "medtop:10000000": "lifestyle and leisure",
    "medtop:11000000": "politics and government",
    "medtop:12000000": "religion",
    "medtop:13000000": "science and technology",
    "medtop:14000000": "society",
    "medtop:15000000": "sport",
    "medtop:16000000": "conflict, war and peace",
    "medtop:17000000": "weather",
}


def test_the_17_top_level_topics_with_official_labels() -> None:
    taxonomy = load_taxonomy()
    assert {code: taxonomy.label(code) for code in taxonomy.top_level()} == TOP_LEVEL


@pytest.mark.parametrize(
    ("code", "label", "parent"),
    [
        ("medtop:20000639", "diplomacy", "medtop:11000000"),
        ("medtop:20000574", "election", "medtop:11000000"),
        ("medtop:20000056", "armed conflict", "medtop:16000000"),
        ("medtop:20000373", "international trade", "medtop:04000000"),
        ("medtop:20000385", "market and exchange", "medtop:04000000"),
        ("medtop:20000082", "crime", "medtop:02000000"),
        ("medtop:20000095", "drug related crimes", "medtop:20000082"),
        ("medtop:20001358", "public health", "medtop:07000000"),
        ("medtop:20000418", "climate change", "medtop:06000000"),
        ("medtop:20000151", "natural disaster", "medtop:03000000"),
        ("medtop:20001065", "football", "medtop:15000000"),
    ],
)
def test_children_the_brief_names(code: str, label: str, parent: str) -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.label(code) == label
    assert taxonomy.parent(code) == parent
    assert code in taxonomy.children(parent)


def test_tree_is_consistent() -> None:
    taxonomy = load_taxonomy()
    codes = taxonomy.all_codes()
    assert len(set(codes)) == len(codes) == len(taxonomy)
    for code in codes:
        assert re.fullmatch(r"medtop:\d{8}", code)
        assert taxonomy.top_ancestor(code) in TOP_LEVEL
        for child in taxonomy.children(code):
            assert taxonomy.parent(child) == code
    assert len(codes) > len(TOP_LEVEL) + 40


def test_ancestors_walk_up_to_the_top() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.ancestors("medtop:20000095") == ("medtop:20000082", "medtop:02000000")
    assert taxonomy.ancestors("medtop:15000000") == ()
    assert taxonomy.top_ancestor("medtop:20000095") == "medtop:02000000"


def test_unknown_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_taxonomy().label("medtop:99999999")


def test_load_is_cached() -> None:
    assert load_taxonomy() is load_taxonomy()


def test_read_taxonomy_from_a_small_file(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("code,label,parent\nmedtop:1,a,\nmedtop:2,b,medtop:1\n", encoding="utf-8")
    taxonomy = read_taxonomy(path)
    assert taxonomy.top_level() == ("medtop:1",)
    assert taxonomy.children("medtop:1") == ("medtop:2",)
    assert taxonomy.topic("medtop:2") == Topic(code="medtop:2", label="b", parent="medtop:1")
    assert isinstance(taxonomy, Taxonomy)
