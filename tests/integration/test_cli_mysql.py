"""`support-dashboard seed` and `report` against the real MariaDB, with the
`mysql://` URL a PaaS add-on hands out."""

import json
import uuid

import pytest
from sqlalchemy import create_engine, text

from dashboard.cli import main
from tests.mysql import SERVER_URL, scratch_database, seeded_database

pytestmark = pytest.mark.mysql


def paas_url(url) -> str:
    return url.set(drivername="mysql").render_as_string(hide_password=False)


def test_climy001_seed_then_report_on_mariadb(capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with scratch_database() as url:
        assert main(["seed", "--database-url", paas_url(url)]) == 0
        assert "6,341 message" in capsys.readouterr().out
        monkeypatch.setenv("DATABASE_URL", paas_url(url))
        assert main(["report", "tickets-per-agent", "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        engine = create_engine(url)
        with engine.connect() as conn:
            expected = dict(
                conn.execute(
                    text(
                        """SELECT a.agent_id, COUNT(DISTINCT m.ticket_id)
                           FROM AGENT a JOIN MESSAGE m ON m.sender_id = a.sender_id
                           GROUP BY a.agent_id"""
                    )
                ).all()
            )
        engine.dispose()
        assert {r["agent_id"]: r["number_of_tickets"] for r in rows} == expected


def test_climy002_unknown_database_is_one_clear_line(capsys):
    with scratch_database() as url:
        missing = paas_url(url.set(database=url.database + "_missing"))
        assert main(["report", "summary", "--database-url", missing]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f'support-dashboard: error: database "{url.database}_missing" does not '
        "exist on the server; create it or fix DATABASE_URL"
    ]


def _server(sql: str, **params):
    """Run one statement on the server (no database); its first value, if any."""
    server = create_engine(SERVER_URL)
    try:
        with server.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.scalar() if result.returns_rows else None
    finally:
        server.dispose()


def test_climy003_seed_creates_a_missing_database_in_utf8mb4(capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with scratch_database() as existing:
        url = existing.set(database=existing.database + "_new")
        try:
            code = main(["seed", "--database-url", paas_url(url), "--scale", "0.05"])
            out, err = capsys.readouterr()
            assert code == 0, err
            assert f"created database `{url.database}`" in out
            charset = _server(
                "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA"
                " WHERE SCHEMA_NAME = :name",
                name=url.database,
            )
            assert charset == "utf8mb4"
            engine = create_engine(url)
            with engine.connect() as conn:
                tickets = conn.execute(text("SELECT COUNT(*) FROM TICKET")).scalar()
            engine.dispose()
            assert tickets == round(377 * 0.05)
        finally:
            _server(f"DROP DATABASE IF EXISTS `{url.database}`")


def test_climy004_seed_without_the_right_to_create_it_says_what_to_run(
    capsys, monkeypatch
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    user, password = f"csd_seed_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    database = f"csd_test_{uuid.uuid4().hex[:10]}"
    try:
        _server(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
        url = SERVER_URL.replace("root@", f"{user}:{password}@") + database
        assert main(["seed", "--database-url", url]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert (
            f"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4;"
            f" GRANT ALL ON `{database}`.* TO '{user}'@'%';"
        ) in err[0]
        assert password not in err[0]
        exists = _server(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n",
            n=database,
        )
        assert exists == 0
    finally:
        _server(f"DROP USER IF EXISTS '{user}'@'%'")
        _server(f"DROP DATABASE IF EXISTS `{database}`")


@pytest.fixture(scope="module")
def demo_on_mariadb():
    """The demo data (seed 42, scale 1) in a scratch database: (PaaS URL, engine)."""
    with seeded_database(seed=42, scale=1) as (url, engine):
        yield paas_url(url), engine


def report(capsys, *argv):
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("agent", ["999", str(2**70)])
def test_climy005_report_refuses_an_agent_that_does_not_exist(
    capsys, demo_on_mariadb, agent
):
    url, engine = demo_on_mariadb
    with engine.connect() as conn:
        count, low, high = conn.execute(
            text("SELECT COUNT(*), MIN(agent_id), MAX(agent_id) FROM AGENT")
        ).one()
    code, out, err = report(capsys, "summary", "--agent", agent, "--database-url", url)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert f"there is no agent {agent}; " in lines[0]
    assert f"{count} agents have ids {low} to {high}" in lines[0]


def test_climy006_report_agent_filter_on_mariadb(capsys, demo_on_mariadb):
    url, engine = demo_on_mariadb
    with engine.connect() as conn:
        worked = conn.execute(
            text(
                """SELECT COUNT(DISTINCT m.ticket_id) FROM MESSAGE m
                   JOIN AGENT a ON a.sender_id = m.sender_id WHERE a.agent_id = 1"""
            )
        ).scalar()
    code, out, err = report(
        capsys, "summary", "--agent", "1", "--format", "json", "--database-url", url
    )
    assert code == 0, err
    assert json.loads(out)[0]["tickets"] == worked > 0


def test_climy007_report_table_on_mariadb(capsys, demo_on_mariadb):
    """MariaDB answers averages as DECIMAL and empty aggregates as NULL: the table
    still shows percentages, 2 decimals and blanks."""
    url, engine = demo_on_mariadb
    with engine.connect() as conn:
        total, resolved, avg_rating = conn.execute(
            text(
                """SELECT COUNT(*), SUM(ticket_status = 'resolved'),
                          AVG(ticket_rating) FROM TICKET"""
            )
        ).one()
    code, out, _ = report(capsys, "summary", "--database-url", url)
    assert code == 0
    header, row = (line.split() for line in out.split("\n\n", 1)[1].splitlines())
    cells = dict(zip(header, row, strict=True))
    assert cells["resolved_share"] == f"{100 * resolved / total:.1f}%"
    assert cells["avg_rating"] == f"{avg_rating:.2f}"

    code, out, _ = report(
        capsys, "summary", "--month", "1999-01", "--database-url", url
    )
    assert code == 0
    # the five counts (tickets, open, resolved, rated, answered); the rest blank
    assert out.split("\n\n", 1)[1].splitlines()[1].split() == ["0"] * 5
    assert "None" not in out
    assert "nan" not in out.lower()

    code, out, _ = report(capsys, "summary", "--format", "json", "--database-url", url)
    assert json.loads(out)[0]["resolved_share"] == pytest.approx(
        float(resolved) / total, rel=1e-9
    )


def test_climy008_dotenv_names_the_mariadb_database(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    with seeded_database(seed=7, scale=0.05) as (url, engine):
        (tmp_path / ".env").write_text(f"DATABASE_URL='{paas_url(url)}'\n")
        with engine.connect() as conn:
            total = conn.execute(text("SELECT COUNT(*) FROM TICKET")).scalar()
        code, out, err = report(capsys, "summary", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["tickets"] == total
    assert total < 377  # not the demo data's 377 tickets
