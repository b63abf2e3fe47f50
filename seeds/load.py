"""Bulk loading of generated rows into the support database, in the caller's
transaction.

- MySQL / MariaDB, on a PyMySQL connection opened with `local_infile` (`seed` opens
  one): each table is one `LOAD DATA LOCAL INFILE` statement, fed through a named
  pipe by a thread that makes the rows meanwhile. Foreign-key and unique checks are
  off for the session while it runs (the rows are consistent by construction), so
  MariaDB loads each empty table in bulk: it sorts every index once at the end of
  the statement instead of inserting row by row, which is what keeps 6 million
  messages fast with a 128 MB buffer pool.
- MySQL / MariaDB otherwise (no `local_infile` on either side): multi-row INSERT
  statements of a few MB, written as SQL text, as mysqldump does.
- SQLite: the driver's executemany of tuples, datetimes as SQLAlchemy stores them.
- Anything else: SQLAlchemy's executemany.
"""

import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator

import numpy as np
from sqlalchemy import Table

STATEMENT_BYTES = 4 << 20  # one INSERT at most (and below the server's packet limit)
SEPARATOR = "\x1e"  # joins a column's texts to escape them in one go
# "local infile disabled": MySQL 5.x / MariaDB, MySQL 8, MariaDB 10.5+
_REFUSED = {1148, 3948, 4166}

Columns = dict  # column name -> numpy array (datetime64 for times) or list
Batches = Iterable[tuple[Table, Iterable[Columns]]]


