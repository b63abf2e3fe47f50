"""Engine options (TLS arguments, the statement bound per server, SQLite left alone)
and database errors in two texts: the operator's line (host and database, never a
password) and the visitor's (no host, user, database name or driver text)."""

import logging
import sqlite3
import ssl
import time

import pytest
import trustme
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from dashboard.config import database_url
from dashboard.data.db import (
    NO_DATABASE,
    NO_TABLES,
    UNREACHABLE,
    UNREADABLE,
    DatabaseError,
    check_schema,
    error_code,
    friendly_error,
    make_engine,
    session_timeout_sql,
    tls_connect_args,
    user_message,
)
from seeds.demo import open_engine

INTERNALS = ("127.0.0.1", "dash_reader", "support_prod", "pymysql", "2003", "s3cret")


def connection_error(url):
    engine = make_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect():
            pass
    finally:
        engine.dispose()
    return caught.value


def test_err001_unreachable_server_two_texts():
    url = database_url("mysql://dash_reader:s3cret@127.0.0.1:1/support_prod")
    error = friendly_error(connection_error(url), url)
    assert str(error).startswith(
        "cannot reach the database at mysql+pymysql://dash_reader:***@127.0.0.1:1/"
        "support_prod: (2003, "
    )
    assert "s3cret" not in str(error)
    assert error.user_message == UNREACHABLE
    for internal in INTERNALS:
        assert internal not in error.user_message


def test_err002_user_message_logs_the_operator_line_once(caplog):
    url = database_url("mysql://dash_reader:s3cret@127.0.0.1:1/support_prod")
    exc = connection_error(url)
    with caplog.at_level(logging.WARNING, logger="dashboard.data.db"):
        shown = user_message(exc, url)
    assert shown == UNREACHABLE
    assert len(caplog.records) == 1
    logged = caplog.records[0]
    assert logged.levelno == logging.WARNING
    assert "cannot reach the database at" in logged.getMessage()
    assert "127.0.0.1:1" in logged.getMessage()
    assert "s3cret" not in logged.getMessage()
    assert "\n" not in logged.getMessage()


def test_err003_missing_tables(tmp_path):
    url = database_url(f"sqlite:///{tmp_path / 'empty.db'}")
    engine = make_engine(url)
    with pytest.raises(DatabaseError) as missing:
        check_schema(engine, url)
    assert "has no SENDER, CUSTOMER, AGENT, TICKET, MESSAGE table(s)" in str(
        missing.value
    )
    assert missing.value.user_message == NO_TABLES
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT COUNT(*) FROM TICKET"))
    error = friendly_error(caught.value, url)
    assert error.user_message == NO_TABLES
    assert "no such table: TICKET" in str(error)
    assert user_message(missing.value) == NO_TABLES
    engine.dispose()


def test_err004_anything_else_is_a_plain_sentence():
    error = friendly_error(ValueError("boom"), None)
    assert str(error) == "database error at in-memory demo database: boom"
    assert error.user_message == UNREADABLE
    assert DatabaseError("operator text").user_message == UNREADABLE


@pytest.mark.parametrize("url", [None, "sqlite:///{tmp}/support.db"])
@pytest.mark.slow
def test_err005_sqlite_engines_are_not_bounded(url, tmp_path):
    """A one-second bound would cut this query off if it applied to SQLite."""
    url = None if url is None else database_url(url.format(tmp=tmp_path))
    engine = make_engine(url, query_timeout=1)
    slow = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < :limit) SELECT COUNT(*) FROM n"
    )
    limit = 2_000_000
    with engine.connect() as conn:
        while True:
            started = time.perf_counter()
            assert conn.execute(slow, {"limit": limit}).scalar() == limit
            took = time.perf_counter() - started
            if took > 1.2:
                break
            assert limit < 10**9, "cannot make SQLite take longer than the bound"
            limit = int(limit * max(2.0, 1.5 / max(took, 0.01)))
    engine.dispose()


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


