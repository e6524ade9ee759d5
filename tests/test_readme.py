"""The README's two set-up commands are the project's contract with a new user and with CI."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, str]:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:6]
    found = {}
    for line in head:
        match = re.match(r"Run the (dashboard|tests): `(.+)`", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_readme_opens_with_the_two_commands() -> None:
    commands = _commands()
    assert "streamlit run app.py" in commands["dashboard"]
    assert "pytest" in commands["tests"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()["tests"] in [line.strip() for line in ci_lines]
