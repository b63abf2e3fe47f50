"""QUERY_TIMEOUT_SECONDS on the real MariaDB: a locked table gives our error within
the bound instead of a hung thread, on every pooled connection, with the client's
read timeout as the backstop."""

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard.cli import main
from dashboard.config import Settings
from dashboard.data.db import READ_TIMEOUT_MARGIN, friendly_error, make_engine
from dashboard.web.db_reads import reads
from tests.mysql import locked, raw_connection, scratch_database, seeded_database

pytestmark = [pytest.mark.mysql, pytest.mark.slow]  # waits out timeouts


@pytest.fixture
def locked_table():
    """A scratch database whose table `t` another session holds a write lock on."""
    with scratch_database("csd_timeout") as url:
        with raw_connection(url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            cur.execute("INSERT INTO t VALUES (1), (2)")
        with locked(url, "t") as holder:
            yield url, holder


def test_tmo001_a_locked_table_fails_within_the_bound(locked_table):
    url, holder = locked_table
    engine = make_engine(url, query_timeout=2)
    started = time.perf_counter()
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT COUNT(*) FROM t")).scalar()
    took = time.perf_counter() - started
    assert 1.5 < took < 4.0, took
    error = friendly_error(caught.value, url)
    assert error.user_message == "The database took too long to answer (over 2 s)."
    assert str(error).startswith(
        f"the database at {url.render_as_string(True)} took too long to answer "
        "(over 2 s): (1969, "
    )
    assert "QUERY_TIMEOUT_SECONDS" in str(error)
    with holder.cursor() as cur:
        cur.execute("UNLOCK TABLES")
    with engine.connect() as conn:  # the pool recovers once the lock is gone
        assert conn.execute(text("SELECT COUNT(*) FROM t")).scalar() == 2
    engine.dispose()


def test_tmo002_every_pooled_connection_is_bounded():
    with scratch_database("csd_timeout") as url:
        engine = make_engine(url, query_timeout=7)
        seen = []
        ready = threading.Barrier(3)

        def read():
            with engine.connect() as conn:
                ready.wait(timeout=10)  # three connections open at once
                seen.append(
                    conn.execute(
                        text("SELECT CONNECTION_ID(), @@max_statement_time")
                    ).one()
                )

        threads = [threading.Thread(target=read) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({connection_id for connection_id, _ in seen}) == 3
        assert [limit for _, limit in seen] == [7.0] * 3
        engine.dispose()  # new connections after a dispose are bounded too
        with engine.connect() as conn:
            assert conn.execute(text("SELECT @@max_statement_time")).scalar() == 7.0
        engine.dispose()

        unbounded = make_engine(url, query_timeout=0)
        with unbounded.connect() as conn:
            assert conn.execute(text("SELECT @@max_statement_time")).scalar() == 0.0
        unbounded.dispose()


def test_tmo003_the_read_timeout_is_the_backstop():
    """A session whose server-side bound is lifted is still cut off by the client."""
    with scratch_database("csd_timeout") as url:
        engine = make_engine(url, query_timeout=1)
        started = time.perf_counter()
        with engine.connect() as conn:
            conn.execute(text("SET SESSION max_statement_time = 0"))
            with pytest.raises(DBAPIError) as caught:
                conn.execute(text("SELECT SLEEP(30)"))
        took = time.perf_counter() - started
        assert 1 + READ_TIMEOUT_MARGIN - 0.5 < took < 1 + READ_TIMEOUT_MARGIN + 3
        error = friendly_error(caught.value, url)
        assert error.user_message == "The database took too long to answer (over 1 s)."
        assert "timed out" in str(error)
        with engine.connect() as conn:  # the broken connection was not reused
            assert conn.execute(text("SELECT @@max_statement_time")).scalar() == 1.0
        engine.dispose()


def test_tmo004_the_cli_report_stops_at_query_timeout_seconds(capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("QUERY_TIMEOUT_SECONDS", "2")
    with seeded_database(seed=3, scale=0.02, prefix="csd_timeout") as (url, _):
        paas = url.set(drivername="mysql").render_as_string(hide_password=False)
        with locked(url, "MESSAGE"):
            started = time.perf_counter()
            code = main(["report", "summary", "--database-url", paas])
            took = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"support-dashboard: error: the database at {url.render_as_string(True)} "
        "took too long to answer (over 2 s): (1969, 'Query execution was "
        "interrupted (max_statement_time exceeded)'); raise QUERY_TIMEOUT_SECONDS "
        "(0: no limit) if it needs longer"
    ]
    assert took < 6


@pytest.mark.parametrize(
    "url_tail", ["?reconnect=true", "?reconnect=true&charset=utf8"]
)
def test_tmo005_add_on_urls_connect(url_tail, capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with scratch_database("csd_addon") as url:
        paas = url.set(drivername="mysql").render_as_string(hide_password=False)
        assert main(["seed", "--database-url", paas + url_tail, "--scale", "0.02"]) == 0
        assert "seeded" in capsys.readouterr().out
        code = main(["report", "backlog", "--database-url", paas + url_tail])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert out.startswith("backlog: ")


def test_tmo010_interactive_reads_stop_at_db_read_timeout_seconds(locked_table):
    """The conversation's reads have a pool of their own with a shorter bound; the
    app's engine keeps QUERY_TIMEOUT_SECONDS."""
    url, holder = locked_table
    app_engine = make_engine(url, query_timeout=30)
    interactive = reads(
        Settings(database_url=url, db_read_timeout_seconds=2), app_engine
    )
    started = time.perf_counter()
    with pytest.raises(DBAPIError) as caught, interactive.connect() as conn:
        conn.execute(text("SELECT COUNT(*) FROM t")).scalar()
    took = time.perf_counter() - started
    assert 1.5 < took < 4.0, took
    error = friendly_error(caught.value, url)
    assert error.user_message == "The database took too long to answer (over 2 s)."
    assert str(error).endswith(
        "; raise DB_READ_TIMEOUT_SECONDS (0: no limit) if it needs longer"
    )
    interactive.engine.dispose()
    app_engine.dispose()
