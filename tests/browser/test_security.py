"""The page under its Content-Security-Policy in headless Chromium: it draws with no
violation in the console, and the policy is real: a script injected into the page
(an inline <script>, an inline event handler, a string given to setTimeout)
is refused."""

import urllib.request

import pytest

from dashboard.config import Settings
from dashboard.testing.dom import wait_for_charts, wait_until
from dashboard.web.app import create_app
from seeds.demo import open_engine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INJECT = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.cspViolations.push(e.violatedDirective));
const script = document.createElement('script');
script.textContent = 'window.injected = "inline script";';
document.body.appendChild(script);
const holder = document.createElement('div');
holder.innerHTML = '<img src="data:," onerror="window.injected = \\'handler\\'">';
document.body.appendChild(holder);
window.setTimeout('window.injected = "string compiled by a timer";', 0);
"""


@pytest.fixture(scope="module")
def app():
    engine = open_engine(None)
    yield create_app(Settings(refresh_seconds=0), engine=engine)
    engine.dispose()


def test_sec001_page_draws_under_the_csp_and_injected_scripts_are_refused(
    dash_duo, app
):
    dash_duo.start_server(app)
    with urllib.request.urlopen(dash_duo.server.url) as response:
        csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp
    wait_for_charts(dash_duo, timeout=20)
    assert dash_duo.get_logs() == []  # no violation while the page draws

    dash_duo.driver.execute_script(INJECT)
    wait_until(
        dash_duo,
        lambda d: len(d.execute_script("return window.cspViolations")) >= 3,
        lambda: "no CSP violation reported for the injected scripts",
    )
    assert dash_duo.driver.execute_script("return window.injected ?? null") is None
    refused = [e["message"] for e in dash_duo.get_logs()]
    assert any("Executing inline script violates" in m for m in refused), refused
    assert any("Executing inline event handler violates" in m for m in refused), refused
    assert any("Evaluating a string as JavaScript violates" in m for m in refused), (
        refused
    )
