"""Least privilege: the whole dashboard through a MariaDB user that may only SELECT.

The app is configured as production configures it (`config.server_settings` from
the environment: DATABASE_URL for that user, logins on, personal data shown so that
every column is read) and driven as a user drives it: log in, the page, a filter,
the tickets table's pages and sort, a ticket's conversation (`?ticket=N`), the two
kinds of CSV download (HTTP GET of the page's own links, with the browser's
session) and auto-refresh after root adds activity. Every expectation is computed
by root on the same database.

That nothing was written, and nothing even tried to write, is shown three ways:
the grants are SELECT alone; the tables' checksums do not move while only the app
works on them; and MariaDB's per-user statistics (`userstat`, switched on for the
module) count no write statement and no refused statement for that user, while
they do count the one write this test then attempts through the app's own engine.
"""

import csv
import io
import random
import secrets
from contextlib import contextmanager
from datetime import timedelta

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError

from dashboard import config
from dashboard.data.filters import Filters
from dashboard.data.schema import MESSAGE, TABLES
from dashboard.testing.dom import (
    css,
    text,
    wait_for_charts,
    wait_for_kpis,
    wait_for_search,
    wait_for_text,
)
from dashboard.ui import ids
from seeds.simulate import step
from tests import logins
from tests.apps import loaded_app
from tests.browser.test_drilldown import (
    GRID,
    NEWEST,
    click,
    query,
    ticket_ids,
    wait_for_conversation,
    wait_for_rows,
)
from tests.browser.test_login import fill_in
from tests.mysql import SERVER_URL, seeded_database, strict_engine

pytestmark = [pytest.mark.browser, pytest.mark.mysql, pytest.mark.slow]

CATEGORY = "Bug report"
# Bug reports in the table's order after a click on "Messages": most first.
MOST_MESSAGES_BUGS = """
SELECT t.ticket_id, COUNT(*), c.customer_email_address
FROM TICKET t JOIN MESSAGE m ON m.ticket_id = t.ticket_id
JOIN CUSTOMER c ON c.customer_id = t.customer_id
WHERE t.ticket_category = :category
GROUP BY t.ticket_id, c.customer_email_address
ORDER BY COUNT(*) DESC, t.ticket_id DESC
"""
MOST_MESSAGES = """
SELECT t.ticket_id FROM TICKET t JOIN MESSAGE m ON m.ticket_id = t.ticket_id
GROUP BY t.ticket_id ORDER BY COUNT(*) DESC, t.ticket_id DESC
"""
TICKETS_PER_AGENT = """
SELECT a.agent_id, CONCAT(a.agent_first_name, ' ', a.agent_last_name),
       COUNT(DISTINCT m.ticket_id)
FROM AGENT a JOIN MESSAGE m ON m.sender_id = a.sender_id
JOIN TICKET t ON t.ticket_id = m.ticket_id
WHERE t.ticket_category = :category
GROUP BY a.agent_id, a.agent_first_name, a.agent_last_name
ORDER BY COUNT(DISTINCT m.ticket_id) DESC, a.agent_id
"""
WRITES = {  # statement -> MariaDB's refusal: 1142 table command, 1044 database
    "INSERT INTO SENDER (sender_type) VALUES ('agent')": 1142,
    "UPDATE TICKET SET ticket_rating = 5 WHERE ticket_id = 1": 1142,
    "DELETE FROM MESSAGE WHERE message_id = 1": 1142,
    "CREATE TEMPORARY TABLE scratch (id INT)": 1044,
    "CREATE TABLE scratch (id INT)": 1142,
}
WRITE_STATS = ("UPDATE_COMMANDS", "ACCESS_DENIED", "ROWS_INSERTED", "ROWS_UPDATED")


@pytest.fixture(scope="module")
def root():
    """Root on the server, with per-user statistics on for the module."""
    engine = create_engine(SERVER_URL)
    with engine.begin() as conn:
        was = conn.execute(sql("SELECT @@GLOBAL.userstat")).scalar()
        conn.execute(sql("SET GLOBAL userstat = 1"))
    yield engine
    with engine.begin() as conn:
        conn.execute(sql(f"SET GLOBAL userstat = {int(was)}"))
    engine.dispose()


@pytest.fixture(scope="module")
def support():
    """The seeded support database; (url, root's engine with MySQL 8's sql_mode)."""
    with seeded_database(seed=42, scale=0.2, prefix="csd_ro") as (url, engine):
        yield url, engine


