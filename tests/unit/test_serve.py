"""`support-dashboard serve [--simulate]`: the app runs on the engine the CLI made,
and with --simulate the simulator writes to that same engine meanwhile."""

import time

import pytest
from dash import Dash
from flask import Flask
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


@pytest.mark.slow
def test_serve001_simulate_adds_tickets_while_serving(served):
    assert main(["serve", "--simulate", "--rate", "60", "--port", "8123"]) == 0
    assert served["kwargs"] == {"host": "127.0.0.1", "port": 8123}  # no debug flag
    assert served["after"] > served["before"]


@pytest.mark.parametrize(
    ("environment", "debug"),
    [({}, False), ({"DASH_DEBUG": "false"}, False), ({"DASH_DEBUG": "true"}, True)],
)
def test_serve002_debug_mode_only_when_dash_debug_says_so(
    monkeypatch, environment, debug
):
    """Dash reads DASH_DEBUG (README, Configuration): serve passes no debug flag of
    its own, so the development server runs in debug mode only when it is set."""
    monkeypatch.delenv("DASH_DEBUG", raising=False)
    monkeypatch.setenv("DASH_HOT_RELOAD", "false")  # no file-watching thread left
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    seen = {}

    def fake_run(server, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr(Flask, "run", fake_run)
    assert main(["serve", "--port", "8124"]) == 0
    assert seen["debug"] is debug
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8124)


def test_serve003_simulate_refuses_a_real_database(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert main(["serve", "--simulate", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert "--simulate runs only on the in-memory demo database" in err
    assert not (tmp_path / "real.db").exists()
