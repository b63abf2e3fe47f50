"""Logins over HTTP, through Flask's test client on the real app (demo data): the
gate in front of every route, the form, the session cookie, logout, roles, and the
audit lines. (The limit on failed logins runs on the real Redis:
tests/integration/test_auth_redis.py.)"""

import json
import logging
import re

import pytest

from dashboard.config import Settings
from dashboard.ui import ids
from dashboard.web import auth
from dashboard.web.app import create_app
from tests.logins import ACCOUNTS, PASSWORDS, SECRET_KEY, csrf_token, log_in, settings


@pytest.fixture
def app(engine):
    return create_app(settings(), engine=engine)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def audit_lines(caplog):
    caplog.set_level(logging.INFO, logger="dashboard.audit")
    audit = logging.getLogger("dashboard.audit")
    return lambda: [r.getMessage() for r in caplog.records if r.name == audit.name]


def cookie_header(response) -> str:
    (header,) = response.headers.getlist("Set-Cookie")
    return header


# ------------------------------------------------------------------ the gate


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/", "/login"),
        ("/?month=2025-03&agent=3", "/login?next=/?month%3D2025-03%26agent%3D3"),
        ("/?ticket=12", "/login?next=/?ticket%3D12"),
    ],
)
def test_login001_the_page_redirects_to_the_login_keeping_the_link(
    client, path, location
):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_dash-layout"),
        ("GET", "/_dash-dependencies"),
        ("POST", "/_dash-update-component"),
        ("GET", "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.js"),
        ("GET", "/_reload-hash"),
        ("GET", "/_favicon.ico"),
        ("GET", "/static/anything.css"),
        ("GET", "/some/page"),
        ("GET", "/no-such-route"),
        ("GET", "/export.csv"),  # added below, after create_app: protected too
        ("OPTIONS", "/_dash-update-component"),
    ],
)
def test_login002_every_other_route_answers_401_without_a_login(
    app, client, method, path
):
    app.server.add_url_rule("/export.csv", "export_csv", lambda: "secret,data\n")
    response = client.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == 401
    assert response.get_data(as_text=True) == "Log in first: /login\n"
    assert "Set-Cookie" not in response.headers


def test_login003_downloads_need_a_login(app, client, audit_lines):
    # The tickets CSV, as the browser asks for it when "Download CSV" is clicked.
    app.loader.check()  # the data is loaded
    assert client.get("/download/tickets.csv").status_code == 401
    assert log_in(client, "lea").status_code == 302
    response = client.get("/download/tickets.csv?status=open")
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("Ticket,Opened,")
    (line,) = [line for line in audit_lines() if line.startswith("export")]
    assert line.startswith("export user=lea role=lead addr=127.0.0.1 ")
    assert "what=tickets_status-open.csv" in line


def test_login004_the_login_page_and_its_files_are_open(app, client):
    # /healthz is open for the PaaS's health check.
    assert client.get("/healthz").status_code == 200
    response = client.get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<input type="hidden" name="csrf_token"' in page
    assert 'name="username"' in page
    assert 'name="password" type="password"' in page
    assert "<script" not in page
    assert "style=" not in page
    linked = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert linked == [
        "/assets/favicon.ico",
        "/assets/vendor/bootstrap.min.css",
        "/assets/style.css",
        "/assets/logo.svg",
    ]
    for path in linked:  # everything local, and served before a login
        assert client.get(path).status_code == 200, path


# ------------------------------------------------------------------ logging in


def test_login005_a_login_opens_the_dashboard_with_a_safe_cookie(client):
    response = log_in(client, "lea")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would not come back
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/login").headers["Location"] == "/"  # already logged in


def test_login006_the_cookie_is_secure_behind_https(client):
    https = {"headers": {"X-Forwarded-Proto": "https"}}
    assert "Secure" in cookie_header(client.get("/login", **https))
    response = log_in(client, "lea", **https)
    assert response.status_code == 302
    cookie = cookie_header(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login007_https_is_not_believed_without_a_trusted_proxy(engine):
    client = create_app(settings(trusted_proxies=0), engine=engine).server.test_client()
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in cookie_header(response)


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("lea", "wrong-password"),
        ("lea", PASSWORDS["vic"]),  # another user's password
        ("LEA", PASSWORDS["lea"]),  # names are exact
        ("nobody", PASSWORDS["lea"]),
        ("", ""),
        ("lea", PASSWORDS["lea"] + "x" * 2000),
    ],
)
def test_login008_a_failed_login_says_so_and_lets_nobody_in(
    client, audit_lines, name, password
):
    response = log_in(client, name, password)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert re.search(r'id="login-error">Wrong user name or password.</div>', page)
    assert client.get("/_dash-layout").status_code == 401
    (line,) = audit_lines()
    assert line.startswith("login-failed user=")
    assert " addr=127.0.0.1 at=20" in line


