"""Hostile callback payloads: the page's own `/_dash-update-component` bodies,
mutated.

The seed bodies are built the way the browser builds them: every server-side
callback in `/_dash-dependencies`, its inputs and state read from `/_dash-layout`,
then again after the answers of a first round (so the dcc.Stores hold what a page
holds), plus a few user actions (a link with filters, a sort, a search, clicks).
Each seed is then mutated with a seeded RNG: wrong types, huge strings, SQL and LIKE
metacharacters, text no page sends (lone surrogates, NUL, control characters,
characters beyond the BMP), missing and forged keys, nested garbage. Every answer
must be below 500, no log record may carry a traceback, and no answer may show SQL
or driver text. Text that no page sends is refused at the edge with a 400, and the
text people type (emoji, tabs) still answers 200.
"""

import copy
import json
import logging
import random
import re
import traceback
from collections import Counter
from pathlib import Path

import pytest

from dashboard.config import Settings
from dashboard.ui import ids
from seeds.demo import open_engine
from tests.apps import loaded_app

pytestmark = pytest.mark.slow  # thousands of requests
UPDATE = "/_dash-update-component"
PAYLOADS = 2000
SEED = 8

# What an answer must never contain: SQL run by the app, driver and ORM text.
LEAK = re.compile(
    r"\b(SELECT|FROM|WHERE|JOIN)\s[^\"]{0,80}\b(TICKET|MESSAGE|AGENT|CUSTOMER|SENDER)\b"
    r"|\[SQL:|sqlalchemy|sqlite3|pymysql|OperationalError|ProgrammingError"
    r"|Traceback|File \"",
)

HOSTILE_STRINGS = [
    "",
    " ",
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '" OR ""="',
    "1 UNION SELECT password FROM users",
    "%",
    "_",
    "%_%",
    "\\",
    "\\%",
    "[a-z]%",
    "%' OR 1=1 --",
    "2025-13",
    "2025-03'",
    "²",
    "١٢",
    "\u0000",
    "\ud7ff\ufffd",
    "<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "#12",
    "#-1",
    "#99999999999999999999",
    "null",
    "NaN",
    "Infinity",
    "true",
    "{}",
    "[]",
    # Text that JSON can carry and no page sends, and text people do type.
    "\ud800",
    "a\udfffb",
    "\udbff\udc00",  # a surrogate pair decoded as two lone halves
    "#12\ud83d",
    "x\x00y",
    "\x01\x08\x0b\x1b[31m\x7f",
    "\t\r\n",
    "\u2028\u2029\u200b\ufeff",
    "\U0001f600\U0001f469\u200d\U0001f4bb",
    "\U0010ffff",
    "e\u0301\u0301\u0301",
]
HOSTILE_NUMBERS = [0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**30, 1.5, -0.0, 1e308]


