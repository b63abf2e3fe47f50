"""The first page after a deploy: the Procfile's command with two gunicorn workers,
three fresh browsers opening `/` at once right after it starts. Every one draws the
charts, with no failed script and no CSP violation in its console."""

from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from selenium import webdriver

from dashboard.testing import chrome
from dashboard.testing.dom import wait_for_charts
from dashboard.testing.procfile import running

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def fresh_browser() -> webdriver.Chrome:
    """A new headless Chromium: no cache, no cookies (dash_duo's flags)."""
    options = chrome.options()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    return webdriver.Chrome(options=options)


def test_load001_three_fresh_browsers_draw_the_charts_right_after_start(tmp_path):
    browsers = []
    try:
        for _ in range(3):  # one at a time: chromedriver's start is not parallel-safe
            browsers.append(fresh_browser())
        with running(tmp_path, workers=2) as server:
            server.wait_until_listening()  # gunicorn's socket; no worker may be up
            with ThreadPoolExecutor(3) as pool:
                list(pool.map(lambda b: b.get(server.base + "/"), browsers))
            for browser in browsers:
                wait_for_charts(SimpleNamespace(driver=browser), timeout=60)
            for browser in browsers:
                assert browser.get_log("browser") == []
            assert "Traceback" not in server.output()
    finally:
        for browser in browsers:
            browser.quit()