@contextmanager
def select_only_user(root, database: str):
    """A new MariaDB user granted SELECT on `database` alone; (name, password)."""
    name, password = f"csd_ro_{secrets.token_hex(6)}", secrets.token_urlsafe(24)
    with root.begin() as conn:
        conn.execute(
            sql(f"CREATE USER '{name}'@'%' IDENTIFIED BY :pw"), {"pw": password}
        )
        conn.execute(sql(f"GRANT SELECT ON `{database}`.* TO '{name}'@'%'"))
    try:
        yield name, password
    finally:
        with root.begin() as conn:
            conn.execute(sql(f"DROP USER IF EXISTS '{name}'@'%'"))


@pytest.fixture
def reader(root, support):
    """(user name, DATABASE_URL as a deployer writes it) of a SELECT-only user."""
    url, _ = support
    with select_only_user(root, url.database) as (name, password):
        raw = url.set(username=name, password=password, drivername="mysql")
        yield name, raw.render_as_string(hide_password=False)


def grants(root, user: str) -> list[str]:
    with root.connect() as conn:
        rows = conn.execute(sql(f"SHOW GRANTS FOR '{user}'@'%'")).scalars()
        return [g.split(" IDENTIFIED BY")[0] for g in rows]


def user_stats(root, user: str) -> dict:
    """The user's row of information_schema.USER_STATISTICS (zeros before its first
    statement)."""
    with root.connect() as conn:
        row = (
            conn.execute(
                sql("SELECT * FROM information_schema.USER_STATISTICS WHERE USER = :u"),
                {"u": user},
            )
            .mappings()
            .first()
        )
    return dict(row) if row else {"SELECT_COMMANDS": 0} | dict.fromkeys(WRITE_STATS, 0)


def contents(root, database: str) -> dict:
    """The database's tables and the checksum of each support table's rows."""
    names = ", ".join(f"`{database}`.`{t.name}`" for t in TABLES)
    with root.connect() as conn:
        tables = conn.execute(
            sql(
                "SELECT table_name FROM information_schema.TABLES "
                "WHERE table_schema = :d"
            ),
            {"d": database},
        ).scalars()
        checksums = conn.execute(sql(f"CHECKSUM TABLE {names}")).all()
    return {"tables": sorted(tables), "checksums": dict(checksums)}


def refused(engine, statement: str) -> int:
    """The MariaDB error code `statement` fails with through `engine`."""
    with engine.connect() as conn, pytest.raises(OperationalError) as caught:
        conn.execute(sql(statement))
    return caught.value.orig.args[0]


def test_ro001_the_user_may_only_select(root, support, reader):
    url, _ = support
    name, raw = reader
    assert grants(root, name) == [
        f"GRANT USAGE ON *.* TO `{name}`@`%`",
        f"GRANT SELECT ON `{url.database}`.* TO `{name}`@`%`",
    ]
    engine = strict_engine(config.database_url(raw))
    with engine.connect() as conn:
        assert conn.execute(sql("SELECT COUNT(*) FROM TICKET")).scalar() > 0
    assert {s: refused(engine, s) for s in WRITES} == WRITES
    engine.dispose()
    # The statistics the app test relies on see refused writes.
    stats = user_stats(root, name)
    assert stats["UPDATE_COMMANDS"] == stats["ACCESS_DENIED"] == len(WRITES)
    assert stats["ROWS_INSERTED"] == stats["ROWS_UPDATED"] == 0


def download(session: requests.Session, href: str) -> list[dict]:
    response = session.get(href, timeout=10)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def add_a_ticket(engine) -> None:
    """Root plays out simulated activity, six hours at a time, until a ticket is
    new (at this scale about one arrives every five days)."""
    with engine.begin() as conn:
        newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time))).scalar()
        for hour in range(6, 24 * 90, 6):
            if step(conn, random.Random(hour), newest + timedelta(hours=hour))[
                "tickets"
            ]:
                return
    raise AssertionError("90 simulated days brought no new ticket")


@pytest.fixture
def baseline(root, support) -> dict:
    """The support database's `contents` before the app exists."""
    return contents(root, support[0].database)


@pytest.fixture
def readonly_app(reader, baseline):
    """The app as the production server builds it for that user (logins on, a
    lead sees personal data, auto-refresh every second), made after `baseline`;
    stopped afterwards."""
    name, raw = reader
    settings = config.server_settings(
        {
            "DATABASE_URL": raw,
            "AUTH_USERS": logins.AUTH_USERS,
            "SECRET_KEY": logins.SECRET_KEY,
            "SHOW_PERSONAL_DATA": "true",
            "REFRESH_SECONDS": "1",
        }
    )
    assert settings.database_url.username == name
    app = loaded_app(settings)
    yield app
    app.loader.stop()
    app.loader.store.source.dispose()


