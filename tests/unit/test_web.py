"""hardening.install: the HTTP hardening, through the Flask test client.

Most tests use a tiny Dash app of their own (one input, one callback that raises on
"boom"), so they test the hardening and not the dashboard's callbacks; the header and
health tests use the dashboard itself.
"""

import base64
import gzip
import hashlib
import json
import logging
import os
import re
import threading
import time
import tomllib
from dataclasses import astuple
from pathlib import Path

import brotli
import pytest
from backports import zstd
from dash import ALL, Dash, Input, Output, State, dcc, html
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.config import ConfigError, Settings
from dashboard.testing.callbacks import body as renderer_body
from dashboard.testing.procfile import script_urls
from dashboard.ui import ids
from dashboard.web import errors, hardening, health, logs
from dashboard.web.app import create_app
from dashboard.web.callbacks import view as callbacks
from seeds.demo import open_engine

UPDATE = "/_dash-update-component"


def tiny_app(settings: Settings | None = None, data_version=lambda: "v1", layout=None):
    settings = settings or Settings()
    app = Dash(__name__, assets_folder="no-assets", on_error=errors.callback_failed)
    app.layout = layout or html.Div([dcc.Input(id="in", value="a"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("in", "value"))
    def echo(value):
        if value == "boom":
            raise ZeroDivisionError("a bug in a callback")
        return value

    hardening.install(app, settings, data_version)
    return app


def body(value="a", **changes) -> dict:
    """The body the renderer sends for the tiny app's callback."""
    return {
        "output": "out.children",
        "outputs": {"id": "out", "property": "children"},
        "inputs": [{"id": "in", "property": "value", "value": value}],
        "changedPropIds": ["in.value"],
        "state": [],
        **changes,
    }


@pytest.fixture
def client():
    return tiny_app().server.test_client()


@pytest.fixture(scope="module")
def dashboard():
    engine = open_engine(None)
    yield create_app(Settings(refresh_seconds=0), engine=engine)
    engine.dispose()


def tracebacks(caplog) -> list:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


# ---- headers -------------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


def test_web001_security_headers_on_the_page(dashboard):
    response = dashboard.server.test_client().get("/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_web002_every_inline_script_of_the_page_is_in_the_csp(dashboard):
    response = dashboard.server.test_client().get("/")
    # Scripts inside HTML comments (Dash's IE notice) never run.
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)
    inline = [
        script
        for attrs, script in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert len(inline) >= 2  # the clientside callback and the renderer
    allowed = policy(response)["script-src"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, script[:80]


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_web007_bundles_are_compressed_tighter_than_the_library_default(
    dashboard, encoding
):
    """The page's biggest script, as each kind of browser asks for it: compressed,
    intact once decompressed, and (zstd, brotli) smaller than flask-compress's
    default level would make it."""
    client = dashboard.server.test_client()
    scripts = script_urls(client.get("/").get_data(as_text=True))
    bodies = {url: client.get(url).get_data() for url in scripts}
    url = max(bodies, key=lambda u: len(bodies[u]))
    plain = bodies[url]
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    sent = response.get_data()
    unpack = {"zstd": zstd.decompress, "br": brotli.decompress, "gzip": gzip.decompress}
    assert unpack[encoding](sent) == plain
    default = {
        "zstd": lambda d: zstd.compress(d, 3),
        "br": lambda d: brotli.compress(d, quality=4),
    }
    if encoding in default:
        assert len(sent) < 0.97 * len(default[encoding](plain))


def test_web003_hsts_only_behind_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    behind = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert behind.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    direct = client.get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" in direct.headers


def test_web004_hsts_with_proxyfix_installed():
    app = tiny_app()
    app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_proto=1)
    client = app.server.test_client()
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in secure.headers
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_web005_https_redirect_only_when_asked():
    plain = tiny_app().server.test_client()
    assert plain.get("/").status_code == 200  # local http keeps working
    forced = tiny_app(Settings(force_https=True)).server.test_client()
    redirect = forced.get("/?month=2025-03")
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == "https://localhost/?month=2025-03"
    assert forced.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert forced.get(health.HEALTH_PATH).status_code == 200  # health checks: plain


def test_web006_settings_from_the_environment():
    settings = Settings.from_env({"MAX_CONTENT_LENGTH": "5000", "FORCE_HTTPS": "yes"})
    assert (settings.max_content_length, settings.force_https) == (5000, True)
    assert (Settings().max_content_length, Settings().force_https) == (1_000_000, False)
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH must be at least 1"):
        Settings.from_env({"MAX_CONTENT_LENGTH": "0"})


# ---- the first request ---------------------------------------------------------------


def slow_layout():
    time.sleep(1)  # like the dashboard's first layout: a database query
    return html.Div("slow")


def first_two_requests(app: Dash, bundle: str) -> tuple[int, int]:
    """A first request (the layout) and, while Dash's first-request setup is busy
    with it, a request for a component bundle from another thread."""
    statuses = {}

    def first():
        statuses["layout"] = app.server.test_client().get("/_dash-layout").status_code

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.3)
    statuses["bundle"] = app.server.test_client().get(bundle).status_code
    thread.join()
    return statuses["layout"], statuses["bundle"]


def renderer_bundle() -> str:
    page = tiny_app().server.test_client().get("/").get_data(as_text=True)
    return next(u for u in script_urls(page) if "dash_renderer" in u)


@pytest.mark.slow
def test_web010_a_bundle_requested_during_the_first_request_is_served():
    app = tiny_app(layout=slow_layout)
    assert first_two_requests(app, renderer_bundle()) == (200, 200)


@pytest.mark.slow
def test_web011_without_install_dash_answers_that_bundle_500(caplog):
    # The control: what the gate fixes (Dash 4.4's first-request setup race).
    app = Dash(__name__, assets_folder="no-assets")
    app.layout = slow_layout
    assert first_two_requests(app, renderer_bundle()) == (200, 500)
    assert "is not a registered library" in caplog.text


# ---- bounded requests, dev routes, bundles -------------------------------------------


def test_web020_a_body_over_the_limit_answers_413(client, caplog):
    big = json.dumps(body("x" * 1_100_000))
    assert (
        client.post(UPDATE, data=big, content_type="application/json").status_code
        == 413
    )
    small = tiny_app(Settings(max_content_length=500)).server.test_client()
    assert small.post(UPDATE, json=body("x" * 600)).status_code == 413
    assert small.post(UPDATE, json=body("x" * 100)).status_code == 200
    assert tracebacks(caplog) == []


def test_web021_reload_hash_is_a_debug_only_route():
    app = tiny_app()
    client = app.server.test_client()
    assert client.get("/_reload-hash").status_code == 404
    app.server.debug = True  # what app.run(debug=True) sets
    assert client.get("/_reload-hash").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/../../etc/passwd",
        "/_dash-component-suites/dash/%2e%2e/%2e%2e/etc/passwd",
        "/_dash-component-suites/dash/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/_dash-component-suites/..%2f..%2fetc/passwd",
        "/_dash-component-suites/os/path.py",
        "/_dash-component-suites/dash/dash.py",
        "/_dash-component-suites/dash/deps/react@18.3.1.min.js/../../../dash.py",
    ],
)
def test_web022_path_traversal_on_bundles_answers_404_without_traceback(
    client, caplog, path
):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data
    assert b"import" not in response.data
    assert tracebacks(caplog) == []
    assert [r.levelname for r in caplog.records] == ["WARNING"]


