"""Shared fixtures: engines on the tiny hand-built data set and on the demo data."""

import pytest
from sqlalchemy import create_engine

from dashboard.data.schema import metadata
from seeds.demo import open_engine
from tests import tiny


@pytest.fixture
def tiny_engine():
    """A fresh in-memory SQLite holding the tiny data set."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        tiny.build(conn)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def engine():
    """The zero-configuration demo database, shared by a module's tests (a module
    that needs another `engine` defines its own)."""
    engine = open_engine(None)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", autouse=True)
def _stop_loaders():
    """Stop the background loaders the module's apps started, when it ends: a loader
    left running would keep asking a database that a later test has dropped, and
    log about it in that test."""
    from dashboard.engine.loader import Loader

    started = []
    real = Loader.start

    def start(self):
        started.append(self)
        return real(self)

    Loader.start = start
    try:
        yield
    finally:
        Loader.start = real
        for loader in started:
            loader.stop()
