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


def test_every_setting_is_documented():
    """Each variable config.py reads is in the README's table and .env.example."""
    source = (ROOT / "dashboard" / "config.py").read_text()
    names = set(re.findall(r'env(?:\.get\(|, )"([A-Z_]+)"', source))
    assert {"DATABASE_URL", "AUTH_USERS", "SECRET_KEY", "REDIS_URL"} <= names
    example = (ROOT / ".env.example").read_text()
    for name in names:
        assert re.search(rf"^\| `{name}`|, `{name}`", README, re.M), name
        assert f"# {name}=" in example, name