# ---- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "{broken",
        "[]",
        "null",
        json.dumps({}),
        json.dumps(body(output="x" * 900_000)),
        json.dumps(body(output=["out.children"])),
        json.dumps({k: v for k, v in body().items() if k != "inputs"}),
        json.dumps({k: v for k, v in body().items() if k != "outputs"}),
        json.dumps(body(inputs="in.value")),
        json.dumps(body(inputs=[{"id": "in"}])),
        json.dumps(body(inputs=[{"id": "forged", "property": "value", "value": 1}])),
        json.dumps(body(inputs=[[{"id": "in", "property": "value"}]])),
        json.dumps(body(outputs=[{"id": "out", "property": "children"}] * 2)),
        json.dumps(body(outputs={"id": "out", "property": "style"})),
        json.dumps(body(changedPropIds=[{"a": 1}])),
        json.dumps(body(changedPropIds=["forged.value"])),
        json.dumps(body(changedPropIds=['{"a": 1}.value', "{broken.value", None])),
        json.dumps(body(state=[{"id": "in", "property": "value"}])),
    ],
)
def test_web030_malformed_callback_requests_answer_400_with_one_warning(
    client, caplog, payload
):
    caplog.set_level(logging.INFO)
    response = client.post(UPDATE, data=payload, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"error": "malformed callback request"}
    assert tracebacks(caplog) == []
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert len(caplog.text) < 1_000  # a 10 MB output id is not logged


