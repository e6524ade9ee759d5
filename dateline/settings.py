"""One settings object, read once at the edge from the environment (and Streamlit secrets)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "dateline.db"
SAMPLES_DIR = DATA_DIR / "samples"


@dataclass(frozen=True, kw_only=True)
class Settings:
    db_url: str
    topics_backend: str = "lexicon"  # "lexicon" (default, fast) or "embeddings" (optional extra)
    admin_password: str | None = None
    load_samples: bool = True  # load data/samples/ into an empty database on first start
    fetch_timeout: float = 20.0
    user_agent: str = "Dateline/0.1 (+news dashboard)"


def default_db_url() -> str:
    return f"sqlite:///{DEFAULT_DB_PATH}"


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None
) -> Settings:
    """Build Settings from `DATELINE_*` variables; Streamlit secrets (if given) win over env."""
    env = os.environ if env is None else env
    secrets = secrets or {}

    def pick(name: str, default: str | None = None) -> str | None:
        if name.lower() in secrets:
            return str(secrets[name.lower()])
        if name in secrets:
            return str(secrets[name])
        return env.get(name, default)

    backend = pick("DATELINE_TOPICS_BACKEND", "lexicon") or "lexicon"
    if backend not in {"lexicon", "embeddings"}:
        raise ConfigError(f"DATELINE_TOPICS_BACKEND must be 'lexicon' or 'embeddings', not {backend!r}")
    timeout_text = pick("DATELINE_FETCH_TIMEOUT", "20") or "20"
    try:
        timeout = float(timeout_text)
    except ValueError as exc:
        raise ConfigError(
            f"DATELINE_FETCH_TIMEOUT must be a number of seconds, not {timeout_text!r}"
        ) from exc
    return Settings(
        db_url=pick("DATELINE_DB_URL") or default_db_url(),
        topics_backend=backend,
        admin_password=pick("DATELINE_ADMIN_PASSWORD") or None,
        load_samples=(pick("DATELINE_LOAD_SAMPLES", "1") or "1").lower() not in {"0", "false", "no"},
        fetch_timeout=timeout,
    )
