"""House style is enforced, not hoped for: ruff (lint + format) and mypy on the engine."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (requirements-dev.txt)")
@pytest.mark.parametrize("check", [("check", "."), ("format", "--check", ".")])
def test_ruff(check: tuple[str, ...]) -> None:
    result = _run("ruff", *check)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_the_engine() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (requirements-dev.txt)")
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
