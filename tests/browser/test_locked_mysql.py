"""A locked MESSAGE table as a lead sees it in Chromium, on MariaDB: the open
conversation says in plain words that the database took too long (no spinner for
ever, no error page, nothing in the console), the rest of the page is there, and
the same link shows the conversation once the lock is gone."""

import pytest
from sqlalchemy import text as sql

from dashboard.config import Settings
from dashboard.data.db import make_engine
from dashboard.testing.dom import css
from dashboard.ui import ids
from tests.apps import loaded_app
from tests.mysql import locked, seeded_database

pytestmark = [pytest.mark.browser, pytest.mark.mysql, pytest.mark.slow]

BODY = css(ids.CONVERSATION_BODY)
TOO_LONG = (
    "The conversation cannot be read right now. "
    "The database took too long to answer (over 2 s)."
)


def test_lck001_a_locked_table_is_said_in_the_panel_then_the_link_works(dash_duo):
    with seeded_database(seed=42, scale=0.05, prefix="csd_locked") as (url, checker):
        with checker.connect() as conn:
            ticket, first_text = conn.execute(
                sql(
                    "SELECT ticket_id, message_text FROM MESSAGE "
                    "ORDER BY ticket_id, message_sent_time, message_id LIMIT 1"
                )
            ).one()
            tickets = conn.execute(sql("SELECT COUNT(*) FROM TICKET")).scalar()
        engine = make_engine(url)
        settings = Settings(
            database_url=url, refresh_seconds=0, db_read_timeout_seconds=2
        )
        app = loaded_app(settings, engine=engine)
        with locked(url, "MESSAGE", release_after=30):  # never a hung test
            dash_duo.start_server(app, navigate=False)
            dash_duo.wait_for_page(f"{dash_duo.server.url}/?ticket={ticket}")
            dash_duo.wait_for_contains_text(BODY, TOO_LONG, timeout=15)
            # the KPIs come from memory, locked table or not
            dash_duo.wait_for_text_to_equal(
                css(ids.kpi_value("tickets")), f"{tickets:,}", timeout=10
            )
        dash_duo.wait_for_page(f"{dash_duo.server.url}/?ticket={ticket}")
        dash_duo.wait_for_contains_text(BODY, first_text.split("\n")[0], timeout=15)
        assert "cannot be read" not in dash_duo.find_element(BODY).text
        assert dash_duo.get_logs() == []
        app.loader.stop()
        engine.dispose()
