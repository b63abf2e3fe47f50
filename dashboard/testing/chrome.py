"""Where headless Chromium and its driver live here, and the options every browser
session uses (dash_duo through the root conftest.py, and tests/screenshot.py)."""

import os
import shutil

from selenium.webdriver.chrome.options import Options

CHROMIUM = os.environ.get("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
WINDOW = (1280, 1024)


def problem() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not os.path.exists(CHROMIUM):
        return (
            f"Chromium is not at {CHROMIUM}: `apt-get install -y chromium "
            "chromium-driver` (or set DASH_TEST_CHROMEPATH)"
        )
    if shutil.which("chromedriver") is None:
        return (
            "chromedriver is not on PATH: `apt-get install -y chromium-driver` "
            "(dash's selenium never downloads one)"
        )
    return None


def options(width: int = WINDOW[0], height: int = WINDOW[1]) -> Options:
    opts = Options()
    opts.binary_location = CHROMIUM
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument("--hide-scrollbars")
    return opts
