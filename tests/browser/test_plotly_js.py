"""In headless Chromium, the page draws its charts with the partial plotly.js bundle
from assets/vendor/ and never downloads the full one."""

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.config import Settings
from dashboard.testing.dom import wait_for_charts
from dashboard.web.app import PLOTLY_JS, create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_bpjs001_charts_are_drawn_by_the_partial_bundle(dash_duo, engine):
    app = create_app(Settings(refresh_seconds=0), engine=engine)
    dash_duo.start_server(app)
    wait_for_charts(dash_duo)
    driver = dash_duo.driver
    assert driver.execute_script("return window.Plotly.version") == (
        get_plotlyjs_version()
    )
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert [url for url in loaded if url.endswith(PLOTLY_JS)]
    assert not [url for url in loaded if "plotly.min.js" in url]
    drawn = driver.execute_script(
        "return document.querySelectorAll('.js-plotly-plot .main-svg').length"
    )
    assert drawn >= 6
    pie = driver.execute_script(
        "return document.querySelectorAll('.pielayer .slice').length"
    )
    heatmap = driver.execute_script(
        "return document.querySelectorAll('.hm image, .heatmaplayer image').length"
    )
    assert pie > 0
    assert heatmap > 0
    assert dash_duo.get_logs() == []
