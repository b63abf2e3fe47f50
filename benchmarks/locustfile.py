"""Many viewers at once: each opens the page, then changes filters as a lead does.

    locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8000 --csv /tmp/load

Each simulated user loads the page's layout and callback list, then, every one to
three seconds, picks a filter set (a month, an agent, a category, a status, or a
mix, drawn from the data the page offers) and POSTs the view's callback exactly as
the browser does ("filter change" in the results). Now and then it asks for a page
of the tickets table too. run.py reads the CSV's percentiles.
"""

import random

from locust import HttpUser, between, task

from dashboard.data.schema import CATEGORIES, STATUSES
from dashboard.testing.callbacks import UPDATE, body
from dashboard.ui import ids

APPLIED = f"{ids.APPLIED_FILTERS}.data"
ROWS = f"{ids.TICKETS_GRID}.getRowsRequest"


def _props(layout: dict, component_id: str) -> dict:
    """The props of the layout's component with `component_id` ({} if none)."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == component_id:
                return props
            stack.extend(props.values())
    return {}


def _options(layout: dict, component_id: str) -> list:
    """The values a dropdown of the layout offers."""
    return [o["value"] for o in _props(layout, component_id).get("options") or []]


class Lead(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.client.get("/", name="page")
        layout = self.client.get("/_dash-layout", name="layout").json()
        self.deps = self.client.get("/_dash-dependencies", name="dependencies").json()
        self.months = _options(layout, ids.FILTER_MONTH) or ["2025-03"]
        self.agents = _options(layout, ids.FILTER_AGENT) or [1]
        self.version = _props(layout, ids.DATA_VERSION).get("data")

    def _filters(self) -> dict:
        pick = random.random()
        if pick < 0.2:
            return {}
        if pick < 0.4:
            return {"month": random.choice(self.months)}
        if pick < 0.55:
            return {"agent": random.choice(self.agents)}
        if pick < 0.7:
            return {"category": random.choice(CATEGORIES)}
        if pick < 0.8:
            return {"status": random.choice(STATUSES)}
        return {
            "month": random.choice(self.months),
            "category": random.choice(CATEGORIES),
        }

    @task(5)
    def filter_change(self):
        values = {APPLIED: self._filters(), f"{ids.DATA_VERSION}.data": self.version}
        request = body(self.deps, APPLIED, values, f"{ids.KPI_CAPTION}.children")
        with self.client.post(
            UPDATE, json=request, name="filter change", catch_response=True
        ) as response:
            if response.status_code != 200 or "response" not in response.text:
                response.failure(
                    f"{response.status_code}: {response.error or response.text[:200]}"
                )

    @task(1)
    def tickets_page(self):
        values = {
            ROWS: {"startRow": 0, "endRow": 20, "sortModel": []},
            APPLIED: self._filters(),
        }
        request = body(self.deps, ROWS, values, f"{ids.TICKETS_GRID}.getRowsResponse")
        self.client.post(UPDATE, json=request, name="tickets page")
