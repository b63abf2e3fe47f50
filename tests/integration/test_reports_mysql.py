"""The report engine on the real MariaDB under MySQL 8's sql_mode, on the tiny data set:
the same hand-computed values as on SQLite."""

import pytest

from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import metadata
from tests import tiny
from tests.frames import assert_same_frames
from tests.mysql import scratch_database, strict_engine

pytestmark = pytest.mark.mysql


@pytest.fixture(scope="module")
def mysql_tiny():
    with scratch_database() as url:
        engine = strict_engine(url)
        metadata.create_all(engine)
        with engine.begin() as conn:
            tiny.build(conn)
        yield engine
        engine.dispose()


@pytest.mark.slow  # computes for seconds
def test_repmy001_every_report_runs_under_only_full_group_by(mysql_tiny, tiny_engine):
    for name, report in REPORTS.items():
        for f in (Filters(), Filters(month="2025-01", agent=1, status="resolved")):
            with mysql_tiny.connect() as my, tiny_engine.connect() as lite:
                assert_same_frames(report(my, f), report(lite, f), f"{name} {f}")
