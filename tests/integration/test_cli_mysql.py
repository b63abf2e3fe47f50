"""`support-dashboard seed` and `report` against the real MariaDB, with the
`mysql://` URL a PaaS add-on hands out."""

import json

import pytest
from sqlalchemy import create_engine, text

from dashboard.cli import main
from tests.mysql import scratch_database, seeded_database

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
def test_report_refuses_an_agent_that_does_not_exist(capsys, demo_on_mariadb, agent):
    url, engine = demo_on_mariadb
    with engine.connect() as conn:
        count, low, high = conn.execute(
            text("SELECT COUNT(*), MIN(agent_id), MAX(agent_id) FROM AGENT")
        ).one()
    code, out, err = report(capsys, "summary", "--agent", agent, "--database-url", url)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert f"there is no agent {agent}; " in lines[0]
    assert f"{count} agents have ids {low} to {high}" in lines[0]


def test_report_agent_filter_on_mariadb(capsys, demo_on_mariadb):
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


def test_report_table_on_mariadb(capsys, demo_on_mariadb):
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
    assert out.split("\n\n", 1)[1].splitlines()[1].split() == ["0", "0"]
    assert "None" not in out and "nan" not in out.lower()

    code, out, _ = report(capsys, "summary", "--format", "json", "--database-url", url)
    assert json.loads(out)[0]["resolved_share"] == pytest.approx(
        float(resolved) / total, rel=1e-9
    )


def test_dotenv_names_the_mariadb_database(capsys, tmp_path, monkeypatch):
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
