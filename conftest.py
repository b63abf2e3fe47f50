"""Root pytest configuration: headless Chromium for dash_duo.

dash's plugin asks `pytest_setup_options` for the browser options; the check below
turns a missing browser, driver or `--headless` into one clear message instead of
dash's 30-second retry ending in TestingTimeoutError.
"""

import pytest

from dashboard.testing import chrome


def pytest_setup_options():
    return chrome.options()


@pytest.fixture(autouse=True)
def _browser_ready(request):
    if request.node.get_closest_marker("browser") is None:
        return
    reason = chrome.problem()
    if reason:
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    if not request.config.getoption("headless", default=False):
        pytest.fail(
            "browser tests need --headless here (there is no display): "
            "python -m pytest ... --headless",
            pytrace=False,
        )
