"""Several workers sharing one Redis (the real one at REDIS_URL): one loads the
support database and publishes the facts, the others restore them; a finished view
is computed once for all. Each test uses its own key namespace and removes it."""

import os
import random
import threading
import uuid
from datetime import timedelta

import pytest
import redis

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.engine import pull, redis_link, shared
from dashboard.engine.loader import Loader
from dashboard.engine.store import FactsStore, Progress
from dashboard.web import view_cache as views
from dashboard.web import view_data
from dashboard.web.callbacks.view import render
from seeds.demo import open_engine
from seeds.simulate import step
from tests.frames import assert_same_frames

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def ns():
    """A namespace of this test's own; its keys are removed after it."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL} (set TEST_REDIS_URL)")
    ns = f"test-{uuid.uuid4().hex}"
    yield ns
    for key in server.scan_iter(f"{ns}*"):
        server.delete(key)
    server.close()


def worker(engine, ns) -> Loader:
    return Loader(
        FactsStore(engine),
        None,
        interval=0,
        shared=shared.Shared.connect(REDIS_URL, ns),
    )


def messages_pulled(monkeypatch) -> list:
    """Counts the MESSAGE ranges pulled from the support database, from now on."""
    pulled = []
    real = pull.ranges

    def counting(conn, name, upto, after=0):
        for part in real(conn, name, upto, after):
            if name == "MESSAGE":
                pulled.append(part.num_rows)
            yield part

    monkeypatch.setattr(pull, "ranges", counting)
    return pulled


def test_sh001_one_worker_loads_the_others_restore(engine, ns, monkeypatch):
    pulled = messages_pulled(monkeypatch)
    first = worker(engine, ns)
    assert first.check()
    assert sum(pulled) == 6341  # the first one read every message
    pulled.clear()

    second = worker(engine, ns)
    assert second.check()
    assert pulled == []  # restored: no message read from the database
    assert second.store.fingerprint == first.store.fingerprint
    for name in REPORTS:
        for filters in (Filters(), Filters(agent=3, month="2025-05")):
            assert_same_frames(
                second.store.run(name, filters),
                first.store.run(name, filters),
                f"{name} {filters}",
            )


def test_sh002_a_restored_worker_refreshes_from_the_snapshot(ns):
    engine = open_engine(None, 42)  # its own: the simulator changes it
    first = worker(engine, ns)
    first.check()
    with engine.begin() as conn:  # a few hours of activity after the snapshot
        newest = first.store.meta.newest_message_at
        assert step(conn, random.Random(3), newest + timedelta(hours=5))["messages"]
    second = worker(engine, ns)
    assert second.check()  # restored, then refreshed incrementally
    fresh = FactsStore(engine)
    fresh.refresh()
    assert second.store.fingerprint == fresh.fingerprint
    assert_same_frames(
        second.store.run("summary", Filters()), fresh.run("summary", Filters())
    )


def test_sh003_while_one_loads_the_others_show_its_progress(engine, ns):
    state = shared.Shared.connect(REDIS_URL, ns)
    lock = state.build_lock()
    assert lock.acquire()  # another process is loading...
    state.report("messages", 2_100_000, 6_341_000)
    waiting = worker(engine, ns)
    thread = threading.Thread(target=waiting.check)
    thread.start()
    try:
        for _ in range(50):
            if waiting.store.progress.step:
                break
            threading.Event().wait(0.1)
        assert waiting.store.progress == Progress("messages", 2_100_000, 6_341_000)
        assert waiting.store.fingerprint is None  # it does not load meanwhile
        # ...and publishes its snapshot
        builder = FactsStore(engine)
        builder.refresh()
        state.publish(builder.snapshot())
        state.done()
        lock.release()
        thread.join(timeout=15)
    finally:
        if lock.owned():
            lock.release()
    assert waiting.store.fingerprint == builder.fingerprint


def test_sh004_without_redis_every_worker_loads_alone(engine, caplog):
    down = Loader(
        FactsStore(engine),
        None,
        interval=0,
        shared=shared.Shared.connect("redis://127.0.0.1:1/0", "nowhere"),
    )
    assert down.check()
    assert down.error is None
    assert down.store.fingerprint is not None
    assert any("Redis cannot be used" in r.message for r in caplog.records)


def test_sh005_a_finished_view_is_computed_once_for_every_worker(engine, ns):
    from flask import Flask

    loaders = [worker(engine, ns) for _ in range(2)]
    for loader in loaders:
        loader.check()
    caches = [views.cache(Flask(__name__), REDIS_URL, ns) for _ in loaders]
    renders = []

    def view(loader, cache, filters):
        store = loader.store

        def compute():
            renders.append(filters)
            return render(view_data.load(store, filters))

        return views.cached(cache, views.key(store.fingerprint, filters), compute)

    march = Filters(month="2025-03")
    a = view(loaders[0], caches[0], march)
    b = view(loaders[1], caches[1], march)  # the other worker: from Redis
    assert renders == [march]
    assert a["kpi_values"] == b["kpi_values"]
    view(loaders[1], caches[1], Filters(month="2025-04"))
    assert len(renders) == 2  # other filters: another view


def test_sh006_a_view_cache_that_is_down_only_costs_the_render(engine):
    from flask import Flask

    loader = Loader(FactsStore(engine), None, interval=0)
    loader.check()
    cache = views.cache(Flask(__name__), "redis://127.0.0.1:1/0", "nowhere")
    filters = Filters(category="Bug report")
    out = views.cached(
        cache,
        views.key(loader.store.fingerprint, filters),
        lambda: render(view_data.load(loader.store, filters)),
    )
    assert out["kpi_values"]["tickets"] != "—"


def test_sh007_the_app_uses_redis_when_told(engine, ns, monkeypatch):
    from dashboard.web.app import create_app

    pulled = messages_pulled(monkeypatch)
    settings = Settings(redis_url=REDIS_URL, redis_prefix=ns)
    first = create_app(settings, engine=engine)
    first.loader.check()
    pulled.clear()
    second = create_app(settings, engine=engine)
    second.loader.check()
    assert pulled == []
    assert second.loader.store.fingerprint is not None


def test_sh008_the_view_cache_in_redis_stays_bounded(ns):
    """One viewer clicking through many filters: at most max_views views stay,
    none larger than max_bytes; a view asked for once lives RARE_TTL seconds, a
    view asked for again TIMEOUT, and the least recently used go first."""
    server = redis.Redis.from_url(REDIS_URL)
    breaker = redis_link.Breaker(redis_link.connect(REDIS_URL))
    cache = views.RedisViews(breaker, f"{ns}:view:", max_bytes=2_000, max_views=5)
    cache.set("popular", {"n": -1, "pad": "x" * 500})
    for n in range(40):
        cache.set(f"view-{n}", {"n": n, "pad": "x" * 500})
        if n % 4 == 0:
            assert cache.get("popular") == {"n": -1, "pad": "x" * 500}
    cache.set("huge", {"pad": "x" * 3_000})  # over max_bytes: not stored
    stored = [k for k in server.scan_iter(f"{ns}:view:*") if not k.endswith(b"index")]
    assert len(stored) <= 5
    assert sum(server.strlen(k) for k in stored) <= 5 * 2_000
    names = {k.decode().removeprefix(f"{ns}:view:") for k in stored}
    assert "huge" not in names
    assert "popular" in names  # used again and again: kept
    assert "view-0" not in names
    assert "view-39" in names
    assert 0 < server.ttl(f"{ns}:view:view-39") <= views.RARE_TTL
    assert views.RARE_TTL < server.ttl(f"{ns}:view:popular") <= views.TIMEOUT
    assert server.zcard(f"{ns}:view:index") <= 5


def test_sh009_a_real_view_fits_the_cache(engine, ns):
    from flask import Flask

    loader = worker(engine, ns)
    loader.check()
    cache = views.cache(Flask(__name__), REDIS_URL, ns)
    name = views.key(loader.store.fingerprint, Filters())
    views.cached(cache, name, lambda: render(view_data.load(loader.store, Filters())))
    size = redis.Redis.from_url(REDIS_URL).strlen(f"{ns}:view:{name}")
    assert size > 0
