"""The Procfile's command with two gunicorn workers, hit right after it starts: every
worker serves every bundle of the page from its first request on, and the hardened
routes hold behind a real HTTP server (raw paths, gunicorn's log)."""

import http.client
import json
import re
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.config import Settings
from dashboard.testing.procfile import get, running, script_urls
from dashboard.web.app import create_app

pytestmark = pytest.mark.slow  # gunicorn in a subprocess
# The worker's pid, the status and the path of each request, in gunicorn's log.
ACCESS_FORMAT = "access pid=%(p)s status=%(s)s path=%(U)s"
ACCESS = re.compile(r"access pid=<?(\d+)>? status=(\d+) path=(\S+)")


@pytest.fixture(scope="module")
def page_scripts() -> list[str]:
    """The page's script URLs, from an app built here (the bundles' fingerprints
    depend only on the installed packages)."""
    page = create_app(Settings()).server.test_client().get("/")
    return script_urls(page.get_data(as_text=True))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"GUNICORN_CMD_ARGS": f"--access-logformat='{ACCESS_FORMAT}'"}
    with running(tmp_path_factory.mktemp("web"), workers=2, env=env) as server:
        # Both workers have built the app (create_app logs this line last) and
        # have served nothing yet.
        server.wait_for_output(r"dashboard\.web\.app: dashboard on ", count=2)
        yield server


def test_first001_both_workers_serve_every_bundle_from_the_start(server, page_scripts):
    # Before any request: the page and each script four times, all at once, each
    # on a fresh connection, so both workers start on bundle requests.
    paths = ["/"] + page_scripts * 4
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda p: get(server.base + p)[0], paths))
    assert statuses == [200] * len(paths), server.output()[-3000:]

    status, page = get(server.base + "/")
    assert status == 200
    assert script_urls(page.decode()) == page_scripts  # the URLs the page lists

    served = defaultdict(set)
    for pid, code, path in ACCESS.findall(server.output()):
        assert code in ("200", "304"), (pid, code, path)
        served[pid].add(path)
    assert len(served) == 2, f"one worker answered everything: {dict(served)}"
    for paths_of_worker in served.values():
        assert paths_of_worker & set(page_scripts)
    assert "Traceback" not in server.output()


def raw_get(server, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (urllib would normalise dots)."""
    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/../../etc/passwd",
        "/_dash-component-suites/dash/%2e%2e/%2e%2e/etc/passwd",
        "/_dash-component-suites/..%2f..%2f..%2fetc/passwd",
        "/_dash-component-suites/dash/dcc/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/_dash-component-suites/dash/dash.py",
    ],
)
def test_first002_path_traversal_answers_404_and_logs_no_traceback(server, path):
    status, body = raw_get(server, path)
    assert status in (400, 404)
    assert b"root:" not in body
    assert "Traceback" not in server.output()


def test_first003_hardened_routes_behind_gunicorn(server):
    assert raw_get(server, "/_reload-hash")[0] == 404
    status, body = raw_get(server, "/healthz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"

    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(
        "POST",
        "/_dash-update-component",
        body=b"x" * 2_000_000,
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    assert response.status == 413
    conn.close()

    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
    headers = conn.getresponse().headers
    conn.close()
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Traceback" not in server.output()


def test_first004_a_viewer_pausing_between_clicks_keeps_the_connection(server):
    """A viewer's next request on a connection idle for a few seconds is answered
    on it (gunicorn's default keep-alive of 2 s closes it under the request: a POST
    sent then is reset, and clients do not resend a POST)."""
    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    for _ in range(2):
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert not response.will_close
        time.sleep(3)
    conn.close()
