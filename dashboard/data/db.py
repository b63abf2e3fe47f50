"""Engine creation for the support database, and the checks that turn driver errors into
messages a user can act on.

A `DatabaseError` has two texts: `str(exc)` is the operator's line (the CLI prints it,
the server logs it; it may name host and database, never a password) and
`exc.user_message` is what a visitor of the page may read (no host, user, database
name or driver text). Nothing here logs when it builds an error: the CLI prints the
operator's line, and the server logs it through `user_message(exc, url)`, which is
what the page shows.
"""

import functools
import logging
import os
import sqlite3
import ssl
from urllib.parse import quote

import pymysql
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool

from dashboard.config import TLS_REQUIRED, normalise
from dashboard.data.schema import TABLES

log = logging.getLogger(__name__)

DEFAULT_QUERY_TIMEOUT = 30  # seconds; Settings.query_timeout_seconds
# How much longer than the server-side bound the client waits for an answer before
# it gives up on the connection: the backstop for a server that does not enforce it.
READ_TIMEOUT_MARGIN = 5

UNREADABLE = "The database cannot be read right now."
UNREACHABLE = "The database server cannot be reached."
NO_DATABASE = "The dashboard's database does not exist."
NO_TABLES = "The database is missing the support tables."


class DatabaseError(RuntimeError):
    """The database cannot be used right now. `str()` says why and what to do, for
    the operator; `user_message` says it in a visitor's terms."""

    def __init__(self, message: str, user_message: str = UNREADABLE):
        super().__init__(message)
        self.user_message = user_message


def _sqlite_foreign_keys(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def tls_connect_args(mode: str | None, ca: str | None) -> dict:
    """PyMySQL's TLS arguments for an ssl-mode and CA file (README, Configuration)."""
    if mode is None or mode == "PREFERRED":
        return {}  # PyMySQL's own default: TLS if the server offers it, unverified
    if mode == "DISABLED":
        return {"ssl_disabled": True}
    context = ssl.create_default_context(cafile=ca)  # no file: the system's CAs
    # As PyMySQL does: the certificates MySQL generates for itself fail Python
    # 3.13's strict X.509 checks, which add nothing to verifying the chain.
    context.verify_flags &= ~ssl.VERIFY_X509_STRICT
    context.check_hostname = mode == "VERIFY_IDENTITY"
    if mode == "REQUIRED" and not ca:
        context.verify_mode = ssl.CERT_NONE  # encrypted, server not verified
    return {"ssl": context}


def session_timeout_sql(server_version: str, seconds: int) -> str:
    """The statement that bounds every later statement of a session to `seconds`.

    MariaDB: max_statement_time (seconds, every statement). MySQL 5.7.8+:
    max_execution_time (milliseconds; MySQL applies it to SELECTs only)."""
    seconds = int(seconds)
    if "mariadb" in server_version.lower():
        return f"SET SESSION max_statement_time = {seconds}"
    return f"SET SESSION max_execution_time = {seconds * 1000}"


def _on_mysql_connect(dbapi_conn, _record, *, timeout: int, tls: bool) -> None:
    """Each new pooled connection: refuse it unless encrypted when TLS was asked
    for (whatever the PyMySQL version does), then bound its statements."""
    try:
        with dbapi_conn.cursor() as cursor:
            if tls:
                cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                row = cursor.fetchone()
                if not row or not row[1]:
                    raise pymysql.err.OperationalError(
                        2026, "TLS was required but the connection is not encrypted"
                    )
            if timeout:
                statement = session_timeout_sql(dbapi_conn.get_server_info(), timeout)
                try:
                    cursor.execute(statement)
                except pymysql.err.MySQLError as exc:
                    if exc.args[0] != 1193:  # unknown variable: a server without it
                        raise
                    log.warning(
                        "the database server cannot bound statements (%s); "
                        "queries are cut off by the client after %s s",
                        exc.args[1],
                        timeout + READ_TIMEOUT_MARGIN,
                    )
    except BaseException:
        dbapi_conn.close()
        raise


def _existing_sqlite_file(url: URL):
    """A connect function for the SQLite file `url` names that never creates it
    (SQLite's mode=rw); None for an in-memory SQLite URL. DatabaseError at once when
    the file is missing: SQLite would otherwise create an empty one."""
    path = url.database
    if not path or path == ":memory:":
        return None
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise DatabaseError(
            f"no such database file {path}; create and fill it with "
            f"`support-dashboard seed --database-url {describe(url)}`",
            NO_DATABASE,
        )
    uri = f"file:{quote(path)}?mode=rw"  # quoted: '?' and '#' are URI syntax
    return lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)


