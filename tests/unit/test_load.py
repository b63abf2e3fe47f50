"""The seeder's bulk loader without a server: SQLite rows as SQLAlchemy would store
them, and the MySQL loader's fallback to INSERT when the server refuses local files
(a stand-in cursor plays the server; tests/integration/test_seed_mysql.py runs both
loads on the real MariaDB)."""

import re
from datetime import datetime

import numpy as np
import pymysql
import pytest
from sqlalchemy import create_engine, select

from dashboard.data.schema import SENDER, TICKET, metadata
from seeds import load


def _batches():
    yield (
        SENDER,
        [{"sender_id": np.array([1, 2]), "sender_type": ["agent", "customer"]}],
    )
    yield (
        TICKET,
        [
            {
                "ticket_id": np.array([1]),
                "customer_id": np.array([1]),
                "ticket_category": ["Wrong order"],
                "ticket_rating": [None],
                "ticket_status": ["open"],
            },
            {
                "ticket_id": np.array([2, 3]),
                "customer_id": np.array([1, 1]),
                "ticket_category": ["Bug report", "Bug report"],
                "ticket_rating": [4, None],
                "ticket_status": ["resolved", "resolved"],
            },
        ],
    )


def test_bulk001_sqlite_rows_and_datetimes_read_back_as_sqlalchemy_wrote_them():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    calls = []
    when = np.array(["2025-02-03T04:05:06"], dtype="datetime64[s]")
    tables = [
        *_batches(),
        (
            metadata.tables["CUSTOMER"],
            [
                {
                    "customer_id": np.array([1]),
                    "sender_id": np.array([2]),
                    "customer_email_address": ["a@example.com"],
                    "customer_first_name": ["Ann"],
                    "customer_last_name": ["O'Neil"],
                    "customer_phone_no": np.array([2025550123]),
                }
            ],
        ),
        (
            metadata.tables["MESSAGE"],
            [
                {
                    "message_id": np.array([1]),
                    "ticket_id": np.array([1]),
                    "sender_id": np.array([2]),
                    "message_sent_time": when,
                    "message_text": ["It's broken"],
                }
            ],
        ),
    ]
    with engine.begin() as conn:
        load.insert(conn, tables, 7, lambda done, total: calls.append((done, total)))
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
    with engine.connect() as conn:
        tickets = conn.execute(select(TICKET).order_by(TICKET.c.ticket_id)).all()
        message = conn.execute(select(metadata.tables["MESSAGE"])).one()
        stored = conn.exec_driver_sql("SELECT message_sent_time FROM MESSAGE").scalar()
    assert [tuple(t) for t in tickets] == [
        (1, 1, "Wrong order", None, "open"),
        (2, 1, "Bug report", 4, "resolved"),
        (3, 1, "Bug report", None, "resolved"),
    ]
    assert message.message_sent_time == datetime(2025, 2, 3, 4, 5, 6)
    assert stored == "2025-02-03 04:05:06.000000"  # what SQLAlchemy itself stores
    assert calls == [(2, 7), (3, 7), (5, 7), (6, 7), (7, 7)]


class _RefusingServer:
    """A cursor whose server refuses LOAD DATA LOCAL INFILE, as MariaDB does with
    local_infile=OFF (error 4166), and records every other statement."""

    def __init__(self):
        self.statements = []
        self.loads = 0

    def execute(self, sql, args=None):
        if sql.startswith("LOAD DATA"):
            self.loads += 1
            raise pymysql.err.OperationalError(4166, "local infile disabled")
        self.statements.append(sql)

    def fetchone(self):
        return (1, 1, 16 * 1024 * 1024, "STRICT_TRANS_TABLES")

    def close(self):
        pass


def test_bulk002_mysql_falls_back_to_insert_when_the_server_refuses_local_files():
    server = _RefusingServer()
    calls = []
    counter = load._Counter(5, lambda done, total: calls.append(done))
    load._MySQL(server, counter, local_infile=True).insert(_batches())
    inserts = [s for s in server.statements if s.startswith("INSERT")]
    assert server.loads == 1  # asked once, then not again for the next table
    assert inserts == [
        "INSERT INTO `SENDER` (sender_id, sender_type)"
        " VALUES (1,'agent'),(2,'customer')",
        "INSERT INTO `TICKET` (ticket_id, customer_id, ticket_category, ticket_rating,"
        " ticket_status) VALUES (1,1,'Wrong order',NULL,'open')",
        "INSERT INTO `TICKET` (ticket_id, customer_id, ticket_category, ticket_rating,"
        " ticket_status) VALUES (2,1,'Bug report',4,'resolved'),"
        "(3,1,'Bug report',NULL,'resolved')",
    ]
    assert calls == [2, 3, 5]
    assert server.statements[1] == "SET foreign_key_checks = 0, unique_checks = 0"
    assert server.statements[-1] == "SET foreign_key_checks = 1, unique_checks = 1"


def test_bulk003_mysql_insert_statements_stay_under_the_size_limit():
    server = _RefusingServer()
    counter = load._Counter(0, None)
    mysql = load._MySQL(server, counter, local_infile=False)
    texts = [f"message {i} " + "x" * 90 for i in range(1000)]
    batch = {"sender_id": np.arange(1000), "sender_type": texts}
    server.fetchone = lambda: (1, 1, 20_000, "")  # a 20 kB max_allowed_packet
    mysql.insert([(SENDER, [batch])])
    inserts = [s for s in server.statements if s.startswith("INSERT")]
    assert len(inserts) > 1
    assert all(len(s) < 20_000 for s in inserts)
    rows = [r for s in inserts for r in re.findall(r"\((\d+),'message \1 x+'\)", s)]
    assert rows == [str(i) for i in range(1000)]


@pytest.mark.parametrize(
    ("backslashes", "text", "literal"),
    [
        (True, "O'Brien \\ ok", "'O''Brien \\\\ ok'"),
        (False, "O'Brien \\ ok", "'O''Brien \\ ok'"),
    ],
)
def test_bulk004_mysql_string_literals_follow_the_sql_mode(backslashes, text, literal):
    server = _RefusingServer()
    server.fetchone = lambda: (
        1,
        1,
        1 << 20,
        "" if backslashes else "NO_BACKSLASH_ESCAPES",
    )
    load._MySQL(server, load._Counter(0, None), local_infile=False).insert(
        [(SENDER, [{"sender_id": np.array([7]), "sender_type": [text]}])]
    )
    insert = next(s for s in server.statements if s.startswith("INSERT"))
    assert insert.endswith(f"VALUES (7,{literal})")
