"""The limit on failed logins, on the real Redis (REDIS_URL): 10 failures from one
address, or for one user name, within a minute and /login answers 429, in every
worker that shares the Redis. And a logout ends the session in every worker. Each
test uses its own key prefix and removes its keys."""

import hashlib
import os
import uuid

import pytest
import redis

from dashboard.web.app import create_app
from tests.logins import log_in, settings

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def prefix():
    """A key prefix of this test's own, and the test's keys removed after it."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL} (set TEST_REDIS_URL)")
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    for key in server.scan_iter(f"*{prefix}*"):
        server.delete(key)
    server.close()


def worker(engine, prefix, redis_url=REDIS_URL):
    """One gunicorn worker's app, as a test client."""
    s = settings(redis_url=redis_url, redis_prefix=prefix)
    return create_app(s, engine=engine).server.test_client()


def from_address(address: str) -> dict:
    return {"headers": {"X-Forwarded-For": address}}  # behind one proxy


def test_limit001_ten_failures_a_minute_block_the_address(engine, prefix):
    client = worker(engine, prefix)
    attacker = from_address("203.0.113.66")
    for _ in range(10):
        assert log_in(client, "lea", "guess", **attacker).status_code == 401
    response = log_in(client, "lea", "guess", **attacker)
    assert response.status_code == 429
    assert "Too many failed logins from your address" in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Blocked for a while: even the right password, even just the form.
    assert log_in(client, "lea", **attacker).status_code == 429
    assert client.get("/login", **attacker).status_code == 429
    assert client.get("/_dash-layout", **attacker).status_code == 401
    # The counts live in Redis, under this deployment's prefix (beside the shared
    # facts snapshot, shared.py).
    # (The per-user-name counts sit beside them, keyed by a digest of the name.)
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"LIMITS:*{prefix}*"))
    by_address = [key for key in keys if b"/user-" not in key]
    assert by_address
    assert all(b"203.0.113.66" in key for key in by_address)
    digest = hashlib.sha256(b"lea").hexdigest()[:32].encode()
    assert all(digest in key for key in keys if key not in by_address)


def test_limit002_other_addresses_and_other_workers(engine, prefix):
    first, second = worker(engine, prefix), worker(engine, prefix)
    attacker = from_address("203.0.113.66")
    for _ in range(5):
        assert log_in(first, "lea", "guess", **attacker).status_code == 401
        assert log_in(second, "lea", "guess", **attacker).status_code == 401
    # Ten failures across two workers: both refuse, the Redis counts for both.
    assert log_in(first, "lea", "guess", **attacker).status_code == 429
    assert log_in(second, "lea", "guess", **attacker).status_code == 429
    colleague = from_address("198.51.100.7")
    assert log_in(worker(engine, prefix), "vic", **colleague).status_code == 302


def test_limit003_successful_logins_do_not_count(engine, prefix):
    client = worker(engine, prefix)
    office = from_address("198.51.100.7")
    for _ in range(9):
        assert log_in(client, "lea", "guess", **office).status_code == 401
    for _ in range(3):
        assert log_in(client, "lea", **office).status_code == 302
        client.get("/logout", **office)
    assert log_in(client, "lea", "guess", **office).status_code == 401  # the 10th
    assert log_in(client, "lea", **office).status_code == 429


def test_limit004_with_redis_down_logins_still_work_and_are_limited(engine, prefix):
    client = worker(engine, prefix, redis_url="redis://127.0.0.1:1/0")
    office = from_address("198.51.100.7")
    assert log_in(client, "lea", **office).status_code == 302  # memory fallback
    client.get("/logout", **office)
    for _ in range(10):
        assert log_in(client, "lea", "guess", **office).status_code == 401
    assert log_in(client, "lea", "guess", **office).status_code == 429


def test_limit005_rotating_forwarded_addresses_do_not_reset_one_user_name(
    engine, prefix
):
    """Nothing in front with TRUSTED_PROXIES=1: each try forges a new address."""
    first, second = worker(engine, prefix), worker(engine, prefix)
    for n in range(10):
        client = (first, second)[n % 2]
        forged = from_address(f"192.0.2.{n + 1}")
        assert log_in(client, "lea", "guess", **forged).status_code == 401
    response = log_in(first, "lea", "guess", **from_address("192.0.2.99"))
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed logins for this user name" in page
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # The right password is refused too for that name, for a minute; the login
    # page and other names stay open from a new address.
    assert log_in(second, "lea", **from_address("192.0.2.100")).status_code == 429
    assert second.get("/login", **from_address("192.0.2.101")).status_code == 200
    assert log_in(second, "vic", **from_address("192.0.2.102")).status_code == 302


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def replay(engine, prefix, value: str, redis_url=REDIS_URL):
    """A fresh worker (another gunicorn process) given only the copied cookie."""
    client = worker(engine, prefix, redis_url)
    client.set_cookie("session", value)
    return client


def test_sess001_a_cookie_replayed_after_logout_is_refused_in_every_worker(
    engine, prefix
):
    office = from_address("198.51.100.7")
    first = worker(engine, prefix)
    assert log_in(first, "lea", **office).status_code == 302
    copied = session_cookie(first)
    before = replay(engine, prefix, copied)
    assert before.get("/_dash-layout", **office).status_code == 200  # a valid login
    assert first.get("/logout", **office).status_code == 302
    for client in (replay(engine, prefix, copied), before):  # a new worker, an old
        response = client.get("/", **office)
        assert response.status_code == 302
        assert response.headers["Location"] == "/login"
        assert client.get("/_dash-layout", **office).status_code == 401
        assert client.get("/download/tickets.csv", **office).status_code == 401
    # The revocation lives as long as the cookie could, under the prefix.
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{prefix}*:logout:*"))
    assert len(keys) == 1
    ttl = redis.Redis.from_url(REDIS_URL).ttl(keys[0])
    assert 12 * 3600 - 60 < ttl <= 12 * 3600


def test_sess002_a_new_login_after_logout_works_and_other_sessions_stay(engine, prefix):
    office = from_address("198.51.100.7")
    phone, laptop = worker(engine, prefix), worker(engine, prefix)
    assert log_in(phone, "lea", **office).status_code == 302
    assert log_in(laptop, "lea", **office).status_code == 302
    phone.get("/logout", **office)
    assert phone.get("/_dash-layout", **office).status_code == 401
    assert laptop.get("/_dash-layout", **office).status_code == 200  # its own id
    assert log_in(phone, "lea", **office).status_code == 302
    assert phone.get("/_dash-layout", **office).status_code == 200
