"""One ingest run: sources read, items processed, stored in per-batch transactions, and reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from dateline.ingest.fetch import make_client
from dateline.ingest.reader import Skipped, read_items
from dateline.models import Article, Problem, RawItem
from dateline.process.pipeline import Processor
from dateline.settings import Settings
from dateline.store.runs import finish_run, refresh_statistics, start_run
from dateline.store.writes import save_batch

_COUNTS = ("new", "updated", "unchanged", "failed", "skipped")
BATCH_SIZE = 200  # articles per transaction: large enough to amortise commits, small enough to lose little


@dataclass(frozen=True, kw_only=True)
class Progress:
    """Where a run is, for a progress bar: items done so far and sources finished out of all."""

    items: int
    sources_done: int
    sources_total: int
    current: str


@dataclass(frozen=True, kw_only=True)
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    problems: tuple[Problem, ...] = ()
    run_id: int | None = None

    @property
    def summary(self) -> str:
        line = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed"
        return line + (f" ({self.skipped} files skipped)" if self.skipped else "")

    @property
    def ok(self) -> bool:
        return self.failed == 0


def ingest_sources(
    engine: Engine,
    sources: Sequence[str],
    settings: Settings,
    *,
    progress: Callable[[Progress], None] | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Read, process and store every source; one bad item never stops the others."""
    processor = Processor(topics_backend=settings.topics_backend, now=now or datetime.now(UTC))
    run_id = start_run(engine, list(sources))
    tally = _Tally()
    # One HTTP client for the whole run, so feeds on the same host reuse their connections.
    with make_client(settings) as client:
        articles = _processed(sources, settings, client, processor, tally, progress)
        for batch in _batches(articles, BATCH_SIZE):
            result = save_batch(engine, batch, run_id=run_id)
            tally.new += result.new
            tally.updated += result.updated
            tally.unchanged += result.unchanged
    report = tally.report(run_id)
    finish_run(engine, run_id, report)
    refresh_statistics(engine, tally.new)
    return report


@dataclass
class _Tally:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    items: int = 0

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    def add_problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.level == "error":
            self.failed += 1

    def report(self, run_id: int | None) -> IngestReport:
        counts = {name: getattr(self, name) for name in _COUNTS}
        return IngestReport(**counts, problems=tuple(self.problems), run_id=run_id)


def _processed(
    sources: Sequence[str],
    settings: Settings,
    client: httpx.Client,
    processor: Processor,
    tally: _Tally,
    progress: Callable[[Progress], None] | None,
) -> Iterator[Article]:
    for done, source in enumerate(sources):
        for item in read_items([source], client=client, settings=settings):
            if isinstance(item, Skipped):
                tally.skipped += 1
            elif isinstance(item, Problem):
                tally.add_problem(item)
            else:
                yield from _process_one(item, processor, tally)
            tally.items += 1
            if progress:
                progress(
                    Progress(items=tally.items, sources_done=done, sources_total=len(sources), current=source)
                )
        if progress:
            progress(
                Progress(items=tally.items, sources_done=done + 1, sources_total=len(sources), current=source)
            )


def _process_one(item: RawItem, processor: Processor, tally: _Tally) -> Iterator[Article]:
    try:
        processed = processor.process(item)
    except Exception as exc:  # a bug on one odd item must not cost the user the rest of the batch
        tally.add_problem(
            Problem(source=item.url or item.source, item=item.item_id, reason=f"internal error: {exc!r}")
        )
        return
    for problem in processed.problems:
        tally.add_problem(problem)
    if processed.article is not None:
        yield processed.article


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Chunks of unique ids (the last copy of an id wins, as a later file would overwrite an earlier)."""
    batch: dict[str, Article] = {}
    for article in articles:
        batch[article.id] = article
        if len(batch) >= size:
            yield list(batch.values())
            batch = {}
    if batch:
        yield list(batch.values())
