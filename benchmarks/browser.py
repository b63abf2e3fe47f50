"""The dashboard in headless Chromium, on the Procfile command: what a first visit
transfers, and how long a filter change takes from the click to every chart redrawn.

    python benchmarks/browser.py DATABASE_URL RUNS

Prints one JSON object. The server is the Procfile's (gunicorn, 2 workers, AUTH=off)
on DATABASE_URL; the measurement starts once the data is loaded. Plain http, as a
browser on localhost gets it: gzip, not brotli (browsers ask for brotli over HTTPS
only).
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.testing import chrome  # noqa: E402
from dashboard.testing.dom import css  # noqa: E402
from dashboard.testing.procfile import get, running  # noqa: E402
from dashboard.ui import ids  # noqa: E402

CATEGORIES = ("Bug report", "Wrong order", "Account access", "Undelivered goods")

# Resolves (with the time) once the tickets KPI reads something else than
# arguments[0], no Dash callback is running and every chart has an SVG; the time
# is taken when that is first seen (polled every 10 ms).
SETTLED = """
const [before, kpi, done] = arguments;
(function check() {
    const value = document.querySelector(kpi)?.textContent;
    const busy = document.querySelectorAll('[data-dash-is-loading]').length;
    const drawn = document.querySelectorAll('.chart-graph .main-svg').length;
    if (value && value !== before && value !== '—' && !busy && drawn >= 20) {
        done(performance.now());
    } else {
        setTimeout(check, 10);
    }
})();
"""
KPI = css(ids.kpi_value("tickets"))


def _driver():
    opts = chrome.options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")  # nothing cached
    driver = webdriver.Chrome(options=opts)
    driver.set_script_timeout(120)
    return driver


def _transferred(driver) -> float:
    """MB the page has transferred so far (navigation and every resource)."""
    return (
        driver.execute_script(
            "return performance.getEntries()"
            ".filter(e => 'transferSize' in e)"
            ".reduce((n, e) => n + e.transferSize, 0)"
        )
        / 1e6
    )


def _kpi(driver) -> str:
    return driver.execute_script(
        "return document.querySelector(arguments[0]).textContent", KPI
    )


def _change(driver, category: str) -> float:
    """Pick a category the way a user does (open the dropdown, click the option);
    seconds from that click until every chart redrew."""
    before = _kpi(driver)
    driver.find_element(By.CSS_SELECTOR, f"#{ids.FILTER_CATEGORY}").click()
    menu = driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-options")
    (option,) = [
        o
        for o in menu.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
        if o.text == category
    ]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", option)
    time.sleep(0.3)  # the menu settles (a click during its opening misses)
    started = driver.execute_script("return performance.now()")
    option.click()
    ended = driver.execute_async_script(SETTLED, before, KPI)
    return (ended - started) / 1000


def main() -> int:
    url, runs = sys.argv[1], int(sys.argv[2])
    env = {"DATABASE_URL": url, "AUTH": "off", "REFRESH_SECONDS": "0"}
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp), env=env) as web:
        web.wait_until_listening()
        while json.loads(get(web.base + "/healthz")[1]).get("data_version") is None:
            time.sleep(1)
        time.sleep(5)  # both workers
        driver = _driver()
        try:
            driver.get(web.base + "/")
            driver.execute_async_script(SETTLED, "", KPI)
            first = _transferred(driver)
            changes = [
                _change(driver, CATEGORIES[i % len(CATEGORIES)]) for i in range(runs)
            ]
        finally:
            driver.quit()
    print(
        json.dumps(
            {"first_visit_mb": first, "filter_change_s": statistics.median(changes)}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
