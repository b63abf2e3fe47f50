"""What reports run their statements on: a database connection, or anything else that
turns a statement into a DataFrame (the facts store's DuckDB cursor, engine/duck.py).

One protocol, so the data layer never imports where the facts are kept: a reader is
a SQLAlchemy `Connection` or an object with `dialect`, `frame(statement)` and
`scalar(statement)`."""

from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import pandas as pd
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Executable


@runtime_checkable
class Reader(Protocol):
    """A source that fetches a statement's result as a DataFrame in one step."""

    dialect: Dialect

    def frame(self, stmt: Executable) -> pd.DataFrame: ...

    def scalar(self, stmt: Executable) -> Any: ...


Source = Connection | Reader  # what a report reads from


def frame(source: Source, stmt: Executable) -> pd.DataFrame:
    """`stmt`'s result as a DataFrame; MySQL returns DECIMAL for averages, which we
    turn into floats, as the other engines give them."""
    if not isinstance(source, Connection):
        return source.frame(stmt)
    result = source.execute(stmt)
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, Decimal)).any():
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    return df
