"""Throw-away databases on the real MariaDB/MySQL server for the tests.

Sessions run with MySQL 8's default sql_mode (ONLY_FULL_GROUP_BY included), which
MariaDB's default omits, so queries that a PaaS MySQL would reject fail here too.
"""

import os
import threading
import uuid
from contextlib import contextmanager

import pymysql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")
MYSQL8_SQL_MODE = (
    "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
)


@contextmanager
def scratch_database(prefix: str = "csd_test"):
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = create_engine(SERVER_URL)
    try:
        with server.begin() as conn:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    except Exception as exc:  # noqa: BLE001 - re-raised with the fix
        raise RuntimeError(
            f"MariaDB/MySQL is not reachable at {SERVER_URL} "
            f"({exc.__class__.__name__}); start it (see README) or set TEST_MYSQL_URL"
        ) from exc
    try:
        yield make_url(SERVER_URL).set(database=name)
    finally:
        with server.begin() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        server.dispose()


def strict_engine(url):
    """An engine whose sessions use MySQL 8's default sql_mode."""
    return create_engine(
        url, connect_args={"init_command": f"SET SESSION sql_mode='{MYSQL8_SQL_MODE}'"}
    )


@contextmanager
def seeded_database(seed: int, scale: float, prefix: str = "csd_test"):
    """A scratch database with the schema and the mock data; yields (url, engine)."""
    from dashboard.data.schema import metadata
    from seeds import populate

    with scratch_database(prefix) as url:
        engine = strict_engine(url)
        metadata.create_all(engine)
        with engine.begin() as conn:
            populate(conn, seed=seed, scale=scale)
        try:
            yield url, engine
        finally:
            engine.dispose()


def raw_connection(url):
    return pymysql.connect(
        host=url.host, port=url.port or 3306, user=url.username,
        password=url.password or "", database=url.database, autocommit=True,
    )  # fmt: skip


@contextmanager
def locked(url, table: str, release_after: float = 10):
    """Another session holds LOCK TABLES `table` WRITE; it is killed after
    `release_after` s at the latest, so a missing bound fails a test, never hangs it."""
    holder = raw_connection(url)
    with holder.cursor() as cur:
        cur.execute(f"LOCK TABLES {table} WRITE")

    def kill():
        with raw_connection(url) as admin, admin.cursor() as cur:
            cur.execute("KILL %s", (holder.thread_id(),))

    timer = threading.Timer(release_after, kill)
    timer.start()
    try:
        yield holder
    finally:
        timer.cancel()
        holder.close()  # releases the lock
