"""DuckDB as a target for the reports' SQLAlchemy statements: a dialect and a reader.

The reports are SQLAlchemy Core statements, written once. The facts store keeps the
per-ticket facts in an in-process DuckDB database; this module compiles those same
statements for DuckDB (PostgreSQL's SQL, which DuckDB speaks, plus the constructs of
data/dialect.py) and runs them on a DuckDB cursor, fetching the result as a DataFrame
in one columnar step. Compiled statements are cached by SQLAlchemy's cache key, so a
report that runs again with other filter values is not compiled again.

Each reader works on its own cursor: DuckDB runs several at once (it releases the GIL
while a query runs), so readers on several threads never queue behind one lock.
"""

import threading

import duckdb
import pandas as pd
from sqlalchemy.dialects.postgresql.base import PGCompiler, PGDialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


class _Compiler(PGCompiler):
    def visit_floordiv_binary(self, binary, operator, **kw):
        # PostgreSQL divides integers with `/`; DuckDB's `/` is a true division.
        left, right = self.process(binary.left, **kw), self.process(binary.right, **kw)
        return f"({left} // {right})"


class DuckDialect(PGDialect):
    """Compiles statements for DuckDB; never connects (see Reader)."""

    name = "duckdb"
    driver = "duckdb"
    statement_compiler = _Compiler
    supports_statement_cache = True


DIALECT = DuckDialect(paramstyle="qmark")
_compiled: dict[tuple, SQLCompiler] = {}
_compiled_lock = threading.Lock()
_MAX_COMPILED = 2_000  # distinct statement shapes; far more than the reports make


def compile_sql(stmt: ClauseElement) -> tuple[str, list]:
    """DuckDB SQL text and its positional parameters for `stmt`."""
    key = stmt._generate_cache_key()
    compiled = _compiled.get(key.key) if key is not None else None
    if compiled is None:
        made = stmt.compile(dialect=DIALECT, cache_key=key)
        assert isinstance(made, SQLCompiler)  # DuckDialect's statement_compiler
        compiled = made
        if key is not None:
            with _compiled_lock:
                if len(_compiled) >= _MAX_COMPILED:
                    _compiled.clear()
                _compiled[key.key] = compiled
    params = compiled.construct_params(
        extracted_parameters=key.bindparams if key is not None else None
    )
    # IN (...) lists are rendered here, one `?` per value ("expanding" parameters).
    state = compiled.construct_expanded_state(params)
    return state.statement, list(state.positional_parameters)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer columns with gaps as floats with NaN, as the other engines'
    frames have them (the figures and formatters treat NaN as missing)."""
    for col in df.columns:
        if isinstance(df[col].dtype, pd.Int64Dtype | pd.Int32Dtype | pd.Int16Dtype):
            df[col] = df[col].astype("float64") if df[col].isna().any() else df[col]
    return df


class Reader:
    """Runs statements on one DuckDB cursor; `dialect` lets reports see where they
    run; it is a `dashboard.data.reader.Reader`)."""

    dialect = DIALECT

    def __init__(self, cursor: duckdb.DuckDBPyConnection):
        self.cursor = cursor

    def frame(self, stmt) -> pd.DataFrame:
        sql, params = compile_sql(stmt)
        return _plain(self.cursor.execute(sql, params).df())

    def rows(self, stmt) -> list[tuple]:
        sql, params = compile_sql(stmt)
        return self.cursor.execute(sql, params).fetchall()

    def scalar(self, stmt):
        sql, params = compile_sql(stmt)
        row = self.cursor.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def batches(self, stmt, vectors: int = 8):
        """The result as DataFrames of `vectors` x 2,048 rows at most, one at a time,
        so that memory stays bounded however many rows there are. The first one is
        yielded even when empty (it carries the columns)."""
        sql, params = compile_sql(stmt)
        result = self.cursor.execute(sql, params)
        first = True
        while True:
            df = result.fetch_df_chunk(vectors)
            if df.empty and not first:
                return
            yield _plain(df)
            if df.empty:
                return
            first = False
