"""A database without the support tables: the page says so in a visitor's terms
(the details go to the server log), keeps running, and shows the data by itself
once the tables are there."""

import pytest
from sqlalchemy.engine import make_url

from dashboard.config import Settings
from dashboard.data.db import make_engine
from dashboard.data.filters import Filters
from dashboard.data.schema import metadata
from dashboard.testing.dom import (
    count,
    css,
    text,
    wait_for_kpis,
    wait_for_text,
    wait_until,
)
from dashboard.ui import ids
from dashboard.web.app import create_app
from dashboard.web.callbacks.view import NO_DATA
from seeds import populate

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_db001_missing_schema_alert_then_recovery(dash_duo, tmp_path):
    url = make_url(f"sqlite:///{tmp_path / 'support.db'}")
    engine = make_engine(url)
    app = create_app(Settings(database_url=url), engine=engine)
    dash_duo.start_server(app)

    wait_until(
        dash_duo,
        lambda _: "missing the support tables" in (text(dash_duo, ".db-alert") or ""),
        lambda: f"no missing-schema alert: {text(dash_duo, '.db-alert')!r}",
    )
    alert = text(dash_duo, ".db-alert")
    assert alert.startswith("The database is missing the support tables.")
    for internal in ("SENDER", "sqlite", str(tmp_path), "support.db"):
        assert internal not in alert
    wait_for_text(dash_duo, css(ids.kpi_value("tickets")), "—")
    wait_for_text(dash_duo, f"{css(ids.chart('categories'))} .annotation-text", NO_DATA)

    metadata.create_all(engine)  # the operator seeds the database meanwhile
    with engine.begin() as conn:
        populate(conn, seed=7, scale=0.05)

    # the loader retries by itself (2, 5, 10 s apart): the page fills in
    wait_for_kpis(dash_duo, engine, Filters(), timeout=25)
    dash_duo.select_dcc_dropdown(css(ids.FILTER_STATUS), value="Open")
    wait_for_kpis(dash_duo, engine, Filters(status="open"))
    assert count(dash_duo, ".db-alert") == 0
    assert text(dash_duo, css(ids.FRESHNESS)).startswith("Newest message ")
    assert dash_duo.get_logs() == []
    engine.dispose()
