"""It builds where the README says it deploys: what a Python buildpack does with the
repository (a fresh virtualenv, `pip install -r requirements.txt` and nothing else),
then the Procfile's command from that virtualenv serves the page."""

import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from dashboard.testing.procfile import ROOT, get, running, script_urls

pytestmark = pytest.mark.slow


def checkout(target: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored), as a push sends
    them: no .venv, no build leftovers."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            (target / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            (target / name.decode()).write_bytes(source.read_bytes())
    return target


def test_build001_python_version_is_one_the_project_supports():
    wanted = (ROOT / ".python-version").read_text().strip()
    assert wanted == "3.11"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"
    ]
    assert requires == ">=3.11"


def test_build002_requirements_pin_the_runtime_and_install_this_package(tmp_path):
    app = checkout(tmp_path / "app")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    done = subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "-r", "requirements.txt"],
        cwd=app,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    with running(tmp_path, workers=1, cwd=app, bin_dir=bin_dir) as server:
        server.wait_for_output(r"dashboard\.web\.app: dashboard on ", timeout=120)
        status, page = get(server.base + "/")
        assert status == 200
        scripts = script_urls(page.decode())
        renderer = next(u for u in scripts if "dash_renderer" in u)
        assert get(server.base + renderer)[0] == 200
        assert get(server.base + "/assets/style.css")[0] == 200
    # gunicorn and the app ran from the new virtualenv, not this one.
    assert str(bin_dir) != str(Path(sys.executable).parent)
    assert "Traceback" not in server.output()
