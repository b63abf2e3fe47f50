"""Shared fixtures: engines on the tiny hand-built data set."""

import pytest
from sqlalchemy import create_engine

from dashboard.schema import metadata
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
