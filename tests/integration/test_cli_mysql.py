"""`support-dashboard seed` and `report` against the real MariaDB, with the
`mysql://` URL a PaaS add-on hands out."""

import json
import uuid

import pytest
from sqlalchemy import create_engine, text

from dashboard.cli import main
from tests.mysql import SERVER_URL, scratch_database

pytestmark = pytest.mark.mysql


def paas_url(url) -> str:
    return url.set(drivername="mysql").render_as_string(hide_password=False)


def test_seed_then_report_on_mariadb(capsys, monkeypatch):
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


def test_unknown_database_is_one_clear_line(capsys):
    with scratch_database() as url:
        missing = paas_url(url.set(database=url.database + "_missing"))
        assert main(["report", "summary", "--database-url", missing]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "cannot reach the database" in err[0] and "Unknown database" in err[0]


def _server(sql: str, **params):
    """Run one statement on the server (no database); its first value, if any."""
    server = create_engine(SERVER_URL)
    try:
        with server.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.scalar() if result.returns_rows else None
    finally:
        server.dispose()


def test_seed_creates_a_missing_database_in_utf8mb4(capsys, monkeypatch):
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


def test_seed_without_the_right_to_create_it_says_what_to_run(capsys, monkeypatch):
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
