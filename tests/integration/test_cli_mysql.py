"""`support-dashboard seed` and `report` against the real MariaDB, with the
`mysql://` URL a PaaS add-on hands out."""

import json

import pytest
from sqlalchemy import create_engine, text

from dashboard.cli import main
from tests.mysql import scratch_database

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