def test_web031_a_10_mb_forged_output_id_is_not_logged(caplog):
    roomy = tiny_app(Settings(max_content_length=20_000_000)).server.test_client()
    response = roomy.post(UPDATE, json=body(output="x" * 10_000_000))
    assert response.status_code == 400
    assert len(caplog.text) < 1_000


def test_web035_the_real_body_still_works(client):
    response = client.post(UPDATE, json=body("hello"))
    assert response.status_code == 200
    assert response.get_json()["response"] == {"out": {"children": "hello"}}


def test_web032_a_bug_in_a_callback_logs_its_traceback_and_answers_a_friendly_500(
    client, caplog
):
    response = client.post(UPDATE, json=body("boom"))
    assert response.status_code == 500
    assert response.get_data(as_text=True) == errors.SERVER_ERROR
    [record] = tracebacks(caplog)
    assert record.levelname == "ERROR"
    assert "ZeroDivisionError: a bug in a callback" in record.exc_text
    assert "def echo" not in response.get_data(as_text=True)


def test_web036_a_bug_in_a_dashboard_callback_answers_a_friendly_500(
    dashboard, caplog, monkeypatch
):
    """The factory makes the app with the error handler that tells a callback's
    failure from a request Dash could not use."""
    client = dashboard.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()

    def next_view(*args, **kwargs):
        raise ZeroDivisionError("a bug in the dashboard")

    monkeypatch.setattr(callbacks, "next_view", next_view)
    sent = renderer_body(deps, f"{ids.URL}.search", {}, f"{ids.APPLIED_FILTERS}.data")
    response = client.post(UPDATE, json=sent)
    assert response.status_code == 500
    assert response.get_data(as_text=True) == errors.SERVER_ERROR
    [record] = tracebacks(caplog)
    assert "ZeroDivisionError: a bug in the dashboard" in record.exc_text


def test_web033_a_failing_layout_answers_a_friendly_500(caplog):
    calls = []

    def layout():  # Dash calls it once when it is set: fail from then on
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("secret internals")
        return html.Div([dcc.Input(id="in"), html.Div(id="out")])

    client = tiny_app(layout=layout).server.test_client()
    response = client.get("/_dash-layout")
    assert response.status_code == 500
    assert "secret" not in response.get_data(as_text=True)
    assert "RuntimeError: secret internals" in tracebacks(caplog)[0].exc_text


def test_web034_log_records_are_bounded(caplog):
    logs.bound_log_records()
    huge = "x" * 10_000_000
    logging.getLogger("test").warning("value %s", huge)
    try:
        raise KeyError(huge)
    except KeyError:
        logging.getLogger("test").exception("failed")
    assert len(caplog.text) < 2 * logs.LOG_RECORD_LIMIT
    assert "more characters]" in caplog.records[0].getMessage()
    assert "KeyError: 'xxx" in caplog.records[1].exc_text


# ---- health --------------------------------------------------------------------------


