"""The Procfile's `web` command, run as a PaaS runs it (through a shell, PORT set, no
DATABASE_URL): gunicorn serves the page and the Dash layout on the demo data."""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.components import KPIS
from dashboard.figures import CHARTS

ROOT = Path(__file__).resolve().parents[2]


def web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web: line")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def served():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PORT"] = str(port)
    env["WEB_CONCURRENCY"] = "1"  # one demo database to build is enough here
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    proc = subprocess.Popen(
        ["bash", "-c", "exec " + web_command()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read().decode(errors="replace")
                raise AssertionError(f"gunicorn exited:\n{output}")
            try:
                get(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not answer in 60 s") from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()


def test_gun001_procfile_runs_gunicorn_on_port():
    command = shlex.split(web_command())
    assert command[0] == "gunicorn"
    assert "dashboard.wsgi:server" in command
    assert "0.0.0.0:$PORT" in command
    assert "--no-control-socket" in command


def test_gun002_serves_the_page(served):
    status, page = get(served + "/")
    assert status == 200
    assert "<title>Support Dashboard</title>" in page
    assert "/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()  # everything is served by the app itself
    status, css = get(served + "/vendor/bootstrap/css/bootstrap.min.css")
    assert status == 200 and "Bootstrap" in css[:200]


def component_ids(node) -> list:
    """Every component id in a Dash layout (JSON as served by /_dash-layout)."""
    found = []
    if isinstance(node, dict):
        if "props" in node and "id" in node["props"]:
            found.append(node["props"]["id"])
        for value in node.values():
            found += component_ids(value)
    elif isinstance(node, list):
        for value in node:
            found += component_ids(value)
    return found


def test_gun003_serves_the_dash_layout_with_the_kpis(served):
    status, body = get(served + "/_dash-layout")
    assert status == 200
    present = component_ids(json.loads(body))
    for kpi in KPIS:
        assert ids.kpi_value(kpi.name) in present
        assert ids.kpi_delta(kpi.name) in present
    for chart in CHARTS:
        assert ids.chart(chart.report) in present
    assert set(ids.FILTER_FIELDS.values()) <= set(map(str, present))


def test_a_malformed_database_url_stops_the_worker_with_one_clear_line():
    env = {**os.environ, "DATABASE_URL": "mysql://user@host:notaport/db"}
    done = subprocess.run(
        [sys.executable, "-c", "import dashboard.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "support-dashboard: error: DATABASE_URL is not a database URL; expected e.g. "
        "mysql://user:password@host:3306/dbname or sqlite:///support.db"
    )