def test_login009_the_form_needs_its_csrf_token(client, engine):
    form = {"username": "lea", "password": PASSWORDS["lea"]}
    assert client.post("/login", data=form).status_code == 400  # no token at all
    other = create_app(settings(), engine=engine).server.test_client()
    stolen = csrf_token(other.get("/login").get_data(as_text=True))
    client.get("/login")  # this browser's own session holds another token
    response = client.post("/login", data={**form, "csrf_token": stolen})
    assert response.status_code == 400
    assert "The login form had expired" in response.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/?month=2025-03&agent=3", "/?month=2025-03&agent=3"),
        ("/?ticket=12", "/?ticket=12"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("\\\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("evil.example", "/"),
        ("/logout", "/"),
        ("/login?next=https://evil.example/", "/"),
    ],
)
def test_login010_after_the_login_only_local_paths(client, next_url, location):
    response = log_in(client, "lea", next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_login011_a_shared_link_survives_the_login(client):
    to_login = client.get("/?month=2025-03&category=Bug+report").headers["Location"]
    page = client.get(to_login).get_data(as_text=True)
    (next_url,) = re.findall(r'name="next" value="([^"]*)"', page)
    assert next_url == "/?month=2025-03&amp;category=Bug+report"  # HTML-escaped
    response = log_in(client, "lea", next_url="/?month=2025-03&category=Bug+report")
    assert response.headers["Location"] == "/?month=2025-03&category=Bug+report"


def test_login012_logout_ends_the_session(client, audit_lines):
    assert log_in(client, "lea").status_code == 302
    response = client.get("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "Max-Age=0" in cookie_header(response)
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/logout").status_code == 302  # again: nothing to end
    lines = audit_lines()
    assert [line.split()[0] for line in lines] == ["login", "logout"]
    assert lines[1].startswith("logout user=lea role=lead addr=127.0.0.1 at=")


def test_login013_the_audit_line_names_who_what_when_and_where(client, audit_lines):
    forwarded = {"headers": {"X-Forwarded-For": "198.51.100.7"}}  # one proxy
    log_in(client, 'bad"name\nINFO forged line', "x", **forwarded)
    log_in(client, "lea", **forwarded)
    failed, login = audit_lines()
    assert re.fullmatch(
        r"login user=lea role=lead addr=198\.51\.100\.7 "
        r"at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        login,
    )
    assert failed.startswith(
        'login-failed user="bad\\"name\\nINFO forged line" role=- addr=198.51.100.7'
    )
    assert "\n" not in failed


def test_login014_audit_from_a_request_names_the_user(app, client, audit_lines):
    def export():  # what a download does
        auth.audit("export", what="tickets_category-bug-report.csv", rows=12)
        user = auth.current_user()
        return f"{user.name} {user.role}"

    app.server.add_url_rule("/export.csv", "export_csv", export)
    assert client.get("/export.csv").status_code == 401
    log_in(client, "vic")
    assert client.get("/export.csv").get_data(as_text=True) == "vic viewer"
    assert audit_lines()[-1].startswith(
        "export user=vic role=viewer addr=127.0.0.1 "
        "what=tickets_category-bug-report.csv rows=12 at="
    )


def test_login015_a_user_removed_from_auth_users_is_logged_out(client, engine):
    log_in(client, "vic")
    cookie = client.get_cookie("session").value
    fewer = create_app(settings(auth_users=ACCOUNTS[:1]), engine=engine)
    other = fewer.server.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/_dash-layout").status_code == 401
    same = create_app(settings(), engine=engine).server.test_client()
    same.set_cookie("session", cookie)
    assert same.get("/_dash-layout").status_code == 200


def test_login016_a_cookie_signed_with_another_key_is_refused(client, engine):
    log_in(client, "lea")
    cookie = client.get_cookie("session").value
    rekeyed = settings(secret_key=SECRET_KEY[::-1])
    other = create_app(rekeyed, engine=engine).server.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/_dash-layout").status_code == 401


# ---------------------------------------------------------------------- roles


def grid_fields(layout: dict) -> list[str]:
    """The tickets grid's column fields in a /_dash-layout answer."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == ids.TICKETS_GRID:
                found.extend(c["field"] for c in props["columnDefs"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    return found


@pytest.mark.parametrize(
    ("show_personal_data", "name", "personal"),
    [
        (True, "lea", True),
        (True, "vic", False),
        (False, "lea", False),
        (False, "vic", False),
    ],
)
def test_login017_only_a_lead_sees_personal_data(
    engine, show_personal_data, name, personal
):
    s = settings(show_personal_data=show_personal_data)
    app = create_app(s, engine=engine)
    client = app.server.test_client()
    log_in(client, name)
    fields = grid_fields(json.loads(client.get("/_dash-layout").data))
    assert "ticket_id" in fields
    assert ("customer_email" in fields) is personal
    assert ("customer_phone" in fields) is personal
    with app.server.test_request_context("/"):  # no login in this request
        assert auth.personal_data_allowed(s) is False
    assert auth.personal_data_allowed(s) is False  # outside any request


@pytest.mark.parametrize("show_personal_data", [True, False])
def test_login018_without_logins_the_setting_alone_decides(engine, show_personal_data):
    s = Settings(show_personal_data=show_personal_data)
    client = create_app(s, engine=engine).server.test_client()
    assert client.get("/").status_code == 200  # the demo stays open
    fields = grid_fields(json.loads(client.get("/_dash-layout").data))
    assert ("customer_email" in fields) is show_personal_data
    assert auth.personal_data_allowed(s) is show_personal_data
    assert auth.current_user() is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/?a=1", "/?a=1"),
        ("/some/path", "/some/path"),
        ("//x", "/"),
        ("/\\x", "/"),
        ("http:/x", "/"),
        ("/x\x00", "/"),
        ("/x\x7f", "/"),
        ("/logout?x=1", "/"),
        (None, "/"),
    ],
)
def test_login019_safe_next(target, expected):
    assert auth.safe_next(target) == expected


# ------------------------------------------- logouts and the limit, without Redis


def test_login020_a_cookie_replayed_after_logout_is_refused_by_that_worker(engine):
    app = create_app(settings(), engine=engine)
    client = app.server.test_client()
    assert log_in(client, "lea").status_code == 302
    copied = client.get_cookie("session").value
    client.get("/logout")
    replayed = app.server.test_client()
    replayed.set_cookie("session", copied)
    response = replayed.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert replayed.get("/_dash-layout").status_code == 401


def test_login021_without_redis_another_worker_accepts_it_until_it_expires(engine):
    """As the README says: without Redis a logout reaches only its own worker."""
    one, other = (create_app(settings(), engine=engine) for _ in range(2))
    client = one.server.test_client()
    assert log_in(client, "lea").status_code == 302
    copied = client.get_cookie("session").value
    client.get("/logout")
    replayed = other.server.test_client()
    replayed.set_cookie("session", copied)
    assert replayed.get("/_dash-layout").status_code == 200


def test_login022_a_cookie_without_a_session_id_is_not_a_login(engine):
    """A cookie signed with the secret but made before session ids (or by hand)."""
    app = create_app(settings(), engine=engine)
    client = app.server.test_client()
    with client.session_transaction() as session:
        session["user"] = "lea"
    assert client.get("/_dash-layout").status_code == 401


def test_login023_forged_forwarded_addresses_share_one_count_per_user_name(engine):
    client = create_app(settings(), engine=engine).server.test_client()
    for n in range(10):
        forged = {"headers": {"X-Forwarded-For": f"192.0.2.{n + 1}"}}
        assert log_in(client, "vic", "guess", **forged).status_code == 401
    forged = {"headers": {"X-Forwarded-For": "192.0.2.77"}}
    response = log_in(client, "vic", "guess", **forged)
    assert response.status_code == 429
    assert "for this user name" in response.get_data(as_text=True)


def test_login024_a_request_without_a_proxy_header_warns_once(engine, caplog):
    caplog.set_level(logging.WARNING, logger="dashboard.web.proxies")
    client = create_app(settings(), engine=engine).server.test_client()
    client.get("/login")
    client.get("/login")
    client.get("/login", headers={"X-Forwarded-For": "192.0.2.1"})
    warnings = [r.getMessage() for r in caplog.records if r.name.endswith("proxies")]
    assert warnings == [
        "TRUSTED_PROXIES=1: trusting X-Forwarded-For from the first proxy; set 0 if "
        "nothing is in front (a request from 127.0.0.1 came without it)"
    ]
