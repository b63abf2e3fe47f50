"""The Procfile's `web` command, run as a PaaS runs it (through a shell, PORT set, no
DATABASE_URL): gunicorn serves the page and the Dash layout on the demo data, asks
for a login when AUTH_USERS is set, and refuses to start on settings it cannot use.
"""

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.testing.procfile import import_wsgi
from dashboard.ui import ids
from dashboard.ui.charts import CHARTS
from dashboard.ui.kpis import KPIS
from tests.logins import AUTH_USERS, SECRET_KEY

pytestmark = pytest.mark.slow  # gunicorn and the WSGI import run as subprocesses
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(url: str) -> tuple[int, dict]:
    """The status and headers of a GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


SETTINGS = ("DATABASE_URL", "AUTH", "AUTH_USERS", "SECRET_KEY", "REDIS_URL")


def procfile_env(**settings) -> dict:
    """The environment a PaaS gives the web process: ours, minus any of the app's
    settings, plus `settings`, with this virtualenv's gunicorn on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    return {**env, **settings}


@pytest.fixture(scope="module")
def served():
    yield from gunicorn()


@pytest.fixture(scope="module")
def served_with_logins():
    yield from gunicorn(AUTH_USERS=AUTH_USERS, SECRET_KEY=SECRET_KEY)


def gunicorn(**settings):
    """Run the Procfile's command until the page answers; yield its base URL."""
    port = free_port()
    env = procfile_env(PORT=str(port), **settings)
    env["WEB_CONCURRENCY"] = "1"  # one demo database to build is enough here
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
                get(base + "/login" if settings.get("AUTH_USERS") else base + "/")
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
    assert "dashboard.web.wsgi:server" in command
    assert "0.0.0.0:$PORT" in command
    assert "--no-control-socket" in command
    assert "python:dashboard.web.gunicorn_conf" in command  # refuses bad settings


def test_gun002_serves_the_page(served):
    status, page = get(served + "/")
    assert status == 200
    assert "<title>Support Dashboard</title>" in page
    assert "/assets/vendor/bootstrap.min.css" in page
    assert "cdn" not in page.lower()  # everything is served by the app itself
    status, css = get(served + "/assets/vendor/bootstrap.min.css")
    assert status == 200
    assert "Bootstrap" in css[:200]


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


def test_gun008_dash_debug_never_reaches_gunicorn():
    """DASH_DEBUG is read by Dash's development server only (`serve`): under
    gunicorn the app stays out of debug mode, so its debug-only route is closed."""
    with contextlib.contextmanager(gunicorn)(DASH_DEBUG="true") as base:
        assert get(base + "/")[0] == 200
        assert status(base + "/_reload-hash")[0] == 404


def test_gun004_logins_guard_the_page(served_with_logins):
    code, headers = status(served_with_logins + "/?month=2025-03")
    assert code == 302
    assert headers["Location"] == "/login?next=/?month%3D2025-03"
    code, headers = status(served_with_logins + "/login")
    assert code == 200
    assert "HttpOnly" in headers["Set-Cookie"]
    for path in ("/_dash-layout", "/_dash-dependencies", "/_reload-hash"):
        assert status(served_with_logins + path)[0] == 401, path
    assert status(served_with_logins + "/assets/style.css")[0] == 200


REAL_DB = "mysql://dashboard:secret@127.0.0.1:3306/support"
REFUSED = [
    (
        {"DATABASE_URL": REAL_DB},
        "support-dashboard: error: DATABASE_URL is set but AUTH_USERS is not: set "
        "AUTH_USERS and SECRET_KEY (users from `support-dashboard hash-password`), or "
        "AUTH=off behind a login proxy",
    ),
    (
        {"DATABASE_URL": "nonsense://x"},
        "support-dashboard: error: unsupported database 'nonsense' in DATABASE_URL; "
        "use mysql://... or sqlite:///path",
    ),
    (
        {"DATABASE_URL": REAL_DB, "AUTH_USERS": AUTH_USERS, "SECRET_KEY": "short"},
        "support-dashboard: error: SECRET_KEY is too short (5 characters): use 32 or "
        "more random characters, e.g. from `python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'`",
    ),
]


@pytest.mark.parametrize(("settings", "line"), REFUSED)
def test_gun005_unusable_settings_stop_the_whole_server_with_one_line(settings, line):
    port = free_port()
    started = time.monotonic()
    done = subprocess.run(
        ["bash", "-c", "exec " + web_command()],
        cwd=ROOT,
        env=procfile_env(PORT=str(port), **settings),  # 2 workers, as deployed
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 10
    assert done.returncode != 0
    assert done.stderr.splitlines() == [line]  # nothing else: no traceback
    assert done.stdout == ""
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", port))  # the port was never opened


def test_gun006_without_the_config_a_worker_that_cannot_load_still_stops_it():
    """`gunicorn dashboard.web.wsgi:server` with no --config: the worker exits with
    gunicorn's APP_LOAD_ERROR, and the master stops instead of respawning it."""
    port = free_port()
    done = subprocess.run(
        ["gunicorn", "dashboard.web.wsgi:server", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=procfile_env(DATABASE_URL=REAL_DB),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.count("Booting worker") == 1  # never respawned
    assert REFUSED[0][1] in done.stderr.splitlines()
    assert "App failed to load" in done.stderr


def test_gun007_the_worker_exits_with_gunicorns_app_load_error():
    env = procfile_env(DATABASE_URL="mysql://user@host:notaport/db")
    done = import_wsgi(env)
    assert done.returncode == 4  # gunicorn.arbiter.Arbiter.APP_LOAD_ERROR
    assert done.stderr.splitlines() == [
        "support-dashboard: error: DATABASE_URL is not a database URL; expected e.g. "
        "mysql://user:password@host:3306/dbname or sqlite:///support.db"
    ]
