"""The only module that reads user files: paths and folders to Fetched bytes (gzip undone)."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from dateline.models import Fetched, Problem

GZIP_MAGIC = b"\x1f\x8b"
MAX_FILE_BYTES = 200 * 1024 * 1024  # a news file is far smaller; this guards against gzip bombs


def read_sources(paths: Iterable[str | Path]) -> Iterator[Fetched | Problem]:
    """Each file as Fetched; folders expanded recursively in sorted order, hidden entries skipped."""
    for path in paths:
        for file in _expand(Path(path)):
            if isinstance(file, Problem):
                yield file
            else:
                yield read_file(file)


def read_file(path: Path) -> Fetched | Problem:
    """One file's bytes, gunzipped when it starts with the gzip magic bytes, whatever its name."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Problem(source=source, reason=f"cannot read file: {exc.strerror or exc}")
    if body.startswith(GZIP_MAGIC):
        return _gunzip(source, body)
    if len(body) > MAX_FILE_BYTES:
        return Problem(source=source, reason=f"file larger than {MAX_FILE_BYTES // 2**20} MB")
    return Fetched(source=source, body=body)


def _gunzip(source: str, body: bytes) -> Fetched | Problem:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except EOFError:
        return Problem(source=source, reason="truncated gzip file (ends before the compressed stream does)")
    except (OSError, zlib.error) as exc:
        return Problem(source=source, reason=f"corrupt gzip file: {exc}")
    if len(data) > MAX_FILE_BYTES:
        return Problem(source=source, reason=f"gzip content larger than {MAX_FILE_BYTES // 2**20} MB")
    return Fetched(source=source, body=data)


def _expand(path: Path) -> Iterator[Path | Problem]:
    if path.is_dir():
        yield from _walk(path, seen=set())
    elif path.exists():
        yield path
    else:
        yield Problem(source=str(path), reason="no such file or folder")


def _walk(folder: Path, *, seen: set[Path]) -> Iterator[Path | Problem]:
    real = folder.resolve()
    if real in seen:
        return  # a symlink back to a folder already being read
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield Problem(source=str(folder), reason=f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen=seen)
        elif entry.is_file():
            yield entry
