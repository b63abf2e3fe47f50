"""The bounds on every Redis connection and the breaker, against an address where
nothing listens (no Redis needed)."""

import logging
import time

import pytest
import redis

from dashboard.engine import redis_link

NOWHERE = "redis://127.0.0.1:1/0"


def test_rlink001_every_connection_has_both_timeouts_and_no_retries():
    client = redis_link.connect(NOWHERE)
    kwargs = client.connection_pool.connection_kwargs
    assert 0 < kwargs["socket_connect_timeout"] <= 1
    assert 0 < kwargs["socket_timeout"] <= 1
    connection = client.connection_pool.make_connection()
    assert connection.retry.get_retries() == 0


@pytest.mark.slow  # sleeps
def test_rlink002_after_a_failure_the_breaker_skips_redis_for_a_while(caplog):
    caplog.set_level(logging.INFO, logger="dashboard.engine.redis_link")
    breaker = redis_link.Breaker(redis_link.connect(NOWHERE), pause=0.3)
    asked = []

    def ping(client):
        asked.append(time.monotonic())
        return client.ping()

    assert breaker.run(ping, "default", "test") == "default"
    assert breaker.open
    assert [breaker.run(ping, "default", "test") for _ in range(5)] == ["default"] * 5
    assert len(asked) == 1  # skipped, not asked
    time.sleep(0.35)
    assert breaker.run(ping, "default", "test") == "default"
    assert len(asked) == 2  # tried again after the pause, and failed again
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # one line per outage, not per request
    assert warnings[0].getMessage().startswith("Redis failed (test: ")


def test_rlink003_a_breaker_passes_answers_through():
    breaker = redis_link.Breaker(redis_link.connect(NOWHERE))
    assert breaker.run(lambda client: 42, None, "test") == 42
    assert not breaker.open


def test_rlink004_only_redis_errors_open_the_breaker():
    breaker = redis_link.Breaker(redis_link.connect(NOWHERE))
    try:
        breaker.run(lambda client: 1 / 0, None, "test")
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("a bug was swallowed")
    assert not breaker.open
    assert issubclass(redis.ConnectionError, redis.RedisError)
