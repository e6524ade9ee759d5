"""Shared test setup: the project root on sys.path and the location of the shared dev sets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout; tests that need it skip in a user's clone, which has none."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a user's clone): labelled dev sets not available")
    return SHARED