def test_ro002_the_whole_app_through_a_select_only_user(
    dash_duo, root, support, reader, baseline, readonly_app
):
    url, checker = support
    name, _ = reader
    app = readonly_app
    assert app.loader.error is None, app.loader.error

    # Log in; the page: KPIs, charts and the table, as root computes them.
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url
    dash_duo.driver.get(f"{base}/")
    fill_in(dash_duo, "lea", logins.PASSWORDS["lea"])
    wait_for_kpis(dash_duo, checker, Filters())
    wait_for_charts(dash_duo)
    newest = ticket_ids(checker, NEWEST, category=None)
    wait_for_rows(dash_duo, newest[:20])

    # The table pages and sorts.
    click(dash_duo, f"{GRID} [aria-label='Next Page']")
    wait_for_rows(dash_duo, newest[20:40])
    click(dash_duo, f"{GRID} .ag-header-cell[col-id=n_messages]")
    wait_for_rows(dash_duo, ticket_ids(checker, MOST_MESSAGES)[:20])

    # A filter (back at the top of the page): cards, charts and table follow.
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    dash_duo.select_dcc_dropdown(css(ids.FILTER_CATEGORY), value=CATEGORY)
    wait_for_search(dash_duo, "?category=Bug+report")
    wait_for_kpis(dash_duo, checker, Filters(category=CATEGORY))
    bugs = query(checker, MOST_MESSAGES_BUGS, category=CATEGORY)
    wait_for_rows(dash_duo, [t for t, _, _ in bugs][:20])
    wait_for_charts(dash_duo)

    # The page's download links, fetched with the browser's session: every
    # matching ticket in the table's order, and a report for the filters.
    tickets_href = dash_duo.find_element(
        css(ids.TICKETS_DOWNLOAD_BUTTON)
    ).get_attribute("href")
    assert tickets_href.endswith("?category=Bug+report&sort=n_messages%3Adesc")
    report_href = dash_duo.find_element(
        css(ids.report_download_button("tickets-per-agent"))
    ).get_attribute("href")
    session = requests.Session()
    for cookie in dash_duo.driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    table = download(session, tickets_href)
    assert [(int(r["Ticket"]), int(r["Messages"]), r["Email"]) for r in table] == bugs
    per_agent = download(session, report_href)
    assert [
        (int(r["Agent id"]), r["Agent"], int(r["Tickets"])) for r in per_agent
    ] == query(checker, TICKETS_PER_AGENT, category=CATEGORY)

    # A link to a conversation opens it, read from the support database.
    ticket = bugs[0][0]
    dash_duo.driver.get(f"{base}/?category=Bug+report&ticket={ticket}")
    wait_for_conversation(dash_duo, checker, ticket)
    assert contents(root, url.database) == baseline  # the app changed nothing

    # Auto-refresh: root adds activity; the open page shows it without a reload.
    dash_duo.driver.get(f"{base}/")
    before = wait_for_kpis(dash_duo, checker, Filters())["tickets"]
    add_a_ticket(checker)
    after = int(wait_for_kpis(dash_duo, checker, Filters(), timeout=15)["tickets"])
    assert after > before
    wait_for_text(dash_duo, css(ids.TICKETS_COUNT), f"{after:,} tickets")
    changed = contents(root, url.database)
    app.loader.check()  # one more refresh, in this thread, after root's writes
    assert app.loader.error is None, app.loader.error
    assert int(text(dash_duo, css(ids.kpi_value("tickets")))) == after
    assert dash_duo.get_logs() == []

    # The app read (many SELECTs) and never tried to write: no write statement,
    # no refused statement, no row written, no table created or changed.
    stats = user_stats(root, name)
    assert stats["SELECT_COMMANDS"] > 0
    assert {k: stats[k] for k in WRITE_STATS} == dict.fromkeys(WRITE_STATS, 0)
    assert contents(root, url.database) == changed
    # The app's own engine is this user's: a write through it is refused, and
    # the statistics above would have seen it.
    engine = app.loader.store.source
    assert engine.url.username == name
    assert refused(engine, next(iter(WRITES))) == 1142
    stats = user_stats(root, name)
    assert stats["UPDATE_COMMANDS"] == stats["ACCESS_DENIED"] == 1
