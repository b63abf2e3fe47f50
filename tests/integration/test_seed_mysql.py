"""The seeder's bulk load on the real MariaDB: LOAD DATA LOCAL INFILE (a connection
with local_infile) and multi-row INSERT (without) write the same rows as SQLite, any
text survives both, on our schema and on one with only primary and foreign keys."""

import threading
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, select, text

from dashboard.data.schema import CUSTOMER, MESSAGE, SENDER, TABLES, TICKET, metadata
from seeds import load, populate
from tests.invariants import assert_invariants
from tests.mysql import MYSQL8_SQL_MODE, scratch_database

pytestmark = pytest.mark.mysql

SCHEMA_SQL = Path(__file__).parents[2] / "sql" / "schema.sql"

AWKWARD = [
    'O\'Brien said "hi"',
    "back\\slash \\N and \\t",
    "tab\there",
    "new\nline and\r\ncrlf",
    "separator \x1e inside",
    "100% sure, %s and %(x)s",
    "ünïcödé ✓ 😀",
    "\\N",
    "NULL",
    "",
]


def _engine(url, local_infile: bool, sql_mode: str = MYSQL8_SQL_MODE):
    if local_infile:
        url = url.update_query_dict({"local_infile": "1"})
    return create_engine(
        url, connect_args={"init_command": f"SET SESSION sql_mode='{sql_mode}'"}
    )


def _dump(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in TABLES
        }


def _pk_and_fk_only(engine) -> None:
    """The schema as someone else might have made it: sql/schema.sql without its
    secondary indexes."""
    lines = SCHEMA_SQL.read_text().splitlines()
    ddl = "\n".join(ln for ln in lines if not ln.startswith("--"))
    with engine.begin() as conn:
        for statement in ddl.split(";"):
            if statement.strip() and "CREATE INDEX" not in statement:
                conn.exec_driver_sql(statement)


@pytest.fixture(scope="module")
def sqlite_rows():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=9, scale=0.3)
    yield _dump(engine)
    engine.dispose()


@pytest.mark.parametrize("local_infile", [True, False], ids=["load-data", "insert"])
def test_seed001_both_loads_write_the_rows_sqlite_gets(local_infile, sqlite_rows):
    with scratch_database("csd_seed") as url:
        engine = _engine(url, local_infile)
        metadata.create_all(engine)
        with engine.begin() as conn:
            populate(conn, seed=9, scale=0.3)
            # the session's checks are back on afterwards
            checks = conn.execute(
                text("SELECT @@foreign_key_checks, @@unique_checks")
            ).one()
        assert tuple(checks) == (1, 1)
        assert _dump(engine) == sqlite_rows
        engine.dispose()


@pytest.mark.parametrize("local_infile", [True, False], ids=["load-data", "insert"])
def test_seed002_a_schema_with_only_primary_and_foreign_keys(local_infile):
    with scratch_database("csd_seed") as url:
        engine = _engine(url, local_infile)
        _pk_and_fk_only(engine)
        with engine.begin() as conn:
            counts = populate(conn, seed=2, scale=0.5)
        with engine.connect() as conn:
            assert_invariants(conn)
            tickets = conn.execute(text("SELECT COUNT(*) FROM TICKET")).scalar()
            indexes = conn.execute(
                text(
                    "SELECT DISTINCT index_name FROM information_schema.statistics"
                    " WHERE table_schema = DATABASE() AND table_name = 'MESSAGE'"
                )
            ).scalars()
            assert set(indexes) == {"PRIMARY", "fk_message_ticket", "fk_message_sender"}
        assert tickets == counts["TICKET"] == round(377 * 0.5)
        engine.dispose()


def _awkward_batches():
    n = len(AWKWARD)
    yield SENDER, [{"sender_id": np.array([1]), "sender_type": ["customer"]}]
    yield (
        CUSTOMER,
        [
            {
                "customer_id": np.array([1]),
                "sender_id": np.array([1]),
                "customer_email_address": ["o'brien\\@example.com"],
                "customer_first_name": ["D'Angelo\t"],
                "customer_last_name": ["\\N"],
                "customer_phone_no": [None],
            }
        ],
    )
    yield (
        TICKET,
        [
            {
                "ticket_id": np.array([1]),
                "customer_id": np.array([1]),
                "ticket_category": ["Bug report"],
                "ticket_rating": [None],
                "ticket_status": ["open"],
            }
        ],
    )
    yield (
        MESSAGE,
        [
            {  # two batches: a table's batches go into one statement
                "message_id": np.arange(1, n + 1)[part],
                "ticket_id": np.ones(n, dtype=int)[part],
                "sender_id": np.ones(n, dtype=int)[part],
                "message_sent_time": np.datetime64("2025-03-01T08:00:00")
                + np.arange(n).astype("timedelta64[s]")[part],
                "message_text": AWKWARD[part],
            }
            for part in (slice(0, 4), slice(4, n))
        ],
    )


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize("backslashes", [True, False], ids=["sql-mode", "no-escapes"])
@pytest.mark.parametrize("local_infile", [True, False], ids=["load-data", "insert"])
def test_seed003_any_text_survives_the_load(local_infile, backslashes):
    sql_mode = MYSQL8_SQL_MODE + ("" if backslashes else ",NO_BACKSLASH_ESCAPES")
    with scratch_database("csd_seed") as url:
        engine = _engine(url, local_infile, sql_mode)
        metadata.create_all(engine)
        calls = []
        with engine.begin() as conn:
            load.insert(conn, _awkward_batches(), 13, lambda *a: calls.append(a))
        with engine.connect() as conn:
            texts = conn.execute(
                select(MESSAGE.c.message_text).order_by(MESSAGE.c.message_id)
            ).scalars()
            customer = conn.execute(select(CUSTOMER)).one()
            first = conn.execute(select(MESSAGE.c.message_sent_time)).scalars().first()
        engine.dispose()
    assert list(texts) == AWKWARD
    assert tuple(customer) == (1, 1, "o'brien\\@example.com", "D'Angelo\t", "\\N", None)
    assert first == datetime(2025, 3, 1, 8, 0, 0)
    assert calls[-1] == (13, 13)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_seed004_a_refused_load_data_fails_at_once_instead_of_hanging():
    """A statement that fails before reading the pipe (here: no such table) must
    not leave the thread feeding it blocked."""
    with scratch_database("csd_seed") as url:
        engine = _engine(url, local_infile=True)  # no tables created
        outcome = {}

        def attempt():
            try:
                with engine.begin() as conn:
                    load.insert(conn, _awkward_batches(), 13)
            except Exception as exc:  # noqa: BLE001 - inspected below
                outcome["error"] = exc

        worker = threading.Thread(target=attempt, daemon=True)
        worker.start()
        worker.join(timeout=30)
        engine.dispose()
    assert not worker.is_alive()
    assert "doesn't exist" in str(outcome["error"])
