"""The IPTC Media Topics Dateline tags: codes, labels, parents and children, from data/topics/."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from dateline.settings import DATA_DIR

TOPICS_CSV = DATA_DIR / "topics" / "mediatopics.csv"


@dataclass(frozen=True, kw_only=True)
class Topic:
    code: str  # QCode, e.g. "medtop:11000000"
    label: str  # official English (en-GB) name
    parent: str | None  # nearest ancestor that Dateline also tags; None for the 17 top-level topics
    definition: str = ""


class Taxonomy:
    """A read-only tree of topics; unknown codes raise KeyError (they are bugs, not bad input)."""

    def __init__(self, topics: tuple[Topic, ...]) -> None:
        self._topics: Mapping[str, Topic] = MappingProxyType({t.code: t for t in topics})
        children: dict[str, list[str]] = {t.code: [] for t in topics}
        for topic in topics:
            if topic.parent is not None:
                children[topic.parent].append(topic.code)
        self._children = {code: tuple(kids) for code, kids in children.items()}
        self._top = tuple(t.code for t in topics if t.parent is None)
        self._ancestors = {t.code: self._walk_up(t.code) for t in topics}

    def __contains__(self, code: object) -> bool:
        return code in self._topics

    def __len__(self) -> int:
        return len(self._topics)

    def topic(self, code: str) -> Topic:
        return self._topics[code]

    def label(self, code: str) -> str:
        return self._topics[code].label

    def parent(self, code: str) -> str | None:
        return self._topics[code].parent

    def children(self, code: str) -> tuple[str, ...]:
        return self._children[code]

    def top_level(self) -> tuple[str, ...]:
        return self._top

    def all_codes(self) -> tuple[str, ...]:
        return tuple(self._topics)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Parent, grandparent, ... up to the top-level topic (empty for a top-level code)."""
        return self._ancestors[code]

    def _walk_up(self, code: str) -> tuple[str, ...]:
        chain: list[str] = []
        parent = self._topics[code].parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self._topics[parent].parent
        return tuple(chain)

    def top_ancestor(self, code: str) -> str:
        chain = self.ancestors(code)
        return chain[-1] if chain else code


def read_taxonomy(path: Path) -> Taxonomy:
    """Parse the CSV written by scripts/build_topics.py (columns code, label, parent, definition)."""
    with path.open(encoding="utf-8", newline="") as handle:
        topics = tuple(
            Topic(
                code=row["code"],
                label=row["label"],
                parent=row["parent"] or None,
                definition=row.get("definition") or "",
            )
            for row in csv.DictReader(handle)
        )
    return Taxonomy(topics)


@cache
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once per process."""
    return read_taxonomy(TOPICS_CSV)
