"""`support-dashboard serve [--simulate]`: the app runs on the engine the CLI made,
and with --simulate the simulator writes to that same engine meanwhile."""

import time

import pytest
from dash import Dash
from sqlalchemy import text

import dashboard.cli as cli
from dashboard.cli import main


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture
def served(monkeypatch):
    """Run `main` with Dash.run replaced: it records its arguments and how the
    number of tickets in the served database moves for a few seconds."""
    engines, seen = [], {}
    real_open = cli.open_engine

    def open_engine(*args, **kwargs):
        engines.append(real_open(*args, **kwargs))
        return engines[-1]

    def tickets() -> int:
        with engines[0].connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM TICKET")).scalar()

    def fake_run(app, **kwargs):
        seen["kwargs"] = kwargs
        seen["before"] = tickets()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and tickets() == seen["before"]:
            time.sleep(0.1)
        seen["after"] = tickets()

    monkeypatch.setattr(cli, "open_engine", open_engine)
    monkeypatch.setattr(Dash, "run", fake_run)
    return seen


def test_serve001_simulate_adds_tickets_while_serving(served):
    assert main(["serve", "--simulate", "--rate", "60", "--port", "8123"]) == 0
    assert served["kwargs"] == {"host": "127.0.0.1", "port": 8123, "debug": False}
    assert served["after"] > served["before"]


def test_serve003_simulate_refuses_a_real_database(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert main(["serve", "--simulate", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert "--simulate runs only on the in-memory demo database" in err
    assert not (tmp_path / "real.db").exists()