def test_web040_healthz_reports_the_database_and_data_version(dashboard):
    dashboard.loader.check()  # the loader has read the database
    response = dashboard.server.test_client().get(health.HEALTH_PATH)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer.keys() == {
        "database",
        "checked_at",
        "reconciled_at",
        "worker",
        "data_version",
    }
    assert answer["database"] == "ok"
    # What the worker answering knows: which worker, and when it last asked.
    assert answer["worker"] == os.getpid()
    store = dashboard.loader.store
    for name, at in (
        ("checked_at", store.checked_at),
        ("reconciled_at", store.reconciled_at),
    ):
        assert answer[name] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
    # The newest ids and counts: nothing about a person.
    fingerprint = dashboard.loader.store.fingerprint
    assert answer["data_version"] == [*astuple(fingerprint), store.meta.sums.version]
    assert all(isinstance(v, int) for v in answer["data_version"])
    assert response.headers["Cache-Control"] == "no-store"


def test_web041_healthz_says_down_and_is_cheap(caplog):
    calls = []

    def data_version():
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    client = tiny_app(data_version=data_version).server.test_client()
    for _ in range(5):
        response = client.get(health.HEALTH_PATH)
        assert response.status_code == 200
        assert response.get_json() == {
            "database": "down",
            "checked_at": None,
            "reconciled_at": None,
            "worker": os.getpid(),
            "data_version": None,
        }
    assert len(calls) == 1  # one query for a burst of checks
    assert len([r for r in caplog.records if "database down" in r.message]) == 1
    assert tracebacks(caplog) == []


def test_web042_healthz_says_unknown_before_the_worker_asked():
    """A worker whose loader has not heard from the database yet does not claim
    it is up."""
    answer = tiny_app().server.test_client().get(health.HEALTH_PATH).get_json()
    assert answer == {
        "database": "unknown",
        "checked_at": None,
        "reconciled_at": None,
        "worker": os.getpid(),
        "data_version": "v1",
    }


def test_web050_requirements_pin_every_runtime_dependency():
    root = Path(__file__).parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    lines = [
        line.strip()
        for line in (root / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "."  # the package itself, last

    def name(requirement: str) -> str:
        return re.sub(r"[-_.]+", "-", re.match(r"[\w.-]+", requirement)[0]).lower()

    pins = {name(line): line for line in lines[:-1]}
    assert all("==" in pin for pin in pins.values())
    assert {name(d) for d in project["dependencies"]} <= pins.keys()


# ---- Dash's undocumented callback_map, as checks.py reads it -----------------------


def test_web060_dash_callback_map_has_the_shape_the_checks_read():
    """No public Dash API lists an app's callbacks with their dependencies, so
    checks.callback_body_problem reads `app.callback_map`: this fails, rather than
    production, when a Dash upgrade changes what it reads."""
    app = Dash(__name__, assets_folder="no-assets")

    @app.callback(Output("a", "children"), Input("b", "value"), State("c", "value"))
    def single(b, c):
        return b

    @app.callback(
        output={"x": Output("d", "children"), "y": Output({"t": "k"}, "value")},
        inputs={"v": Input({"t": "k", "n": ALL}, "value")},
    )
    def grouped(v):
        return {}

    @app.callback(Input("e", "n_clicks"))
    def silent(n):
        return None

    one = app.callback_map["a.children"]
    assert one["inputs"] == [{"id": "b", "property": "value"}]
    assert one["state"] == [{"id": "c", "property": "value"}]
    assert not one["no_output"]
    assert (one["output"].component_id_str(), one["output"].component_property) == (
        "a",
        "children",
    )
    many = app.callback_map['..d.children...{"t":"k"}.value..']
    assert many["inputs"] == [{"id": '{"n":["ALL"],"t":"k"}', "property": "value"}]
    assert many["state"] == []
    assert [(o.component_id_str(), o.component_property) for o in many["output"]] == [
        ("d", "children"),
        ('{"t":"k"}', "value"),
    ]
    [none] = [spec for spec in app.callback_map.values() if spec["no_output"]]
    assert none["inputs"] == [{"id": "e", "property": "n_clicks"}]
