"""The few SQL expressions that differ between SQLite, MySQL and DuckDB, in one place.

Each is a SQLAlchemy construct compiled per dialect, so reports stay dialect-free.
SQLite and MySQL run the reports directly on the support tables (the CLI, the
tests); DuckDB runs them on the dashboard's facts store (store.py, duck.py).
"""

import zlib

from sqlalchemy import BigInteger, Float, Integer, String, Text, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class hours_between(FunctionElement):
    """Hours from the first timestamp to the second, as a float (whole seconds)."""

    type = Float()
    inherit_cache = True


@compiles(hours_between, "mysql")
def _hours_mysql(element, compiler, **kw):
    start, end = list(element.clauses)
    return (
        f"(TIMESTAMPDIFF(SECOND, {compiler.process(start, **kw)}, "
        f"{compiler.process(end, **kw)}) / 3600E0)"
    )


@compiles(hours_between, "sqlite")
def _hours_sqlite(element, compiler, **kw):
    # Whole seconds, as MySQL's TIMESTAMPDIFF: julianday() would add float noise.
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"((CAST(strftime('%s', {end}) AS INTEGER) - "
        f"CAST(strftime('%s', {start}) AS INTEGER)) / 3600.0)"
    )


@compiles(hours_between, "duckdb")
def _hours_duckdb(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((epoch({end}) - epoch({start})) / 3600.0)"


class year_month(FunctionElement):
    """The calendar month of a timestamp as 'YYYY-MM'."""

    type = String()
    inherit_cache = True


@compiles(year_month, "mysql")
def _month_mysql(element, compiler, **kw):
    # The format is bound, not inlined: PyMySQL treats a literal % as a placeholder.
    fmt = compiler.process(literal("%Y-%m", String()), **kw)
    return f"DATE_FORMAT({compiler.process(element.clauses, **kw)}, {fmt})"


@compiles(year_month, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "duckdb")
def _month_duckdb(element, compiler, **kw):
    return f"strftime({compiler.process(element.clauses, **kw)}, '%Y-%m')"


class calendar_day(FunctionElement):
    """The calendar day of a timestamp as 'YYYY-MM-DD'."""

    type = String()
    inherit_cache = True


@compiles(calendar_day, "mysql")
def _day_mysql(element, compiler, **kw):
    return f"CAST(DATE({compiler.process(element.clauses, **kw)}) AS CHAR(10))"


@compiles(calendar_day, "sqlite")
def _day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(calendar_day, "duckdb")
def _day_duckdb(element, compiler, **kw):
    return f"strftime({compiler.process(element.clauses, **kw)}, '%Y-%m-%d')"


class name_list(FunctionElement):
    """An aggregate: the group's names, sorted, as one text 'Ann Lee, Bob Ray'.
    (SQLite's group_concat has no ORDER BY: there the rows' order is kept, so
    give it sorted rows.)"""

    type = String()
    inherit_cache = True


@compiles(name_list, "mysql")
def _names_mysql(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"GROUP_CONCAT({arg} ORDER BY {arg} SEPARATOR ', ')"


@compiles(name_list, "sqlite")
def _names_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ', ')"


@compiles(name_list, "duckdb")
def _names_duckdb(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"string_agg({arg}, ', ' ORDER BY {arg})"


class weekday(FunctionElement):
    """Day of the week of a timestamp, 0 = Monday ... 6 = Sunday."""

    type = Integer()
    inherit_cache = True


@compiles(weekday, "mysql")
def _weekday_mysql(element, compiler, **kw):
    return f"WEEKDAY({compiler.process(element.clauses, **kw)})"


@compiles(weekday, "sqlite")
def _weekday_sqlite(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"((CAST(strftime('%w', {arg}) AS INTEGER) + 6) % 7)"


@compiles(weekday, "duckdb")
def _weekday_duckdb(element, compiler, **kw):
    return f"(isodow({compiler.process(element.clauses, **kw)}) - 1)"


class hour_of_day(FunctionElement):
    """Hour of the day of a timestamp, 0-23."""

    type = Integer()
    inherit_cache = True


@compiles(hour_of_day, "mysql")
def _hour_mysql(element, compiler, **kw):
    return f"HOUR({compiler.process(element.clauses, **kw)})"


@compiles(hour_of_day, "sqlite")
def _hour_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(hour_of_day, "duckdb")
def _hour_duckdb(element, compiler, **kw):
    return f"hour({compiler.process(element.clauses, **kw)})"


class epoch_seconds(FunctionElement):
    """Whole seconds from 1970-01-01 00:00:00 to a timestamp, read as wall-clock time
    (no time zone is applied): the cheapest way to move a timestamp."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "mysql")
def _epoch_mysql(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', {arg})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "duckdb")
def _epoch_duckdb(element, compiler, **kw):
    return f"CAST(epoch({compiler.process(element.clauses, **kw)}) AS BIGINT)"


def real(expr):
    """`expr` as a double: MySQL would average integers as DECIMAL(4 places)."""
    return expr + literal_column("0E0")


class packed(FunctionElement):
    """An aggregate: the given columns of every row of a group as CSV text, a line
    per row (pull.py moves big tables this way: the driver reads a few long strings
    instead of millions of rows, and Arrow's CSV reader parses them)."""

    type = Text()
    inherit_cache = True


@compiles(packed, "mysql")
def _packed_mysql(element, compiler, **kw):
    parts = ", ',', ".join(compiler.process(c, **kw) for c in element.clauses)
    return f"GROUP_CONCAT({parts} SEPARATOR X'0A')"  # a newline, whatever sql_mode


@compiles(packed, "sqlite")
def _packed_sqlite(element, compiler, **kw):
    parts = " || ',' || ".join(compiler.process(c, **kw) for c in element.clauses)
    return f"group_concat({parts}, char(10))"


class row_checksum(FunctionElement):
    """CRC-32 of a row's columns as text, joined by '|' (NULL as ''): the reconcile
    (engine/checksums.py) sums it per bucket of ids, so an edit of any of the columns
    moves the bucket's sum. SQLite has no CRC32: `register_crc32` adds it to a
    connection first."""

    type = BigInteger()
    inherit_cache = True


def _text_columns(element, compiler, kw, cast_to: str) -> list[str]:
    return [
        f"COALESCE(CAST({compiler.process(c, **kw)} AS {cast_to}), '')"
        for c in element.clauses
    ]


@compiles(row_checksum, "mysql")
def _checksum_mysql(element, compiler, **kw):
    joined = ", ".join(_text_columns(element, compiler, kw, "CHAR"))
    return f"CRC32(CONCAT_WS('|', {joined}))"


@compiles(row_checksum, "sqlite")
def _checksum_sqlite(element, compiler, **kw):
    joined = " || '|' || ".join(_text_columns(element, compiler, kw, "TEXT"))
    return f"crc32({joined})"


def register_crc32(dbapi_connection) -> None:
    """Give a sqlite3 connection the crc32(text) function row_checksum calls (the
    same CRC-32 as MySQL's CRC32, from zlib)."""
    dbapi_connection.create_function(
        "crc32", 1, lambda text: zlib.crc32(text.encode()), deterministic=True
    )
