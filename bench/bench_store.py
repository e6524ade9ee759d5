"""Store benchmark: ingest throughput and dashboard query latency on a synthetic corpus (run by hand).

    python bench/bench_store.py --backend sqlite --sizes 10000,100000
    python bench/bench_store.py --backend postgresql --sizes 10000
    nice python bench/bench_store.py --sizes 1000000 --db-dir /tmp/dateline-bench --reuse   # ~20 min

Each query gets one warm-up run and then `--runs` timed runs (client wall time incl. building the
DataFrame); the median and p95 are printed, and written as JSON with `--out`. "client CPU" is the
benchmark process's own CPU time (process_time): on a shared, loaded machine it shows the work done
without the scheduling waits; for SQLite (in-process) it includes the database engine itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

from dateline.filters import Filters  # noqa: E402
from dateline.store import queries as q  # noqa: E402
from dateline.store.db import open_store  # noqa: E402
from dateline.store.writes import save_batch  # noqa: E402

NOW = datetime(2026, 1, 1)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ECONOMY, SCIENCE = "medtop:04000000", "medtop:13000000"
LAST_90 = {"period": "custom", "start": date(2025, 10, 3), "end": date(2025, 12, 31)}
JUNE = {"period": "custom", "start": date(2025, 6, 1), "end": date(2025, 6, 30)}


def query_set(common: str, rare: str) -> dict[str, Callable[[Engine], object]]:
    """The dashboard's queries; Q1-Q6 mirror notes/QUERY-PERF.md, the rest are other page loads."""
    return {
        "Q1 day counts, economy, 90 d": lambda e: q.period_counts(
            e, Filters(topics=(ECONOMY,), **LAST_90), NOW
        ),
        "Q2 country counts, June, economy": lambda e: q.country_counts(
            e, Filters(topics=(ECONOMY,), **JUNE), NOW
        ),
        "Q3 latest 20, CN + science": lambda e: q.list_articles(
            e, Filters(countries=("CN",), topics=(SCIENCE,)), NOW, limit=20
        ),
        "Q4 weekly x top-8 topics, all time": lambda e: q.period_counts(
            e, Filters(), NOW, granularity="week", split="topic"
        ),
        "Q5 search common word, 90 d": lambda e: q.search_articles(e, Filters(query=common, **LAST_90), NOW),
        "Q5 search rare word, 90 d": lambda e: q.search_articles(e, Filters(query=rare, **LAST_90), NOW),
        "Q6 co-countries US, June": lambda e: q.co_countries(e, Filters(**JUNE), NOW, country="US"),
        "count, all": lambda e: q.count_articles(e, Filters(), NOW),
        "day counts, last 30d (edge days from rows)": lambda e: q.period_counts(
            e, Filters(period="30d"), NOW
        ),
        "country map, all time": lambda e: q.country_counts(e, Filters(), NOW),
        "top topics by country, all time": lambda e: q.top_topics_by_country(e, Filters(), NOW),
        "sources, last 30d": lambda e: q.source_counts(e, Filters(period="30d"), NOW),
        "latest 50, no filter": lambda e: q.list_articles(e, Filters(), NOW),
        "latest 50, US about": lambda e: q.list_articles(e, Filters(countries=("US",)), NOW),
        "top topics by country, economy filter (topic pairs)": lambda e: q.top_topics_by_country(
            e, Filters(topics=(ECONOMY,)), NOW
        ),
        "sources, FR about (newest 2k)": lambda e: q.source_counts(e, Filters(countries=("FR",)), NOW),
        "countries, FR + economy (newest 2k)": lambda e: q.country_counts(
            e, Filters(countries=("FR",), topics=(ECONOMY,)), NOW
        ),
        "topics, economy filter (topic pairs)": lambda e: q.topic_counts(e, Filters(topics=(ECONOMY,)), NOW),
        "search common word, all time": lambda e: q.search_articles(e, Filters(query=common), NOW),
        "search common word + FR, all time": lambda e: q.search_articles(
            e, Filters(query=common, countries=("FR",)), NOW
        ),
        "weekly, US + economy + en, 1 year (tag rows)": lambda e: q.period_counts(
            e,
            Filters(
                countries=("US",),
                topics=(ECONOMY,),
                languages=("en",),
                period="custom",
                start=date(2025, 1, 1),
            ),
            NOW,
            granularity="week",
        ),
    }


def ingest(engine: Engine, size: int, batch: int, seed: int) -> dict[str, float]:
    """Load the corpus in batches (one transaction each); time only the store calls."""
    stored, spent, pending = 0, 0.0, []
    for article in synth.generate(size, seed=seed):
        pending.append(article)
        if len(pending) == batch:
            spent += _timed_save(engine, pending)
            stored, pending = stored + len(pending), []
            if stored % (batch * 50) == 0:
                print(f"  {stored:>9,} stored, {stored / spent:,.0f} articles/s so far", flush=True)
    if pending:
        spent += _timed_save(engine, pending)
        stored += len(pending)
    return {"articles": stored, "seconds": round(spent, 1), "articles_per_s": round(stored / spent)}


def _timed_save(engine: Engine, articles: list) -> float:
    started = time.perf_counter()
    save_batch(engine, articles, run_id=None)
    return time.perf_counter() - started


def time_queries(engine: Engine, runs: int, seed: int) -> dict[str, dict[str, float]]:
    vocab = synth.vocabulary(np.random.default_rng(seed))
    results = {}
    for name, run in query_set(str(vocab[100]), str(vocab[15000])).items():
        run(engine)  # warm-up
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            run(engine)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        results[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(p95, 2),
            "client_cpu_ms": round(statistics.median(cpu), 2),
        }
        print(
            f"  {name:<48} median {results[name]['median_ms']:>9.2f} ms   p95 {p95:>9.2f} ms"
            f"   client CPU {results[name]['client_cpu_ms']:>8.2f} ms",
            flush=True,
        )
    return results


def store_url(backend: str, size: int, db_dir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{db_dir / f'bench-{size}.db'}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"dateline_bench_{size}"
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_pg(size: int) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "dateline_bench_{size}" WITH (FORCE)'))
    admin.dispose()


def bench(backend: str, size: int, args: argparse.Namespace) -> dict[str, object]:
    url = store_url(backend, size, args.db_dir)
    engine = open_store(url)
    with engine.connect() as conn:
        present = conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one()
    result: dict[str, object] = {"backend": backend, "size": size}
    print(f"{backend} {size:,}: {url}", flush=True)
    if present and not args.reuse:
        raise SystemExit(f"{url} already holds {present:,} articles: delete it or pass --reuse")
    if not present:
        result["ingest"] = ingest(engine, size, args.batch, args.seed)
        print(f"  ingest: {result['ingest']}", flush=True)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    result["queries"] = time_queries(engine, args.runs, args.seed)
    engine.dispose()
    if backend == "postgresql" and not args.keep:
        drop_pg(size)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp/dateline-bench"))
    parser.add_argument("--reuse", action="store_true", help="time queries on an already loaded database")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    results = [bench(args.backend, int(s), args) for s in args.sizes.split(",")]
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
