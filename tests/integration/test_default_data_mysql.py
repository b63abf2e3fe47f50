"""The default mock data on SQLite and on the real MariaDB: the engine gives the same
reports on both, and agrees with the report SQL in sql/reports run by MariaDB itself."""

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import metadata
from dashboard.engine.store import FactsStore
from seeds import populate
from tests.frames import assert_same_frames
from tests.mysql import scratch_database, strict_engine

pytestmark = pytest.mark.mysql

SQL = Path(__file__).parents[2] / "sql" / "reports"
FILTER_SETS = [
    Filters(),
    Filters(month="2025-03"),
    Filters(agent=7),
    Filters(category="Undelivered goods", status="resolved"),
    Filters(month="2025-12", status="open"),
    Filters(month="2025-06", agent=3, category="Bug report"),
]


def seeded(engine):
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=42, scale=1)
    return engine


@pytest.fixture(scope="module")
def lite():
    engine = seeded(create_engine("sqlite://"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def mysql():
    with scratch_database() as url:
        engine = seeded(strict_engine(url))
        yield engine
        engine.dispose()


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize("filters", FILTER_SETS, ids=str)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_defdb001_sqlite_and_mariadb_give_the_same_report(lite, mysql, name, filters):
    with lite.connect() as a, mysql.connect() as b:
        assert_same_frames(REPORTS[name](b, filters), REPORTS[name](a, filters), name)


@pytest.mark.slow  # computes for seconds
def test_defdb002_cache_on_mariadb_matches_live_sql_on_mariadb(mysql):
    store = FactsStore(mysql)
    assert store.refresh()
    for name, report in REPORTS.items():
        for filters in FILTER_SETS:
            with mysql.connect() as conn:
                direct = report(conn, filters)
            assert_same_frames(store.run(name, filters), direct, f"{name} {filters}")


def run_sql(engine, path: Path) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(text(path.read_text()))
        df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    decimals = [c for c in df if df[c].map(lambda v: isinstance(v, Decimal)).any()]
    return df.astype({c: float for c in decimals})


@pytest.mark.parametrize(
    "name",
    [
        "resolution-time",
        "agents-per-ticket",
        "tickets-per-agent",
        "resolution-time-by-month",
        "agent-ratings",
    ],
)
def test_defdb003_reference_sql_agrees_with_the_engine(mysql, name):
    expected = run_sql(mysql, SQL / f"{name}.sql")
    with mysql.connect() as conn:
        ours = REPORTS[name](conn, Filters())[list(expected.columns)]
    assert len(expected) > 1 or name == "resolution-time"
    assert_same_frames(ours, expected, name)


@pytest.fixture
def default_mode(mysql):
    """MariaDB's own default sql_mode, under which the spec's queries as written run."""
    engine = create_engine(mysql.url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "name", ["resolution-time", "agents-per-ticket", "resolution-time-by-month"]
)
def test_defdb004_spec_queries_as_written_agree_where_the_spec_is_right(
    default_mode, name
):
    spec = run_sql(default_mode, SQL / "spec" / f"{name}.sql")
    with default_mode.connect() as conn:
        ours = REPORTS[name](conn, Filters())
    if name == "resolution-time-by-month":
        # one year of data: grouping by month number equals grouping by calendar
        # month; the spec names months "Jan", we "Jan 2025"
        ours["month_name"] = ours["month_name"].str[:3]
        order = {m: i for i, m in enumerate(ours["month_name"])}
        spec = spec.sort_values("month_name", key=lambda s: s.map(order))
    cols = [c for c in spec.columns if c in ours.columns]
    assert_same_frames(ours[cols], spec[cols].reset_index(drop=True), name)


def test_defdb005_spec_agent_ratings_weights_tickets_by_messages(default_mode):
    spec = run_sql(default_mode, SQL / "spec" / "agent-ratings.sql")
    with default_mode.connect() as conn:
        ours = REPORTS["agent-ratings"](conn, Filters())
    # same agents and extremes; the averages differ because the spec counts a rating
    # once per message the agent sent on the ticket. An agent whose tickets are all
    # open or unrated gets a row of NULLs from the spec and none from us.
    rated = spec.dropna(subset=["avg_rating"])
    assert sorted(rated["agent"]) == sorted(ours["agent"])
    assert rated["min_rating"].sum() == ours["min_rating"].sum()
    assert rated["max_rating"].sum() == ours["max_rating"].sum()
    by_name = ours.groupby("agent")["avg_rating"].mean()
    diffs = [abs(by_name[r.agent] - float(r.avg_rating)) for r in rated.itertuples()]
    assert max(diffs) > 0.01


def test_defdb006_spec_queries_fail_under_only_full_group_by(mysql):
    with mysql.connect() as conn, pytest.raises(Exception, match="1055|GROUP BY"):
        conn.execute(text((SQL / "spec" / "agent-ratings.sql").read_text()))