@pytest.mark.parametrize(
    ("mode", "with_ca", "expected"),
    [
        (None, False, {}),
        ("PREFERRED", False, {}),
        ("DISABLED", False, {"ssl_disabled": True}),
        ("REQUIRED", False, (ssl.CERT_NONE, False)),
        ("REQUIRED", True, (ssl.CERT_REQUIRED, False)),
        ("VERIFY_CA", True, (ssl.CERT_REQUIRED, False)),
        ("VERIFY_CA", False, (ssl.CERT_REQUIRED, False)),  # the system's CAs
        ("VERIFY_IDENTITY", True, (ssl.CERT_REQUIRED, True)),
    ],
)
def test_eng001_tls_modes_as_pymysql_arguments(mode, with_ca, expected, ca_file):
    args = tls_connect_args(mode, ca_file if with_ca else None)
    if isinstance(expected, dict):
        assert args == expected
        return
    assert set(args) == {"ssl"}
    context = args["ssl"]
    assert (context.verify_mode, context.check_hostname) == expected


@pytest.mark.parametrize(
    ("version", "statement"),
    [
        ("5.5.5-10.11.19-MariaDB-0+deb12u1", "SET SESSION max_statement_time = 30"),
        ("11.4.2-MariaDB-log", "SET SESSION max_statement_time = 30"),
        ("8.0.36", "SET SESSION max_execution_time = 30000"),
        ("8.4.0-google", "SET SESSION max_execution_time = 30000"),
        ("5.7.44-log", "SET SESSION max_execution_time = 30000"),
    ],
)
def test_eng002_statement_bound_per_server(version, statement):
    assert session_timeout_sql(version, 30) == statement


def test_eng003_open_engine_never_creates_a_sqlite_file(tmp_path):
    """A read-only engine opens its file with mode=rw: deleted after the engine was
    made, the file stays away and the error says it cannot be opened."""
    path = tmp_path / "support.db"
    with pytest.raises(DatabaseError) as missing:
        open_engine(database_url(f"sqlite:///{path}"))
    assert str(missing.value).startswith(f"no such database file {path};")
    assert missing.value.user_message == NO_DATABASE
    assert not path.exists()

    sqlite3.connect(path).close()
    url = database_url(f"sqlite:///{path}")
    engine = open_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
    path.unlink()
    with pytest.raises(DBAPIError) as caught, engine.connect():
        pass
    assert "unable to open database file" in str(friendly_error(caught.value, url))
    assert list(tmp_path.iterdir()) == []
    engine.dispose()


def test_err020_error_code_reads_the_server_error_number():
    def wrapped(*args):
        return OperationalError("SELECT 1", {}, Exception(*args))

    assert error_code(wrapped(1049, "Unknown database 'x'")) == 1049
    assert error_code(wrapped("no number")) is None
    assert error_code(wrapped()) is None
    assert error_code(OSError(111, "refused")) is None  # not a driver error
    url = database_url("mysql://dash_reader:s3cret@127.0.0.1:1/support_prod")
    assert error_code(connection_error(url)) == 2003  # what PyMySQL raises


def test_err021_a_missing_database_is_named_without_the_rest_of_the_url():
    """MySQL error 1049: the server is up, the database is not; both texts say so
    with the database's name, and no host, user or password."""
    url = database_url("mysql://dash_reader:s3cret@db.example.com:3307/support_prod")
    exc = OperationalError("SELECT 1", {}, Exception(1049, "Unknown database 'x'"))
    error = friendly_error(exc, url)
    assert str(error) == (
        'database "support_prod" does not exist on the server; create it or fix '
        "DATABASE_URL"
    )
    assert error.user_message == (
        'The database "support_prod" does not exist on the server; create it or '
        "fix DATABASE_URL."
    )
    for internal in ("db.example.com", "3307", "dash_reader", "s3cret", "reach"):
        assert internal not in str(error) + error.user_message