def hostile_value(rng: random.Random, depth: int = 0):
    """One value of a wrong type, size or content."""
    kind = rng.randrange(10 if depth < 3 else 7)
    if kind == 0:
        return rng.choice(HOSTILE_STRINGS)
    if kind == 1:
        return rng.choice(HOSTILE_NUMBERS)
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:  # a huge string, under the request size limit
        return rng.choice(["%", "a", "'", "é", "_"]) * rng.choice([10_000, 200_000])
    if kind == 4:
        return rng.choice(HOSTILE_STRINGS) + rng.choice(HOSTILE_STRINGS)
    if kind == 5:
        return str(rng.choice(HOSTILE_NUMBERS))
    if kind == 6:
        return rng.choice([[], {}, [None], {"": None}])
    if kind == 7:  # nested garbage
        return [hostile_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
    if kind == 8:
        return {
            rng.choice(["id", "value", "rowId", "points", "sortModel", "x", "a"]): (
                hostile_value(rng, depth + 1)
            )
            for _ in range(rng.randrange(1, 4))
        }
    deep: list = []
    for _ in range(rng.choice([50, 200])):
        deep = [deep]
    return deep


def paths(node, prefix=()):
    """Every (path, value) in a JSON value, the root included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def set_at(root, path, value):
    if not path:
        return value
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return root


def delete_at(root, path):
    if not path:
        return None
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return root


def mutate(body: dict, rng: random.Random, outputs: list[str]):
    """`body` changed in one to three hostile ways (a deep copy): mostly in the
    values of its inputs and state, which reach our callbacks, else anywhere."""
    body = copy.deepcopy(body)
    for _ in range(rng.randrange(1, 4)):
        if rng.random() < 0.6:
            mutate_value(body, rng)
        else:
            body = mutate_structure(body, rng, outputs)
    return body


def mutate_value(body, rng: random.Random) -> None:
    """A hostile value somewhere inside one input's or state's value."""
    if not isinstance(body, dict):
        return
    entries = [
        e
        for key in ("inputs", "state")
        if isinstance(body.get(key), list)
        for item in body[key]
        for e in (item if isinstance(item, list) else [item])
        if isinstance(e, dict)
    ]
    if not entries:
        return
    entry = rng.choice(entries)
    if "value" not in entry or rng.random() < 0.3:
        entry["value"] = hostile_value(rng)
        return
    path, value = rng.choice(list(paths(entry["value"])))
    how = rng.randrange(4)
    if how == 0 and path:
        delete_at(entry["value"], path)
    elif how == 1 and isinstance(value, str):
        entry["value"] = set_at(
            entry["value"], path, value + rng.choice(HOSTILE_STRINGS)
        )
    elif how == 2 and isinstance(value, dict):
        value[rng.choice(["sort", "colId", "rowId", "x", "y", "id"])] = hostile_value(
            rng
        )
    else:
        entry["value"] = set_at(entry["value"], path, hostile_value(rng))


def mutate_structure(body, rng: random.Random, outputs: list[str]):
    """A hostile change anywhere: wrong types, missing or forged keys and ids."""
    every = list(paths(body))
    path, value = rng.choice(every)
    how = rng.randrange(8)
    if how <= 2:  # any value: wrong type, size or content
        body = set_at(body, path, hostile_value(rng))
    elif how == 3 and path:  # a missing key or list item
        body = delete_at(body, path)
    elif how == 4 and isinstance(value, dict):  # a forged key
        value[rng.choice(["id", "property", "value", "output", "x"])] = hostile_value(
            rng
        )
    elif how == 5 and isinstance(body, dict):  # a forged output
        body["output"] = rng.choice(
            [
                rng.choice(outputs) + ".",
                "x" * rng.choice([10, 100_000]),
                "..a.b...c.d..",
                f"{ids.TICKETS_GRID}.rowData",
                hostile_value(rng),
            ]
        )
    elif how == 6 and isinstance(body, dict):  # a forged component id
        for key in ("inputs", "state", "outputs"):
            items = body.get(key)
            entries = (
                [i for i in items if isinstance(i, dict)]
                if isinstance(items, list)
                else []
            )
            if entries:
                rng.choice(entries)["id"] = hostile_value(rng)
                break
    elif isinstance(value, str) and value:  # hostile text inside a real value
        body = set_at(body, path, value + rng.choice(HOSTILE_STRINGS))
    return body


# ---- the page's real bodies ---------------------------------------------------------


def id_key(component_id) -> str:
    """A component id as Dash writes it in callback ids (dict ids: sorted JSON)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def layout_props(node, found=None) -> dict:
    """(id key, prop) -> value for every component with an id in a layout."""
    found = {} if found is None else found
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "id" in props:
            for prop, value in props.items():
                found[(id_key(props["id"]), prop)] = value
        for value in node.values():
            layout_props(value, found)
    elif isinstance(node, list):
        for value in node:
            layout_props(value, found)
    return found


def parse_id(text: str):
    return json.loads(text) if text.startswith("{") else text


def matches(pattern: dict, candidate) -> bool:
    return (
        isinstance(candidate, dict)
        and candidate.keys() == pattern.keys()
        and all(
            isinstance(v, list) or candidate[k] == v for k, v in pattern.items()
        )  # ["ALL"] / ["MATCH"] match any value
    )


def concrete(dep: dict, props: dict, with_value: bool):
    """One input/state/output entry as the renderer sends it."""
    wanted = parse_id(dep["id"]) if isinstance(dep["id"], str) else dep["id"]
    prop = dep["property"]
    if isinstance(wanted, dict) and any(isinstance(v, list) for v in wanted.values()):
        found = sorted(
            {k for k, p in props if p == "id" and matches(wanted, parse_id(k))}
        )
        entries = [{"id": parse_id(k), "property": prop} for k in found]
        if with_value:
            for entry, k in zip(entries, found, strict=True):
                if (k, prop) in props:
                    entry["value"] = props[(k, prop)]
        return entries
    entry = {"id": wanted, "property": prop}
    if with_value and (id_key(wanted), prop) in props:
        entry["value"] = props[(id_key(wanted), prop)]
    return entry


def split_outputs(output: str) -> list[tuple[str, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [tuple(p.rsplit(".", 1)) for p in parts]


def body_for(dep: dict, props: dict, trigger: int = 0) -> dict:
    outputs = [
        concrete({"id": i, "property": p}, props, False)
        for i, p in split_outputs(dep["output"])
    ]
    inputs = [concrete(d, props, True) for d in dep["inputs"]]
    changed = inputs[trigger]
    changed = changed[0] if isinstance(changed, list) and changed else changed
    prop_id = (
        f"{id_key(changed['id'])}.{changed['property']}"
        if isinstance(changed, dict)
        else ""
    )
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [prop_id] if prop_id else [],
        "state": [concrete(d, props, True) for d in dep["state"]],
    }


def apply_answer(props: dict, answer: dict) -> None:
    for component, changed in answer.get("response", {}).items():
        for prop, value in changed.items():
            props[(component, prop)] = value


# What a user does that the layout alone does not show: a link with every filter,
# a sort, a search, a click on a bar and on a row, the download buttons.
USER_ACTIONS = {
    (ids.URL, "search"): "?month=2025-03&agent=3&category=Bug+report&status=open",
    (ids.TICKETS_GRID, "getRowsRequest"): {
        "startRow": 0,
        "endRow": 50,
        "sortModel": [{"colId": "customer", "sort": "asc"}],
        "filterModel": {},
    },
    (ids.TICKETS_SEARCH, "value"): "smith",
    (ids.TICKETS_GRID, "cellClicked"): {
        "value": "Ann",
        "colId": "customer",
        "rowIndex": 0,
        "rowId": "5",
        "timestamp": 1,
    },
    (id_key(ids.chart("tickets-per-agent")), "clickData"): {
        "points": [{"curveNumber": 0, "pointNumber": 0, "x": 12, "y": "Ann Lee"}]
    },
    (ids.TICKETS_DOWNLOAD_BUTTON, "n_clicks"): 1,
    (ids.REFRESH_INTERVAL, "n_intervals"): 3,
    (ids.OPEN_TICKET, "data"): 5,
}


def real_bodies(client) -> list[dict]:
    """The bodies the page sends: each callback with the layout's values, then
    again after a round of answers and the user actions above, each input once as
    the trigger."""
    assert client.get("/").status_code == 200
    deps = [
        d
        for d in client.get("/_dash-dependencies").get_json()
        if not d.get("clientside_function")
    ]
    props = layout_props(client.get("/_dash-layout").get_json())
    bodies = [body_for(d, props) for d in deps]
    for body in bodies:
        answer = client.post(UPDATE, json=body)
        if answer.status_code == 200:
            apply_answer(props, answer.get_json())
    for key, value in USER_ACTIONS.items():
        if (key[0], "id") in props:
            props[key] = value
    for prop_key in [k for k in props if k[1] == "id"]:
        if "report-download-button" in prop_key[0]:
            props[(prop_key[0], "n_clicks")] = 1
    for dep in deps:
        for trigger in range(len(dep["inputs"])):
            bodies.append(body_for(dep, props, trigger))
    return bodies


# ---- the test ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    engine = open_engine(None)
    app = loaded_app(Settings(refresh_seconds=0), engine=engine)
    yield app.server.test_client()
    engine.dispose()


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def records():
    handler = Records()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.records
    root.removeHandler(handler)


def failure(record: logging.LogRecord) -> str:
    """'TypeError in dashboard.grid.sort_list (callback ticket_rows)': the exception,
    where it was raised, and which of our callbacks (the outermost frame of ours)."""
    exc = record.exc_info[1]
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/dashboard/" in f.filename]
    raised = frames[-1] if frames else None
    where = f"{Path(raised.filename).stem}.{raised.name}" if raised else "?"
    callback = f" (callback {ours[0].name})" if ours else " (Dash's dispatcher)"
    return f"{type(exc).__name__} in {where}{callback}"


def test_fuzz001_real_bodies_answer_200(client, records):
    bodies = real_bodies(client)
    assert len(bodies) >= 15
    for body in bodies:
        answer = client.post(UPDATE, json=body)
        assert answer.status_code in (200, 204), (body, answer.get_data()[:500])
    assert [r for r in records if r.exc_info] == []


def test_fuzz002_mutated_bodies_never_answer_500_nor_log_a_traceback(client, records):
    seeds = real_bodies(client)
    outputs = sorted({b["output"] for b in seeds})
    rng = random.Random(SEED)
    statuses: Counter = Counter()
    failures: Counter = Counter()
    leaks = []
    for _ in range(PAYLOADS):
        body = mutate(rng.choice(seeds), rng, outputs)
        answer = client.post(UPDATE, json=body)
        statuses[answer.status_code] += 1
        text = answer.get_data(as_text=True)
        if LEAK.search(text):
            leaks.append(text[:300])
    tracebacks = [r for r in records if r.exc_info]
    for record in tracebacks:
        failures[failure(record)] += 1
    report = "\n".join(f"{n:5} {line}" for line, n in failures.most_common())
    print(f"\nanswers: {dict(statuses)}; tracebacks: {len(tracebacks)}\n{report}")
    assert sum(statuses.values()) == PAYLOADS
    assert leaks == []
    assert statuses[500] == 0, report
    assert tracebacks == [], report


REFUSED_TEXT = ["\ud800", "a\udfffb", "x\x00y", "a" * 200_001]
TYPED_TEXT = ["\U0001f600\U0001f469\u200d\U0001f4bb", "\t\r\n", "\x01\x1b[31m", "é"]


def with_first_value(body: dict, value) -> dict:
    body = copy.deepcopy(body)
    entry = body["inputs"][0]
    for item in entry if isinstance(entry, list) else [entry]:
        item["value"] = value
    return body


def test_fuzz003_text_no_page_sends_is_refused_at_the_edge(client, records):
    """Every callback refuses a lone surrogate, a NUL or an oversized string with
    one friendly 400 (logged, no traceback) and answers text people type."""
    seeds = real_bodies(client)
    for body in seeds:
        for value in REFUSED_TEXT:
            answer = client.post(UPDATE, json=with_first_value(body, value))
            assert answer.status_code == 400, (body["output"], value[:20])
            assert answer.get_json() == {
                "error": "The request holds characters the dashboard cannot read. "
                "Reload the page and try again."
            }
        for value in TYPED_TEXT:
            answer = client.post(UPDATE, json=with_first_value(body, value))
            assert answer.status_code in (200, 204), (body["output"], value)
    assert [r for r in records if r.exc_info] == []
    refused = [r.getMessage() for r in records if r.getMessage().startswith("refused")]
    assert len(refused) == len(seeds) * len(REFUSED_TEXT)
    assert {m.rsplit(": it holds ", 1)[1] for m in refused} == {
        "a lone surrogate",
        "a NUL character",
        "a string of 200001 characters (at most 200000)",
    }


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?q=a%00b", 400),
        ("?category=%00", 400),
        ("?q=" + "a" * 200_001, 400),
        ("?q=%F0%9F%98%80", 200),
        ("?q=%ED%A0%80", 200),  # not UTF-8: read as U+FFFD, never a surrogate
        ("?q=%01%1B", 200),
    ],
)
def test_fuzz004_routes_refuse_the_same_text(client, query, status):
    for path in ("/", "/download/tickets.csv", "/download/categories.csv"):
        answer = client.get(path + query)
        text = answer.get_data(as_text=True)  # a download streams: read it whole
        answer.close()
        assert answer.status_code == status, (path, query)
        if status == 400:
            assert text.startswith(
                "The request holds characters the dashboard cannot read."
            )
