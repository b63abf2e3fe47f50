"""MySQL administration for `support-dashboard seed`: create the database a URL
names when the server has none by that name."""

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from dashboard.data.db import (
    UNKNOWN_DATABASE,
    DatabaseError,
    describe,
    error_code,
    friendly_error,
    make_engine,
)

_DENIED = {1044, 1227}  # access denied to a database; for an operation


def create_missing_database(url: URL) -> str | None:
    """Create the MySQL database `url` names (utf8mb4) if the server has none by
    that name: its quoted name, or None when it was there. If the user may not
    create it (or may not use it: the server does not tell which), fail with one
    line giving the SQL an administrator runs."""
    engine = make_engine(url)
    try:
        with engine.connect():
            return None
    except DBAPIError as exc:
        if error_code(exc) not in (UNKNOWN_DATABASE, *_DENIED):
            raise friendly_error(exc, url) from exc
        problem = exc
    finally:
        engine.dispose()
    if not url.database:  # a server URL: no database to create, only the refusal
        raise friendly_error(problem, url) from problem
    server = make_engine(url.set(database=""))  # the server, no database
    name = server.dialect.identifier_preparer.quote_identifier(url.database)
    create = f"CREATE DATABASE IF NOT EXISTS {name} CHARACTER SET utf8mb4"
    try:
        with server.begin() as conn:
            user = conn.exec_driver_sql("SELECT CURRENT_USER()").scalar_one()
            if error_code(problem) == UNKNOWN_DATABASE:
                conn.exec_driver_sql(create)
                return name
    except DBAPIError as exc:
        if error_code(exc) not in _DENIED:
            raise friendly_error(exc, url) from exc
        problem = exc
    finally:
        server.dispose()
    user, _, host = (part.replace("'", "''") for part in user.rpartition("@"))
    raise DatabaseError(
        f"{describe(url)}: {user} may not create or use the database {name}; as an "
        f"administrator, run: {create}; GRANT ALL ON {name}.* TO '{user}'@'{host}';"
    ) from problem
