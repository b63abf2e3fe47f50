"""A locked table takes only the threads that read it: the Procfile's command on a
MariaDB database of its own, `LOCK TABLES MESSAGE WRITE` held by another session
while a dozen conversations are opened at once. /login, /healthz and a view
answered from memory stay under a second; each conversation answers "busy" or
"took too long" in the panel (200, never a 500 or a traceback); after UNLOCK
every conversation reads again."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from dashboard.testing import procfile
from dashboard.testing.callbacks import UPDATE, body
from dashboard.ui import ids
from tests.logins import AUTH_USERS, PASSWORDS, SECRET_KEY, csrf_token
from tests.mysql import locked, seeded_database

pytestmark = [pytest.mark.mysql, pytest.mark.slow]

CONVERSATIONS = 12
FAST = 1.0  # seconds: what "answered at once" means here
BUSY = "The database is busy; try again in a moment."
TOO_LONG = "The database took too long to answer (over 5 s)."
CONVERSATION = f"{ids.OPEN_TICKET}.data"
VIEW = f"{ids.APPLIED_FILTERS}.data"


def paas_url(url) -> str:
    return url.set(drivername="mysql").render_as_string(hide_password=False)


def logged_in(base: str) -> requests.Session:
    """A lead's session, logged in through the form as a browser does."""
    session = requests.Session()
    page = session.get(base + "/login", timeout=30).text
    form = {"username": "lea", "password": PASSWORDS["lea"], "csrf_token": ""}
    form["csrf_token"] = csrf_token(page)
    answer = session.post(base + "/login", data=form, timeout=30)
    assert answer.status_code == 200, answer.url
    assert answer.url.rstrip("/") == base, answer.url
    return session


def texts(node) -> str:
    """The text inside a callback's JSON answer."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return " ".join(texts(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(texts(v) for v in node)
    return ""


def timed(call):
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


@pytest.fixture(scope="module")
def support_db():
    with (
        seeded_database(seed=42, scale=0.1, prefix="csd_stalls") as (url, engine),
        engine.connect() as conn,
    ):
        tickets = conn.execute(
            text("SELECT ticket_id FROM TICKET ORDER BY ticket_id LIMIT :n"),
            {"n": CONVERSATIONS},
        ).scalars()
        yield url, list(tickets)


def test_stl001_a_locked_table_leaves_login_health_and_views_fast(support_db, tmp_path):
    url, tickets = support_db
    env = {
        "DATABASE_URL": paas_url(url),
        "AUTH_USERS": AUTH_USERS,
        "SECRET_KEY": SECRET_KEY,
        "REFRESH_SECONDS": "2",
    }
    with procfile.running(tmp_path, workers=2, env=env) as server:
        base = server.base
        server.wait_until_listening()
        deadline = time.monotonic() + 90
        while (
            requests.get(base + "/healthz", timeout=30).json()["data_version"] is None
        ):
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.5)
        lead = logged_in(base)
        deps = lead.get(base + "/_dash-dependencies", timeout=30).json()

        def conversation(ticket, session=lead):
            payload = body(
                deps,
                CONVERSATION,
                {CONVERSATION: ticket},
                output=f"{ids.CONVERSATION_BODY}.children",
            )
            return session.post(base + UPDATE, json=payload, timeout=60)

        def view():
            payload = body(
                deps,
                VIEW,
                {VIEW: {"month": "2025-03", "category": "Bug report"}},
                output=f"{ids.KPI_CAPTION}.children",
            )
            return lead.post(base + UPDATE, json=payload, timeout=60)

        for ticket in tickets[:4]:  # both workers read conversations before
            answer = conversation(ticket)
            assert answer.status_code == 200
            assert "cannot be read" not in texts(answer.json())
        assert view().status_code == 200

        sessions = [logged_in(base) for _ in tickets]  # one browser each
        # Another session holds LOCK TABLES MESSAGE WRITE until the block ends (40 s
        # at the latest, so a missing bound fails the test, never hangs it).
        with (
            locked(url, "MESSAGE", release_after=40),
            ThreadPoolExecutor(CONVERSATIONS) as pool,
        ):
            opened = [
                pool.submit(timed, lambda t=t, s=s: conversation(t, s))
                for t, s in zip(tickets, sessions, strict=True)
            ]
            time.sleep(0.5)  # they hold every slot and wait on the lock now
            fast = []
            for _ in range(3):
                fast.append(
                    (
                        "login",
                        *timed(lambda: requests.get(base + "/login", timeout=30)),
                    )
                )
                fast.append(
                    (
                        "healthz",
                        *timed(lambda: requests.get(base + "/healthz", timeout=30)),
                    )
                )
                fast.append(("view", *timed(view)))
                time.sleep(0.5)
            answers = [future.result(timeout=60) for future in opened]

        timings = [(name, round(took, 3)) for name, _, took in fast]
        waits = [round(took, 2) for _, took in answers]
        print(f"\nwhile locked: {timings}; conversations: {waits}")
        slow = [(name, took) for name, took in timings if took >= FAST]
        assert slow == [], slow
        for name, answer, _ in fast:
            assert answer.status_code == 200, (name, answer.status_code)
        assert "Bug report" in texts(fast[2][1].json())  # the view's own answer
        said = []
        for answer, took in answers:
            assert answer.status_code == 200, answer.text[:300]
            shown = texts(answer.json())
            assert "Traceback" not in shown, shown
            assert "pymysql" not in shown, shown
            said.append(
                BUSY if BUSY in shown else TOO_LONG if TOO_LONG in shown else shown
            )
            assert took < 15, took
        assert set(said) <= {BUSY, TOO_LONG}, said
        assert said.count(TOO_LONG) <= 2 * 3  # at most 3 read slots per worker
        assert BUSY in said

        deadline = time.monotonic() + 20
        for ticket in tickets:  # after UNLOCK every conversation reads again
            while True:
                answer = conversation(ticket)
                assert answer.status_code == 200
                shown = texts(answer.json())
                if "cannot be read" not in shown:
                    break
                assert time.monotonic() < deadline, shown
                time.sleep(0.5)
            assert f"Ticket #{ticket}" in shown, shown
            assert "not found" not in shown, shown
        assert "Traceback" not in server.output()
