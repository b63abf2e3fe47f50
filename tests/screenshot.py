"""Take screenshots of the dashboard on the demo data in headless Chromium.

    python -m tests.screenshot                      # docs/screenshot.png, 1280 wide
    python -m tests.screenshot --width 390 --out docs/screenshot-390.png
    python -m tests.screenshot --query "?month=2025-03" --out /tmp/march.png

The page is captured whole (the viewport is made as tall as the page); under 500 px
wide Chromium emulates a phone.
"""

import argparse
import socket
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from dashboard.config import Settings
from dashboard.testing import chrome
from dashboard.ui.charts import CHARTS
from dashboard.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rendered(driver) -> bool:
    """Every chart drawn and no callback still running."""
    graphs = driver.find_elements(By.CSS_SELECTOR, ".chart-graph .main-svg")
    busy = driver.execute_script(
        "return document.querySelectorAll('[data-dash-is-loading]').length"
    )
    return len(graphs) >= len(CHARTS) and not busy


def capture(
    out: Path,
    width: int = 1280,
    query: str = "",
    settings: Settings | None = None,
    pages: int = 0,
):
    """Screenshot the whole page into `out`; with `pages`, instead that many
    window-high screenshots down the page (out-1.png, ...), to look at in detail."""
    app = create_app(settings or Settings())
    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    opts = chrome.options(max(width, 500), 1000)
    if width < 500:  # Chromium's windows are at least 500 wide: emulate a phone
        opts.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": 860, "pixelRatio": 1}},
        )
    opts.add_argument("--headless=new")
    opts.add_argument("--no-sandbox")
    opts.add_argument("--disable-gpu")
    opts.add_argument("--disable-dev-shm-usage")
    driver = webdriver.Chrome(options=opts)
    try:
        driver.get(f"http://127.0.0.1:{port}/{query}")
        WebDriverWait(driver, 30).until(rendered)
        time.sleep(0.5)  # let the charts finish drawing
        if pages:
            return _pages(driver, out, pages)
        for pause in (1.0, 0.5):  # plotly re-lays out the charts to the new size
            height = driver.execute_script(
                "return document.documentElement.scrollHeight"
            )
            set_viewport(driver, width, height)
            time.sleep(pause)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.find_element(By.TAG_NAME, "body").screenshot(str(out))
        return out
    finally:
        driver.quit()
        server.shutdown()


def set_viewport(driver, width: int, height: int) -> None:
    """Make the page's viewport `width` x `height` CSS pixels; under 500 wide, a
    phone's (a window cannot be that narrow, and a phone's viewport is not resized
    by set_window_size)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 1,
            "mobile": width < 500,
        },
    )


def _pages(driver, out: Path, pages: int) -> list[Path]:
    shots = []
    view = driver.execute_script("return window.innerHeight")
    for i in range(pages):
        driver.execute_script(
            "window.scrollTo({top: arguments[0], behavior: 'instant'})", i * view
        )
        time.sleep(0.3)
        shot = out.with_name(f"{out.stem}-{i + 1}{out.suffix}")
        driver.save_screenshot(str(shot))
        shots.append(shot)
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--query", default="")
    parser.add_argument("--pages", type=int, default=0, help="window-high shots")
    args = parser.parse_args()
    print(capture(args.out, args.width, args.query, pages=args.pages))


if __name__ == "__main__":
    main()
