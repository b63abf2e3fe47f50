"""Engine creation for the support database, and the checks that turn driver errors into
messages a user can act on."""

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool

from dashboard.schema import TABLES, metadata


class DatabaseError(RuntimeError):
    """The database cannot be used right now; the message says why and what to do."""


def _sqlite_foreign_keys(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: URL | None) -> Engine:
    """An engine for `url`; None: a private in-memory SQLite (the demo database)."""
    if url is None:
        # One in-memory database, so one connection, lent to one thread at a time:
        # a reader can never end (roll back) the simulator's open transaction.
        engine = create_engine(
            "sqlite+pysqlite://",
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=120,
            connect_args={"check_same_thread": False},
        )
    elif url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,  # survive server restarts and idle timeouts
            pool_recycle=280,
            connect_args={"connect_timeout": 5, "charset": "utf8mb4"},
        )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def describe(url: URL | None) -> str:
    """The URL without its password, safe for logs and messages."""
    return "in-memory demo database" if url is None else url.render_as_string(True)


def friendly_error(exc: Exception, url: URL | None) -> DatabaseError:
    """A one-line DatabaseError for a driver exception."""
    where = describe(url)
    if isinstance(exc, OperationalError):
        detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        return DatabaseError(f"cannot reach the database at {where}: {detail}")
    if isinstance(exc, DBAPIError):
        detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        return DatabaseError(f"database error at {where}: {detail}")
    return DatabaseError(f"database error at {where}: {exc}")


def missing_tables(engine: Engine) -> list[str]:
    """Names of the support tables the database lacks (empty: the schema is there)."""
    present = set(inspect(engine).get_table_names())
    return [t.name for t in TABLES if t.name not in present]


def check_schema(engine: Engine, url: URL | None) -> None:
    """Raise DatabaseError unless the database is reachable and has every table."""
    try:
        missing = missing_tables(engine)
    except DBAPIError as exc:
        raise friendly_error(exc, url) from exc
    if missing:
        raise DatabaseError(
            f"the database at {describe(url)} has no {', '.join(missing)} table(s); "
            "create and fill it with `support-dashboard seed --database-url URL`"
        )


def demo_engine(seed: int = 42, scale: float = 1.0) -> Engine:
    """The zero-configuration database: in-memory SQLite filled with the mock data."""
    from seeds import populate  # the generator is only needed for the demo and `seed`

    engine = make_engine(None)
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=seed, scale=scale)
    return engine


def open_engine(url: URL | None, seed: int = 42) -> Engine:
    """The engine the app and CLI use: the configured database, or the seeded demo."""
    return demo_engine(seed) if url is None else make_engine(url)
