"""The dashboard on the real MariaDB/MySQL server, in headless Chromium.

The expected KPI values come from the `summary` report run directly on MariaDB (MySQL 8
sql_mode); the page reads them through the app's own engine and facts store.
"""

import pytest

from dashboard.config import Settings
from dashboard.data.db import make_engine
from dashboard.data.filters import Filters
from dashboard.testing.dom import (
    css,
    wait_for_charts,
    wait_for_kpis,
    wait_for_search,
    wait_for_text,
)
from dashboard.ui import ids
from dashboard.web.app import create_app
from tests.mysql import seeded_database, strict_engine

pytestmark = [pytest.mark.browser, pytest.mark.mysql, pytest.mark.slow]


@pytest.fixture(scope="module")
def mysql_url():
    with seeded_database(seed=42, scale=0.2, prefix="csd_ui") as (url, _):
        yield url


def test_my001_filters_on_mariadb(dash_duo, mysql_url):
    checker = strict_engine(mysql_url)  # the second path: reports directly on MariaDB
    app_engine = make_engine(mysql_url)  # what the app uses in production
    app = create_app(Settings(database_url=mysql_url), engine=app_engine)
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(f"{dash_duo.server.url}/?month=2025-03")

    wait_for_kpis(dash_duo, checker, Filters(month="2025-03"))
    wait_for_charts(dash_duo)
    wait_for_text(dash_duo, css(ids.KPI_CAPTION), "Change against Feb 2025")

    dash_duo.select_dcc_dropdown(css(ids.FILTER_CATEGORY), value="Undelivered goods")
    wait_for_kpis(dash_duo, checker, Filters("2025-03", None, "Undelivered goods"))
    wait_for_search(dash_duo, "?month=2025-03&category=Undelivered+goods")

    dash_duo.select_dcc_dropdown(css(ids.FILTER_STATUS), value="Resolved")
    f = Filters("2025-03", None, "Undelivered goods", "resolved")
    wait_for_kpis(dash_duo, checker, f)
    assert dash_duo.get_logs() == []
    checker.dispose()
    app_engine.dispose()