def make_engine(
    url: URL | None,
    *,
    query_timeout: int = DEFAULT_QUERY_TIMEOUT,
    local_infile: bool = False,
    create: bool = True,
    timeout_setting: str = "QUERY_TIMEOUT_SECONDS",
    pool_size: int = 5,
) -> Engine:
    """An engine for `url`; None: a private in-memory SQLite (the demo database).

    On MySQL every statement is bounded by `query_timeout` seconds (0: no bound),
    TLS follows the URL's ssl_mode and ssl_ca (see config.normalise), and
    `local_infile` allows LOAD DATA LOCAL INFILE (the seeder's bulk load only).
    With `create=False` a SQLite file is never created: a missing one is a
    DatabaseError here, and connections open it with mode=rw. `timeout_setting`
    names the setting the operator's message says to raise when the bound is hit;
    `pool_size` is the MySQL pool's (SQLAlchemy's default, 5, plus 10 overflow)."""
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
        url = normalise(url)
        creator = None if create else _existing_sqlite_file(url)
        if creator is None:
            engine = create_engine(url, connect_args={"check_same_thread": False})
        else:
            engine = create_engine(url, creator=creator)
    else:
        url = normalise(url)
        mode, ca = url.query.get("ssl_mode"), url.query.get("ssl_ca")
        connect_args = {
            "connect_timeout": 5,
            "charset": "utf8mb4",
            **tls_connect_args(mode, ca),
        }
        if query_timeout:
            connect_args["read_timeout"] = query_timeout + READ_TIMEOUT_MARGIN
        if local_infile:
            connect_args["local_infile"] = True
        engine = create_engine(
            url.set(query={}),  # ours, not the driver's: they are in connect_args
            pool_pre_ping=True,  # survive server restarts and idle timeouts
            pool_recycle=280,
            pool_size=pool_size,
            connect_args=connect_args,
        )
        on_connect = functools.partial(
            _on_mysql_connect, timeout=query_timeout, tls=mode in TLS_REQUIRED
        )
        event.listen(engine, "connect", on_connect)
        if query_timeout:
            event.listen(
                engine,
                "handle_error",
                functools.partial(
                    _note_timeout, seconds=query_timeout, setting=timeout_setting
                ),
            )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def _note_timeout(context, *, seconds: int, setting: str) -> None:
    """Let friendly_error say what the bound was, and which setting sets it."""
    if context.sqlalchemy_exception is not None:
        context.sqlalchemy_exception.query_timeout = seconds
        context.sqlalchemy_exception.timeout_setting = setting


def describe(url: URL | None) -> str:
    """The URL without its password, safe for logs and messages."""
    return "in-memory demo database" if url is None else url.render_as_string(True)


# MySQL/MariaDB error codes, by what they mean to a user.
_BOUND = {1969, 3024}  # our statement bound was hit (MariaDB, MySQL)
_LOCK_WAIT = 1205  # InnoDB's own row lock wait timeout
_LOGIN = {1044, 1045, 1698}
UNKNOWN_DATABASE = 1049
_NO_PERMISSION = {1142, 1143}
_NO_TABLE = {1146}
_TLS = {2026}
_CONNECTION = {2003, 2013, 2055}  # their text is the socket's, Python's ssl included


def error_code(exc: BaseException) -> int | None:
    """The server's error number of a MySQL driver error, as SQLAlchemy wraps it."""
    args = getattr(getattr(exc, "orig", None), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def friendly_error(exc: Exception, url: URL | None) -> DatabaseError:
    """A DatabaseError for a driver exception: one line for the operator, and one
    in a visitor's terms (`user_message`). It does not log (see the module doc)."""
    where = describe(url)
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).splitlines()
    detail = detail[0] if detail else type(exc).__name__
    code = error_code(exc)
    lowered = detail.lower()
    if (
        code in _BOUND
        or code == _LOCK_WAIT
        or (code == 2013 and "timed out" in lowered)
    ):
        limit = None if code == _LOCK_WAIT else getattr(exc, "query_timeout", None)
        over = f" (over {limit} s)" if limit else ""
        setting = getattr(exc, "timeout_setting", "QUERY_TIMEOUT_SECONDS")
        hint = f"; raise {setting} (0: no limit) if it needs longer" if limit else ""
        return DatabaseError(
            f"the database at {where} took too long to answer{over}: {detail}{hint}",
            f"The database took too long to answer{over}.",
        )
    if code in _TLS or (
        code in _CONNECTION and ("[ssl" in lowered or "_ssl.c" in lowered)
    ):
        return DatabaseError(
            f"cannot reach the database at {where} over TLS: {detail}",
            "A secure connection to the database cannot be set up.",
        )
    if code in _NO_TABLE or lowered.startswith("no such table"):
        return DatabaseError(f"database error at {where}: {detail}", NO_TABLES)
    if code in _NO_PERMISSION:
        return DatabaseError(
            f"database error at {where}: {detail}",
            "The dashboard is not allowed to read the support data.",
        )
    if code == UNKNOWN_DATABASE:
        return missing_database(url)
    if isinstance(exc, OperationalError):
        user = UNREACHABLE
        if code in _LOGIN:
            user = "The database refused the dashboard's login."
        return DatabaseError(f"cannot reach the database at {where}: {detail}", user)
    if isinstance(exc, DBAPIError):
        return DatabaseError(f"database error at {where}: {detail}", UNREADABLE)
    return DatabaseError(f"database error at {where}: {exc}", UNREADABLE)


def missing_database(url: URL | None) -> DatabaseError:
    """The server is up but has no database of the URL's name (MySQL error 1049).

    Both texts name the database, the one thing to fix, and nothing else of the URL
    (no host, user or password): the page may show it too."""
    name = (url.database if url is not None else None) or "?"
    what = f'database "{name}" does not exist on the server'
    return DatabaseError(
        f"{what}; create it or fix DATABASE_URL",
        f"The {what}; create it or fix DATABASE_URL.",
    )


def user_message(exc: BaseException, url: URL | None = None) -> str:
    """What a visitor may read about `exc` (a DatabaseError or a driver error); logs
    the operator's line, with host and driver text, as one warning."""
    error = exc if isinstance(exc, DatabaseError) else friendly_error(exc, url)
    log.warning("%s", error)
    return error.user_message


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
            "create and fill it with `support-dashboard seed --database-url URL`",
            NO_TABLES,
        )