def insert(
    conn,
    tables: Batches,
    total: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert each table's batches of columns, tables in the order given (foreign
    keys first); progress(done, total) after each batch."""
    counter = _Counter(total, progress)
    dialect = conn.dialect.name
    if dialect == "mysql":
        dbapi = conn.connection.dbapi_connection
        local_infile = hasattr(os, "mkfifo") and _has_local_infile(dbapi)
        _MySQL(dbapi.cursor(), counter, local_infile).insert(tables)
        return
    for table, batches in tables:
        for columns in batches:
            if dialect == "sqlite":
                _sqlite_insert(conn, table, columns)
            else:
                values = [_python(v) for v in columns.values()]
                rows = [
                    dict(zip(columns, row, strict=True))
                    for row in zip(*values, strict=True)
                ]
                conn.execute(table.insert(), rows)
            counter(columns)


class _Counter:
    def __init__(self, total: int, progress):
        self.total, self.progress, self.done = total, progress, 0

    def __call__(self, columns: Columns) -> None:
        self.done += len(next(iter(columns.values())))
        if self.progress is not None:
            self.progress(self.done, self.total)


# --- SQLite -----------------------------------------------------------------------


def _sqlite_insert(conn, table: Table, columns: Columns) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    values = []
    for v in columns.values():
        if isinstance(v, np.ndarray) and v.dtype.kind == "M":
            v = np.strings.add(_datetimes(v), ".000000")  # SQLAlchemy's format
        values.append(_python(v))
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
        list(zip(*values, strict=True)),
    )


def _python(values) -> list:
    """Plain Python values (datetime for datetime64)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[us]").tolist()
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _datetimes(values: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD HH:MM:SS' strings."""
    return np.strings.replace(np.datetime_as_string(values, unit="s"), "T", " ")


def _texts(values, escape: Callable[[str], str], null: str, quote: str) -> list[str]:
    """One column as MySQL text for a statement (quote "'") or a data file (quote
    ""): numbers as they are, datetimes as 'YYYY-MM-DDTHH:MM:SS' (ISO 8601, which
    MySQL reads), strings escaped and quoted, None as null."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":
            values = np.datetime_as_string(values, unit="s").tolist()
            return [f"{quote}{s}{quote}" for s in values] if quote else values
        return [str(v) for v in values.tolist()]
    try:  # escape the whole column at once, if all text and no separator inside
        joined = SEPARATOR.join(values)
    except TypeError:  # a None or a number among them
        joined = None
    if joined is not None and joined.count(SEPARATOR) == len(values) - 1:
        texts = escape(joined).split(SEPARATOR)
        return [f"{quote}{s}{quote}" for s in texts] if quote else texts
    return [
        null if v is None else f"{quote}{escape(v)}{quote}" if isinstance(v, str)
        else str(v)
        for v in values
    ]  # fmt: skip


# --- MySQL / MariaDB ----------------------------------------------------------------


class _MySQL:
    def __init__(self, cursor, counter: _Counter, local_infile: bool):
        self.cursor, self.counter, self.local_infile = cursor, counter, local_infile

    def insert(self, tables: Batches) -> None:
        cursor = self.cursor
        cursor.execute(
            "SELECT @@foreign_key_checks, @@unique_checks, @@max_allowed_packet,"
            " @@sql_mode"
        )
        fk, unique, packet, mode = cursor.fetchone()
        self.limit = min(STATEMENT_BYTES, int(packet) - 1024)
        self.backslashes = "NO_BACKSLASH_ESCAPES" not in mode.upper()
        cursor.execute("SET foreign_key_checks = 0, unique_checks = 0")
        try:
            for table, batches in tables:
                batches = iter(batches)
                if not (self.local_infile and self._load_data(table, batches)):
                    for columns in batches:
                        self._insert(table, columns)
                        self.counter(columns)
        finally:
            cursor.execute(
                f"SET foreign_key_checks = {int(fk)}, unique_checks = {int(unique)}"
            )
            cursor.close()

    # -- LOAD DATA through a named pipe --------------------------------------------

    def _load_data(self, table: Table, batches: Iterator[Columns]) -> bool:
        """Load the table in one statement; False (nothing read) if the server
        refuses local files."""
        with tempfile.TemporaryDirectory(prefix="seed-") as tmp:
            pipe = os.path.join(tmp, f"{table.name}.tsv")
            os.mkfifo(pipe, 0o600)
            stop, opened = threading.Event(), threading.Event()
            errors: list[BaseException] = []
            last: list[Columns] = []
            feeder = threading.Thread(
                target=self._feed,
                args=(pipe, table, batches, stop, opened, errors, last),
                name=f"seed-{table.name}",
                daemon=True,
            )
            feeder.start()
            try:
                # Tab-separated fields, lines ending in a newline, backslash
                # escapes and \N for NULL; spelled in hex, which means the same
                # whether or not the sql_mode has NO_BACKSLASH_ESCAPES.
                self.cursor.execute(
                    f"LOAD DATA LOCAL INFILE %s INTO TABLE `{table.name}`"
                    " CHARACTER SET utf8mb4 FIELDS TERMINATED BY X'09'"
                    " ESCAPED BY X'5C' LINES TERMINATED BY X'0A'"
                    f" ({', '.join(table.c.keys())})",
                    (pipe,),
                )
            except Exception as exc:
                refused = getattr(exc, "args", (None,))[0] in _REFUSED
                if refused and not opened.is_set():
                    self.local_infile = False
                    return False
                raise
            finally:
                stop.set()
                _release(pipe, feeder)
            if errors:
                raise errors[0]
        for columns in last:  # in the table now, indexes and all
            self.counter(columns)
        return True

    def _feed(
        self,
        pipe: str,
        table: Table,
        batches: Iterator[Columns],
        stop: threading.Event,
        opened: threading.Event,
        errors: list[BaseException],
        last: list[Columns],
    ) -> None:
        """Write the batches into the pipe as tab-separated rows, in the order of the
        table's columns; stop early (taking no further batch) once told to.

        Each batch counts as done when the next one is asked for; the last one is
        left in `last` for the loading thread to count when the statement ends (the
        server builds the indexes then, which takes a while)."""
        try:
            with open(pipe, "wb") as out:
                opened.set()
                while not stop.is_set():
                    columns = next(batches, None)
                    if last:
                        self.counter(last.pop())
                    if columns is None:
                        return
                    out.write(_tsv(table, columns))
                    last.append(columns)
        except BaseException as exc:  # noqa: BLE001 - raised by the loading thread
            errors.append(exc)

    # -- multi-row INSERT ----------------------------------------------------------

    def _insert(self, table: Table, columns: Columns) -> None:
        texts = [_texts(v, self._escape, "NULL", "'") for v in columns.values()]
        rows = ["(" + ",".join(row) + ")" for row in zip(*texts, strict=True)]
        head = f"INSERT INTO `{table.name}` ({', '.join(columns)}) VALUES "
        start, size = 0, 0
        for i, row in enumerate(rows):
            if size + len(row) > self.limit and i > start:
                self.cursor.execute(head + ",".join(rows[start:i]))
                start, size = i, 0
            size += len(row) + 1
        if rows:
            self.cursor.execute(head + ",".join(rows[start:]))

    def _escape(self, text: str) -> str:
        """The inside of a quoted string literal, under the session's sql_mode."""
        if self.backslashes:
            text = text.replace("\\", "\\\\").replace("\0", "\\0")
        return text.replace("'", "''")


def _tsv(table: Table, columns: Columns) -> bytes:
    """Tab-separated lines, in the order of the table's columns."""
    texts = [_texts(columns[c.name], _tsv_escape, "\\N", "") for c in table.c]
    return ("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n").encode()


def _tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _has_local_infile(dbapi_connection) -> bool:
    """Whether a PyMySQL connection was opened with local_infile."""
    try:
        from pymysql.constants import CLIENT
    except ImportError:
        return False
    if not type(dbapi_connection).__module__.startswith("pymysql"):
        return False
    return bool(getattr(dbapi_connection, "client_flag", 0) & CLIENT.LOCAL_FILES)


def _release(pipe: str, feeder: threading.Thread) -> None:
    """Let a feeder that is still waiting for a reader (the statement failed or was
    refused before reading) finish: open the pipe's read end and drain it."""
    if not feeder.is_alive():
        return
    fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        while feeder.is_alive():
            try:
                if not os.read(fd, 1 << 16):
                    feeder.join(0.01)
            except BlockingIOError:
                feeder.join(0.01)
    finally:
        os.close(fd)
