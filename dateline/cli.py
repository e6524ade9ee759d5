"""The `dateline` command: ingest, process, export, retag and rebuild-aggregates."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import UTC, date, datetime
from typing import IO, Any

from dateline.errors import DatelineError
from dateline.filters import Filters
from dateline.settings import Settings, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if getattr(args, "db", None):
            settings = Settings(**{**settings.__dict__, "db_url": args.db})
        return int(args.run(args, settings))
    except DatelineError as exc:
        print(f"dateline: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dateline: interrupted; batches already committed are kept", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest", help="read files, folders, feed files and feed URLs into the store"
    )
    ingest.add_argument("sources", nargs="+", metavar="SRC")
    ingest.add_argument("--db", help="database URL (default: $DATELINE_DB_URL or data/dateline.db)")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar and no per-item problems")
    ingest.set_defaults(run=_run_ingest)

    process = commands.add_parser(
        "process", help="JSON lines in, processed article JSON lines out (no database)"
    )
    process.add_argument("--no-tags", action="store_true", help="skip country and topic tagging")
    process.set_defaults(run=_run_process)

    export = commands.add_parser("export", help="write the stored articles as JSON lines or CSV")
    export.add_argument("--db")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    _add_filter_options(export)
    export.set_defaults(run=_run_export)

    retag = commands.add_parser(
        "retag", help="re-tag every stored article (after a gazetteer or model change)"
    )
    retag.add_argument("--db")
    retag.set_defaults(run=_run_retag)

    rebuild = commands.add_parser("rebuild-aggregates", help="recompute the daily aggregate tables")
    rebuild.add_argument("--db")
    rebuild.set_defaults(run=_run_rebuild)
    return parser


def _add_filter_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--country", action="append", default=[], help="ISO alpha-2 code; repeatable")
    sub.add_argument(
        "--mentioned", action="store_true", help="match countries merely mentioned, not only about"
    )
    sub.add_argument("--topic", action="append", default=[], help="IPTC QCode, e.g. medtop:11000000")
    sub.add_argument("--source", action="append", default=[])
    sub.add_argument("--language", action="append", default=[])
    sub.add_argument("--since", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    sub.add_argument("--until", type=date.fromisoformat, help="last day, YYYY-MM-DD")
    sub.add_argument("--query", default="", help="full-text query")


def _filters(args: argparse.Namespace) -> Filters:
    custom = args.since is not None or args.until is not None
    return Filters(
        period="custom" if custom else "all",
        start=args.since,
        end=args.until,
        countries=tuple(code.upper() for code in args.country),
        country_mode="mentioned" if args.mentioned else "about",
        topics=tuple(args.topic),
        sources=tuple(args.source),
        languages=tuple(args.language),
        query=args.query,
    )


def _run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from dateline.ingest_run import ingest_sources
    from dateline.store.db import open_store

    engine = open_store(settings.db_url)
    bar = _progress_bar(enabled=not args.quiet and sys.stderr.isatty(), total=len(args.sources))
    report = ingest_sources(engine, args.sources, settings, progress=bar.update if bar else None)
    if bar:
        bar.close()
    if not args.quiet:
        for problem in report.problems:
            where = f"{problem.source}" + (f" [{problem.item}]" if problem.item else "")
            print(f"{problem.level}: {where}: {problem.reason}", file=sys.stderr)
    print(report.summary)
    return 0 if report.ok else 1


class _ProgressBar:
    """tqdm over items, with the source being read in the description."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(unit=" items", file=sys.stderr, dynamic_ncols=True)
        self._total = total

    def update(self, progress: Any) -> None:
        self._bar.set_description(f"{progress.sources_done}/{self._total} sources", refresh=False)
        self._bar.update(progress.items - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def _progress_bar(*, enabled: bool, total: int) -> _ProgressBar | None:
    return _ProgressBar(total) if enabled else None


def _run_process(args: argparse.Namespace, settings: Settings) -> int:
    from dateline.process.pipeline import Processor
    from dateline.process_lines import process_lines

    processor = Processor(topics_backend=settings.topics_backend, tag=not args.no_tags)
    failed = 0
    for output in process_lines(sys.stdin, processor):
        failed += "error" in output
        sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def _run_export(args: argparse.Namespace, settings: Settings) -> int:
    from dateline.serialize import CSV_COLUMNS, article_to_csv_row, article_to_json
    from dateline.store.db import open_store
    from dateline.store.queries import iter_articles

    engine = open_store(settings.db_url)
    with ExitStack() as stack:
        out: IO[str] = (
            stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
            if args.output
            else sys.stdout
        )
        conn = stack.enter_context(engine.connect())
        articles = iter_articles(conn, _filters(args), datetime.now(UTC))
        if args.format == "csv":
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(article_to_csv_row(article) for article in articles)
        else:
            for article in articles:
                out.write(json.dumps(article_to_json(article), ensure_ascii=False) + "\n")
    return 0


def _run_retag(args: argparse.Namespace, settings: Settings) -> int:
    from dateline.process.pipeline import tag_article
    from dateline.store.db import open_store
    from dateline.store.writes import retag

    engine = open_store(settings.db_url)
    from tqdm import tqdm

    with tqdm(unit=" articles", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        count = retag(
            engine,
            lambda article: tag_article(article, topics_backend=settings.topics_backend),
            progress=lambda done: bar.update(done - bar.n),
        )
    print(f"{count} articles re-tagged; aggregates rebuilt")
    return 0


def _run_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from dateline.store.aggregates import rebuild_aggregates
    from dateline.store.db import open_store

    rebuild_aggregates(open_store(settings.db_url))
    print("aggregates rebuilt")
    return 0
