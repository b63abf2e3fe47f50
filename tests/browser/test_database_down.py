"""A database without the support tables: the page says so and what to do, keeps
running, and shows the data once the tables are there."""

import pytest
from sqlalchemy.engine import make_url

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks import NO_DATA
from dashboard.config import Settings
from dashboard.db import make_engine
from dashboard.filters import Filters
from dashboard.schema import metadata
from seeds import populate
from tests.browser.dom import (
    count,
    css,
    text,
    wait_for_kpis,
    wait_for_text,
    wait_until,
)

pytestmark = pytest.mark.browser


def test_db001_missing_schema_alert_then_recovery(dash_duo, tmp_path):
    url = make_url(f"sqlite:///{tmp_path / 'support.db'}")
    engine = make_engine(url)
    app = create_app(Settings(database_url=url), engine=engine)
    dash_duo.start_server(app)

    wait_until(
        dash_duo,
        lambda _: "has no SENDER" in (text(dash_duo, ".db-alert") or ""),
        lambda: f"no missing-schema alert: {text(dash_duo, '.db-alert')!r}",
    )
    alert = text(dash_duo, ".db-alert")
    assert "The database cannot be read right now" in alert
    assert "has no SENDER, CUSTOMER, AGENT, TICKET, MESSAGE table(s)" in alert
    assert "support-dashboard seed --database-url URL" in alert
    wait_for_text(dash_duo, css(ids.kpi_value("tickets")), "—")
    wait_for_text(dash_duo, f"{css(ids.chart('categories'))} .annotation-text", NO_DATA)

    metadata.create_all(engine)  # the operator seeds the database meanwhile
    with engine.begin() as conn:
        populate(conn, seed=7, scale=0.05)

    dash_duo.select_dcc_dropdown(css(ids.FILTER_STATUS), value="Open")
    wait_for_kpis(dash_duo, engine, Filters(status="open"))
    assert count(dash_duo, ".db-alert") == 0
    assert text(dash_duo, css(ids.FRESHNESS)).startswith("Newest message ")
    assert dash_duo.get_logs() == []
    engine.dispose()
