"""The zero-configuration database: in-memory SQLite filled with the mock data.

It lives with the generator, so the data layer never imports `seeds`: the
dependency runs one way (seeds -> dashboard.data)."""

from sqlalchemy.engine import URL, Engine

from dashboard.data.db import DEFAULT_QUERY_TIMEOUT, make_engine
from dashboard.data.schema import metadata
from seeds.generator import populate


def demo_engine(seed: int = 42, scale: float = 1.0) -> Engine:
    """A fresh in-memory SQLite holding the demo data for `seed` at `scale`."""
    engine = make_engine(None)
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=seed, scale=scale)
    return engine


def open_engine(
    url: URL | None, seed: int = 42, *, query_timeout: int = DEFAULT_QUERY_TIMEOUT
) -> Engine:
    """The engine the app and CLI use: the configured database, or the seeded demo.
    They only read (the simulator adds rows), so a missing SQLite file is an error,
    never created."""
    if url is None:
        return demo_engine(seed)
    return make_engine(url, query_timeout=query_timeout, create=False)
