"""The pins CI installs agree with pyproject.toml: requirements.txt pins every runtime
dependency inside its range, and constraints.txt pins every test tool."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(name: str) -> dict[str, str]:
    """{package: version} of the `name==version` lines of a pins file."""
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            package, version = line.split("==")
            out[canonicalize_name(package)] = version.strip()
    return out


def test_pin001_requirements_pin_every_dependency_inside_its_range():
    pinned = pins("requirements.txt")
    for dependency in PROJECT["dependencies"]:
        wanted = Requirement(dependency)
        version = pinned.get(canonicalize_name(wanted.name))
        assert version is not None, f"{wanted.name} is not in requirements.txt"
        assert wanted.specifier.contains(version, prereleases=True), (
            f"requirements.txt pins {wanted.name}=={version}, outside {wanted}"
        )


def test_pin002_constraints_pin_every_test_tool_and_no_runtime_package():
    tools, runtime = pins("constraints.txt"), pins("requirements.txt")
    for dependency in PROJECT["optional-dependencies"]["test"]:
        wanted = Requirement(dependency)
        name = canonicalize_name(wanted.name)  # dash[testing]: dash is runtime
        version = tools.get(name, runtime.get(name))
        assert version is not None, f"{wanted.name} is not in constraints.txt"
        assert wanted.specifier.contains(version, prereleases=True), wanted
    for extra in ("selenium", "lxml", "beautifulsoup4", "waitress"):  # dash[testing]
        assert extra in tools, extra
    # urllib3 alone: dash[testing]'s selenium 4.2.0 needs 1.26 (constraints.txt)
    assert set(tools) & set(runtime) == {"urllib3"}
