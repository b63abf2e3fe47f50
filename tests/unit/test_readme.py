"""The README stays true: it shows every report's own definition, CI runs exactly
the test command it gives, and its production command is the Procfile's."""

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from dashboard.data.reports import REPORTS, definition
from dashboard.testing.procfile import web_command

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_readme001_readme_shows_the_report_definition(name):
    assert f"| `{name}` | {definition(name)} |" in README


def test_readme002_ci_runs_the_readme_test_command():
    section = README.split("## Tests", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()
    assert command == "python -m pytest --headless"
    ci_lines = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
    ]
    assert command in ci_lines


def test_readme003_every_setting_is_documented():
    """Each variable config.py reads is in the README's table and .env.example."""
    source = (ROOT / "dashboard" / "config.py").read_text()
    names = set(re.findall(r'env(?:\.get\(|, )"([A-Z_]+)"', source))
    assert {"DATABASE_URL", "AUTH_USERS", "SECRET_KEY", "REDIS_URL"} <= names
    example = (ROOT / ".env.example").read_text()
    for name in names:
        assert re.search(rf"^\| `{name}`|, `{name}`", README, re.M), name
        assert f"# {name}=" in example, name


def sh_blocks(section_title: str) -> list[str]:
    section = README.split(section_title + "\n", 1)[1].split("\n#", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.+?)\n```", section, re.S)]


def test_readme004_the_quick_start_installs_what_running_needs_and_the_tests_the_rest():
    install, serve = sh_blocks("## Quick start")[0].splitlines()
    assert install == "python3 -m pip install -e ."
    assert serve == "support-dashboard serve"
    tests = README.split("## Tests\n", 1)[1].split("```sh", 1)[0]
    assert '`python3 -m pip install -e ".[test]"`' in tests
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert list(extras) == ["test"]  # what runs needs no extra


@pytest.mark.slow
def test_readme005_running_in_production_shows_the_procfile_command():
    command, local = sh_blocks("### Running in production")
    assert command == web_command()
    last = local.splitlines()[-1]
    inner = re.fullmatch(r'sh -c "\$\((.+)\)"', last).group(1)
    done = subprocess.run(
        ["sh", "-c", inner], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.stdout.strip() == web_command()
    exported = re.findall(r"\b([A-Z_]+)=", local)
    assert exported == ["PORT", "DATABASE_URL", "AUTH_USERS", "SECRET_KEY"]
    assert "`AUTH=off`" in README.split("### Running in production", 1)[1]
