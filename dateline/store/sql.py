"""Shared SQL building blocks: bound parameters, time ranges, WHERE clauses and connections."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine


@contextmanager
def connected(target: Connection | Engine) -> Iterator[Connection]:
    if isinstance(target, Engine):
        with target.connect() as conn:
            yield conn
    else:
        yield target


class Params(dict):
    """Bound parameters with generated names, so SQL text never carries a value."""

    def add(self, value: object) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return ":" + name

    def add_list(self, values: Sequence[object]) -> str:
        return ", ".join(self.add(v) for v in values)


def stamp(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def between(col: str, since: datetime | None, until: datetime | None, p: Params) -> list[str]:
    conds = [f"{col} >= {p.add(stamp(since))}"] if since else []
    return conds + ([f"{col} < {p.add(stamp(until))}"] if until else [])


def where_clause(conds: list[str]) -> str:
    return (" WHERE " + " AND ".join(conds)) if conds else ""
