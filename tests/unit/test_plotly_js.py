"""plotly.js is the cartesian partial bundle in assets/vendor/: of the version plotly.py
ships, linked before Dash's scripts, and able to draw every trace the page draws.

The bundle's trace types are read from the bundle itself (each trace module registers
itself with `moduleType:"trace",name:"..."`), the page's from the figures the callbacks
answer, so a new chart type the bundle lacks fails here before a browser shows a blank
chart.
"""

import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.config import Settings
from dashboard.testing.callbacks import UPDATE, body
from dashboard.ui import ids
from dashboard.web.app import PLOTLY_JS
from seeds.demo import open_engine
from tests.apps import loaded_app

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / PLOTLY_JS.lstrip("/")
SYNC = f"{ids.APPLIED_FILTERS}.data"
DATA = f"{ids.KPI_CAPTION}.children"


def bundle_trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))


@pytest.fixture(scope="module")
def client():
    return loaded_app(Settings(), engine=open_engine(None, 42)).server.test_client()


def test_pjs001_the_bundle_is_the_plotly_js_that_plotly_py_ships():
    head = BUNDLE.read_text()[:200]
    assert "plotly.js (cartesian - minified)" in head
    assert f"v{get_plotlyjs_version()}" in head
    assert (BUNDLE.parent / "LICENSE-plotly.js.txt").read_text().startswith("MIT")


def test_pjs002_the_bundle_holds_the_traces_it_was_chosen_for():
    """Read from the file, independently of what the page draws."""
    assert {"bar", "pie", "scatter", "heatmap", "box"} <= bundle_trace_types()
    assert "scattergeo" not in bundle_trace_types()  # a partial bundle indeed


@pytest.mark.parametrize(
    "applied",
    [
        {},
        {"month": "2025-03"},
        {"agent": 3},
        {"category": "Bug report", "status": "open"},
        {"month": "2025-03", "agent": 999_999},  # nothing matches: empty states
    ],
)
def test_pjs003_every_figure_the_page_draws_uses_a_trace_the_bundle_has(
    client, applied
):
    deps = client.get("/_dash-dependencies").get_json()
    response = client.post(UPDATE, json=body(deps, SYNC, {SYNC: applied}, DATA))
    assert response.status_code == 200
    figures = [
        out["figure"]
        for out in response.get_json()["response"].values()
        if isinstance(out, dict) and "figure" in out
    ]
    assert len(figures) >= 6
    used = {trace.get("type", "scatter") for f in figures for trace in f["data"]}
    assert used <= bundle_trace_types(), used - bundle_trace_types()


def test_pjs004_the_page_loads_the_bundle_before_dash_and_never_the_full_one(client):
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    first_of_ours = next(i for i, s in enumerate(scripts) if "/dash/deps/" not in s)
    # After React and its polyfills, before every component suite: window.Plotly
    # exists before dcc.Graph looks for it.
    assert scripts[first_of_ours] == PLOTLY_JS
    assert any("dash_core_components" in s for s in scripts[first_of_ours + 1 :])
    assert not [s for s in scripts if "plotly.min.js" in s]
    served = client.get(PLOTLY_JS)
    assert served.status_code == 200
    assert served.data == BUNDLE.read_bytes()
