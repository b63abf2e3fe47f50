"""The README stays true: it shows every report's own definition, and CI runs exactly
the test command it gives."""

import re
from pathlib import Path

import pytest

from dashboard.reports import REPORTS, definition

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_readme_shows_the_report_definition(name):
    assert f"| `{name}` | {definition(name)} |" in README


def test_ci_runs_the_readme_test_command():
    section = README.split("## Tests", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()
    assert command == "python -m pytest --headless"
    ci_lines = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
    ]
    assert command in ci_lines
