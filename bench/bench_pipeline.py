"""Throughput of `dateline process` on page dumps and HTML pages, and of `dateline ingest` into SQLite.

Run by hand on an idle machine (one core: the loop is single-threaded):
    python bench/bench_pipeline.py [--repeat 3]
Inputs: the bundled seed dump (repeated), the dev dumps rendered by bench/render_dumps.py (11.6 kB on
average), the HTML pages of ../shared/dev/extraction (when present), and data/samples for the ingest.
Prints items/s per core (CPU time, best of --repeat) with and without tagging; the ingest line is wall time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dateline.ingest_run import ingest_sources
from dateline.models import RawItem
from dateline.process.pipeline import Processor
from dateline.settings import SAMPLES_DIR, load_settings
from dateline.store.db import open_store

ROOT = Path(__file__).resolve().parents[1]
DEV_HTML = ROOT.parent / "shared" / "dev" / "extraction" / "html"
DUMPS = Path("/tmp/dateline-dumps")  # rendered by bench/render_dumps.py, when it has been run


def seed_items(count: int = 300) -> list[RawItem]:
    text = (SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8")
    return [RawItem(source="seed", kind="dump", text=text)] * count


def dump_items() -> list[RawItem]:
    paths = sorted(DUMPS.glob("*.txt")) if DUMPS.is_dir() else []
    paths = paths or [SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt"] * 200
    return [RawItem(source=str(p), kind="dump", text=p.read_text(encoding="utf-8")) for p in paths]


def html_items() -> list[RawItem]:
    return [
        RawItem(source=str(p), kind="html", html=gzip.decompress(p.read_bytes()).decode("utf-8", "replace"))
        for p in sorted(DEV_HTML.glob("*.html.gz"))
    ]


def rate(items: list[RawItem], processor: Processor, repeat: int) -> float:
    for item in items[:5]:
        processor.process(item)  # warm caches (gazetteer, lexicons, model files)
    runs = []
    for _ in range(repeat):
        start = time.process_time()  # CPU time of this process: one core, fairer on a shared machine
        for item in items:
            processor.process(item)
        runs.append(len(items) / (time.process_time() - start))
    return max(runs)


def ingest_rate() -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(env={"DATELINE_DB_URL": f"sqlite:///{folder}/bench.db"})
        engine = open_store(settings.db_url)
        start = time.perf_counter()
        report = ingest_sources(engine, [str(SAMPLES_DIR)], settings)
        elapsed = time.perf_counter() - start
        engine.dispose()
    return report.new, report.new / elapsed


def cli_rate(count: int = 3000) -> float:
    """`dateline process` itself, JSON lines in and out, on `count` seed dumps: dumps per second of the
    child's CPU time, its start-up (the same command on 10 lines) taken off."""

    def child_cpu(lines: int) -> float:
        text = (SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8")
        feed = "".join(json.dumps({"id": f"s{i}", "text": text}) + "\n" for i in range(lines))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "dateline", "process"],
            input=feed,
            text=True,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    start_up = child_cpu(10)
    return (count - 10) / (child_cpu(count) - start_up)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dumps, pages, seeds = dump_items(), html_items(), seed_items()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; rates are best-of-N per core")
    for tag in (False, True):
        processor = Processor(tag=tag)
        label = "with tagging" if tag else "no tagging"
        print(
            f"process seed-sized dumps (5.3 kB), {label}: {rate(seeds, processor, args.repeat):,.0f} items/s"
        )
        print(f"process dumps ({len(dumps)}), {label}: {rate(dumps, processor, args.repeat):,.0f} items/s")
        if pages:
            print(f"process HTML ({len(pages)}), {label}: {rate(pages, processor, args.repeat):,.0f} items/s")
    print(
        f"dateline process (the CLI, JSON lines in and out), seed dumps, with tagging: {cli_rate():,.0f} items/s"
    )
    new, per_second = ingest_rate()
    print(
        f"ingest data/samples into SQLite ({new} articles, read+process+tag+store): {per_second:,.0f} articles/s"
    )


if __name__ == "__main__":
    main()
