"""How far the sampled counts under a text query are from the exact ones (run by hand, SQLite).

    python bench/sample_precision.py --db sqlite:////tmp/dateline-bench/bench-1000000.db [--word tdexouto]

For ten countries (every fourth of the forty most covered) and ten country + topic pairs, under a common
word: the exact count (every match checked), then the estimate and its error at several sample sizes,
with the CPU time each took.
"""

from __future__ import annotations

import argparse
import time

from dateline.filters import Filters
from dateline.store import queries as q
from dateline.store.db import open_store

SIZES = (5_000, 10_000, 20_000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--word", default="tdexouto")
    args = parser.parse_args()
    engine = open_store(args.db)
    with engine.connect() as conn:
        now = q.latest_published(conn)
        countries = list(q.country_counts(conn, Filters(), now)["code"][:40:4])
        topics = list(q.topic_counts(conn, Filters(), now)["code"][:10])
    cases = [Filters(query=args.word, countries=(c,)) for c in countries]
    cases += [
        Filters(query=args.word, countries=(c,), topics=(t,)) for c, t in zip(countries, topics, strict=False)
    ]
    for f in cases:
        with engine.connect() as conn:
            exact = q.count_articles_estimate(conn, f, now, sample=None)[0]
            row = [f"{'+'.join(f.countries + f.topics):28s} exact {exact:9,d}"]
            for size in SIZES:
                start = time.process_time()
                estimate = q.count_articles_estimate(conn, f, now, sample=size)[0]
                took = (time.process_time() - start) * 1000
                row.append(
                    f"{size // 1000:2d}k {100 * (estimate - exact) / max(exact, 1):+6.1f}% {took:5.0f} ms"
                )
        print("  ".join(row), flush=True)


if __name__ == "__main__":
    main()
