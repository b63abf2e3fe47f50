"""Fixtures of the browser tests."""

import pytest

from seeds.demo import open_engine


@pytest.fixture(scope="module")
def engine():
    """The zero-configuration demo database, shared by a module's tests."""
    engine = open_engine(None)
    yield engine
    engine.dispose()
