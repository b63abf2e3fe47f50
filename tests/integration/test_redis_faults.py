"""Redis that misbehaves, with a redis-server of the test's own: frozen (SIGSTOP)
under the Procfile's command, and speaking TLS with a self-signed certificate (as
Heroku Redis does). The dashboard never waits on Redis for long, and without a
usable Redis it works on its own."""

import http.cookiejar
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis
import trustme

from dashboard.testing import procfile, redis_server
from dashboard.web.app import create_app
from tests.logins import AUTH_USERS, PASSWORDS, SECRET_KEY, log_in, settings

pytestmark = [pytest.mark.redis, pytest.mark.slow]

FAST = 2.0  # seconds: the most any answer may take while Redis is frozen


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar=None):
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def timed_get(browser, url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with browser.open(url, timeout=30) as response:
            code = response.status
            response.read()
    except urllib.error.HTTPError as error:
        code = error.code
    return code, time.monotonic() - started


def log_in_over_http(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    browser = opener(jar)
    page = browser.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": "lea", "password": PASSWORDS["lea"], "csrf_token": token}
    try:
        browser.open(base + "/login", urllib.parse.urlencode(form).encode(), 30)
    except urllib.error.HTTPError as redirect:  # 302 to the page: logged in
        # PT017: not an expected exception; the opener raises on the redirect
        assert redirect.code == 302, redirect.code  # noqa: PT017
    return browser


def test_rfault001_a_frozen_redis_stalls_no_answer(tmp_path):
    """The issue's probe: a server that has used Redis (logins, the limiter's
    counts), then Redis stopped by SIGSTOP, then eight anonymous logins at once,
    /healthz and a lead's layout. Before the timeouts each /login waited forever
    and took every worker thread."""
    with redis_server.running(tmp_path) as frozen:
        env = {
            "AUTH_USERS": AUTH_USERS,
            "SECRET_KEY": SECRET_KEY,
            "REDIS_URL": frozen.url(),
            "REFRESH_SECONDS": "2",
        }
        with procfile.running(tmp_path, env=env) as server:
            server.wait_until_listening()
            base = server.base
            server.wait_for_output("published the facts snapshot")
            lead = log_in_over_http(base)
            for _ in range(4):  # every worker's connections to Redis in use
                assert timed_get(opener(), base + "/login")[0] == 200
                assert timed_get(lead, base + "/_dash-layout")[0] == 200
            frozen.freeze()
            answers: dict[str, tuple[int, float]] = {}

            def ask(name, browser, path):
                answers[name] = timed_get(browser, base + path)

            asks = [(f"login-{n}", opener(), "/login") for n in range(8)]
            asks += [("healthz", opener(), "/healthz")]
            asks += [("layout", lead, "/_dash-layout")]
            threads = [threading.Thread(target=ask, args=a) for a in asks]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            frozen.thaw()
            assert set(answers) == {name for name, _, _ in asks}
            codes = {name: code for name, (code, _) in answers.items()}
            assert codes == {name: 200 for name in codes}, codes
            slow = {n: round(s, 2) for n, (_, s) in answers.items() if s >= FAST}
            assert not slow, slow
            # Thawed: logins go on.
            assert timed_get(log_in_over_http(base), base + "/_dash-layout")[0] == 200


@pytest.fixture
def tls_redis(tmp_path):
    """A TLS-only redis-server whose certificate is signed by a CA of the test's
    own, which no client trusts: as self-signed as Heroku Redis's."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(files[0])
    cert.private_key_pem.write_to_path(files[1])
    ca.cert_pem.write_to_path(files[2])
    with redis_server.running(tmp_path, files) as server:
        yield server


def test_rfault002_tls_redis_with_ssl_cert_reqs_none_is_used(engine, tls_redis):
    url = tls_redis.url("ssl_cert_reqs=none")
    prefix = "tls-test"
    first, second = (
        create_app(settings(redis_url=url, redis_prefix=prefix), engine=engine)
        for _ in range(2)
    )
    first.loader.check()  # publishes the snapshot there
    client = first.server.test_client()
    assert log_in(client, "lea").status_code == 302
    copied = client.get_cookie("session").value
    client.get("/logout")
    replayed = second.server.test_client()
    replayed.set_cookie("session", copied)
    assert replayed.get("/_dash-layout").status_code == 401  # the logout, shared
    keys = {
        key.decode().split(":")[2]
        for key in redis.Redis.from_url(url).scan_iter(f"{prefix}:*")
    }
    assert {"snapshot", "logout"} <= keys


def test_rfault003_tls_redis_without_it_logs_the_certificate_and_goes_on(
    engine, tls_redis, caplog
):
    caplog.set_level(logging.WARNING)
    app = create_app(settings(redis_url=tls_redis.url()), engine=engine)
    app.loader.check()  # (or its thread did first)
    assert app.loader.store.fingerprint is not None  # loaded alone
    client = app.server.test_client()
    assert log_in(client, "lea").status_code == 302
    assert client.get("/_dash-layout").status_code == 200
    client.get("/logout")
    assert client.get("/_dash-layout").status_code == 401  # this worker knows
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "CERTIFICATE_VERIFY_FAILED" in logged
    server = redis.Redis.from_url(tls_redis.url("ssl_cert_reqs=none"))
    assert list(server.scan_iter("*")) == []  # nothing reached it
