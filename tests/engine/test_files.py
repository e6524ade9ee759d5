"""read_sources: files and folders to Fetched bytes, gzip by magic bytes, problems named by path."""

from __future__ import annotations

import gzip

import pytest

from dateline.ingest.files import read_file, read_sources
from dateline.models import Fetched, Problem


def test_reads_a_file_as_given(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Headline\n\nBody text.")
    [fetched] = read_sources([path])
    assert fetched == Fetched(source=str(path), body=b"Headline\n\nBody text.")


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "b/1.txt", "a.txt", ".hidden.txt", ".git/config", "c.txt"):
        (tmp_path / name).write_text(name)
    sources = [item.source for item in read_sources([str(tmp_path)])]
    assert sources == [str(tmp_path / name) for name in ("a.txt", "b/1.txt", "b/2.txt", "c.txt")]


def test_gzip_is_detected_by_magic_bytes_not_name(tmp_path):
    plain = tmp_path / "page.html"  # no .gz suffix, still gzip inside
    plain.write_bytes(gzip.compress(b"<html><body><p>Hi</p></body></html>"))
    named = tmp_path / "notes.txt.gz"
    named.write_bytes(b"not gzip at all")
    assert read_file(plain).body == b"<html><body><p>Hi</p></body></html>"
    assert read_file(named).body == b"not gzip at all"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (gzip.compress(bytes(range(256)) * 40)[:-20], "truncated gzip file"),
        (b"\x1f\x8b\x08\x00" + b"\xff" * 30, "corrupt gzip file"),
    ],
)
def test_bad_gzip_is_a_problem_naming_the_path(tmp_path, body, reason):
    path = tmp_path / "archive.csv.gz"
    path.write_bytes(body)
    problem = read_file(path)
    assert isinstance(problem, Problem)
    assert problem.source == str(path)
    assert problem.reason.startswith(reason)


def test_missing_path_is_a_problem_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("text")
    results = list(read_sources([str(tmp_path / "nope.txt"), str(good)]))
    assert results[0] == Problem(source=str(tmp_path / "nope.txt"), reason="no such file or folder")
    assert isinstance(results[1], Fetched)


def test_a_folder_given_as_file_is_a_problem(tmp_path):
    # Opening a directory fails on every OS, so this exercises the OSError path even as root.
    problem = read_file(tmp_path)
    assert isinstance(problem, Problem)
    assert problem.source == str(tmp_path)
    assert problem.reason.startswith("cannot read file")


def test_empty_file_is_read_as_empty_bytes(tmp_path):
    path = tmp_path / "empty.txt"
    path.touch()
    assert read_file(path) == Fetched(source=str(path), body=b"")


def test_symlink_loop_is_read_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "story.txt").write_text("x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [item.source for item in read_sources([tmp_path])] == [str(tmp_path / "a" / "story.txt")]
