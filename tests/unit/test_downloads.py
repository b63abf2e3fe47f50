"""The CSV downloads: plain HTTP routes that stream the table or a report, for the
filters, search and sort in their link; checked against SQL on the support data."""

import csv
import io

import pytest
from sqlalchemy import text

from dashboard.config import Settings
from dashboard.data.facts import STORED
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.tickets import tickets_query
from dashboard.engine.duck import compile_sql
from dashboard.web import downloads
from seeds.demo import demo_engine, open_engine
from tests.apps import loaded_app


@pytest.fixture(scope="module")
def served():
    engine = open_engine(None, 42)
    return loaded_app(Settings(), engine=engine).server.test_client(), engine


def table(response) -> list[dict]:
    assert response.status_code == 200, response.data[:300]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def sql(engine, statement: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(statement))]


def test_dl001_tickets_csv_is_every_matching_ticket_newest_first(served):
    client, engine = served
    response = client.get("/download/tickets.csv?category=Bug+report")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tickets_category-bug-report.csv"'
    )
    rows = table(response)
    want = sql(
        engine,
        "SELECT t.ticket_id, COUNT(*) FROM TICKET t JOIN MESSAGE m "
        "ON m.ticket_id = t.ticket_id WHERE t.ticket_category = 'Bug report' "
        "GROUP BY t.ticket_id ORDER BY MIN(m.message_sent_time) DESC, t.ticket_id DESC",
    )
    assert [(int(r["Ticket"]), int(r["Messages"])) for r in rows] == want
    assert list(rows[0]) == [
        "Ticket",
        "Opened",
        "Customer",
        "Email",
        "Phone",
        "Category",
        "Status",
        "Agents",
        "Messages",
        "Resolution time (hours)",
        "First response (hours)",
        "Rating",
    ]
    hours = [r["Resolution time (hours)"] for r in rows if r["Resolution time (hours)"]]
    assert hours
    assert all(len(h.split(".")[-1]) <= 2 for h in hours)


def test_dl002_search_and_sort_are_those_of_the_link(served):
    client, engine = served
    (email,) = sql(engine, "SELECT customer_email_address FROM CUSTOMER LIMIT 1")[0]
    rows = table(client.get(f"/download/tickets.csv?q={email}&sort=n_messages:asc"))
    want = sql(
        engine,
        "SELECT t.ticket_id FROM TICKET t JOIN CUSTOMER c "
        "ON c.customer_id = t.customer_id "
        f"WHERE c.customer_email_address = '{email}'",
    )
    assert sorted(int(r["Ticket"]) for r in rows) == sorted(i for (i,) in want)
    counts = [int(r["Messages"]) for r in rows]
    assert counts == sorted(counts)


def test_dl003_malformed_values_are_dropped_not_errors(served):
    client, engine = served
    rows = table(
        client.get(
            "/download/tickets.csv?agent=%C2%B2&month=nope&sort=x:y,:;&q=" + "a" * 5
        )
    )
    assert rows == []  # the search 'aaaaa' matches nobody; nothing failed
    everyone = table(client.get("/download/tickets.csv?agent=%C2%B2&month=nope"))
    assert len(everyone) == sql(engine, "SELECT COUNT(*) FROM TICKET")[0][0]


def test_dl004_a_report_csv_is_the_report_in_plain_words(served):
    client, engine = served
    response = client.get("/download/categories.csv?status=resolved")
    rows = table(response)
    with engine.connect() as conn:
        direct = REPORTS["categories"](conn, Filters(status="resolved"))
    assert [r["Category"] for r in rows] == direct["ticket_category"].tolist()
    assert [int(r["Tickets"]) for r in rows] == direct["tickets"].tolist()
    assert [float(r["Average rating"]) for r in rows] == [
        round(v, 2) for v in direct["avg_rating"]
    ]
    assert response.headers["Content-Disposition"].endswith(
        'filename="categories_status-resolved.csv"'
    )
    # and by plain SQL on the support tables, independently of the report's code
    want = sql(
        engine,
        "SELECT t.ticket_category, COUNT(*), AVG(t.ticket_rating), AVG(h.hours) "
        "FROM TICKET t JOIN (SELECT ticket_id, (julianday(MAX(message_sent_time)) "
        "- julianday(MIN(message_sent_time))) * 24 AS hours FROM MESSAGE "
        "GROUP BY ticket_id) h ON h.ticket_id = t.ticket_id "
        "WHERE t.ticket_status = 'resolved' "
        "GROUP BY t.ticket_category ORDER BY COUNT(*) DESC, t.ticket_category",
    )
    assert [
        (
            r["Category"],
            int(r["Tickets"]),
            int(r["Open tickets"]),
            float(r["Average rating"]),
            float(r["Average resolution (hours)"]),
        )
        for r in rows
    ] == [(c, n, 0, round(rating, 2), round(hours, 2)) for c, n, rating, hours in want]


def test_dl005_unknown_names_are_404(served):
    client, _ = served
    for name in ("nope", "tickets.csv.bak", "summary%00", "SUMMARY"):
        assert client.get(f"/download/{name}.csv").status_code == 404


def test_dl006_personal_data_off_leaves_email_and_phone_blank():
    engine = open_engine(None, 42)
    client = loaded_app(
        Settings(show_personal_data=False), engine=engine
    ).server.test_client()
    rows = table(client.get("/download/tickets.csv"))
    assert rows
    assert all(r["Email"] == "" and r["Phone"] == "" for r in rows)


def test_dl007_the_export_binds_no_value_per_ticket_and_comes_in_batches(
    served, monkeypatch
):
    stmt = tickets_query(
        Filters(status="resolved"), "ann", [("opened", "desc")], STORED
    )
    _sql, params = compile_sql(stmt)
    assert len(params) < 10  # filters and search only: no list of ticket ids
    client, engine = served
    sizes = []
    real = downloads.export.readable

    def spy(df):
        sizes.append(len(df))
        return real(df)

    monkeypatch.setattr(downloads.export, "readable", spy)
    monkeypatch.setattr(downloads, "BATCH_VECTORS", 1)  # 2,048 rows a batch
    big = loaded_app(Settings(), engine=demo_engine(42, scale=10))
    rows = table(big.server.test_client().get("/download/tickets.csv"))
    assert len(rows) == 3770
    assert sizes[:2] == [2048, 1722]


def test_dl008_503_while_the_data_loads(tiny_engine):
    from flask import Flask

    from dashboard.engine.store import FactsStore

    server = Flask(__name__)
    downloads.install(server, FactsStore(tiny_engine), lambda: True)  # never loaded
    response = server.test_client().get("/download/tickets.csv")
    assert response.status_code == 503
    assert b"still loading" in response.data


@pytest.mark.parametrize("name", [*REPORTS, "tickets"])
def test_dl009_every_downloaded_column_has_a_human_header(served, name):
    client, _ = served
    response = client.get(f"/download/{name}.csv")
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header
    assert len(set(header)) == len(header)  # none twice
    for column in header:  # "Average rating", "90th percentile ...", not "avg_rating"
        assert "_" not in column, column
        assert column[0].isupper() or column[0].isdigit(), column
