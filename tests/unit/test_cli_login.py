"""The command line's part in logins: `hash-password` as a deployer runs it (from
a pipe, and at a terminal without echo), and `serve`'s warning on a real database
without logins."""

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from dash import Dash
from werkzeug.security import check_password_hash

import dashboard.cli as cli
from dashboard.config import auth_users
from tests.logins import AUTH_USERS, SECRET_KEY

COMMAND = [sys.executable, "-m", "dashboard", "hash-password"]


def hash_password(stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        COMMAND, input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("stdin", "password"),
    [
        ("correct horse battery\n", "correct horse battery"),
        ("no newline at the end", "no newline at the end"),
        ("windows line end\r\n", "windows line end"),
        ("  spaces kept  \nsecond line ignored\n", "  spaces kept  "),
        ("pässwörd-ünïcode\n", "pässwörd-ünïcode"),
    ],
)
@pytest.mark.slow
def test_clilog001_hash_password_from_a_pipe(stdin, password):
    done = hash_password(stdin)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (hashed,) = done.stdout.splitlines()
    assert hashed.startswith("scrypt:")
    assert check_password_hash(hashed, password)
    assert password not in done.stdout
    # What it prints is what AUTH_USERS takes.
    (account,) = auth_users(f"ann:viewer:{hashed}")
    assert account.password_hash == hashed


@pytest.mark.parametrize("stdin", ["", "\n", "short\n"])
@pytest.mark.slow
def test_clilog002_a_short_password_is_refused(stdin):
    done = hash_password(stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "support-dashboard: error: a password needs at least 8 characters; "
        "nothing was printed"
    ]


def _at_a_terminal(*typed: str) -> tuple[int, str]:
    """Run hash-password with a terminal as its stdin (and controlling tty), type
    the lines when asked; return its exit status and everything the terminal
    showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a fresh session whose terminal is the pty
        os.execv(sys.executable, COMMAND)
    shown, pending = b"", list(typed)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal: it is done
                break
            if not chunk:
                break
            shown += chunk
            # Answer each prompt once, after it appears: getpass discards
            # anything typed before it turned echo off.
            prompts = shown.count(b"Password:") + shown.count(b"Repeat it:")
            if pending and prompts > len(typed) - len(pending):
                os.write(fd, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode()


@pytest.mark.slow
def test_clilog003_hash_password_at_a_terminal_asks_twice_without_echo():
    code, shown = _at_a_terminal("typed-at-a-tty", "typed-at-a-tty")
    assert code == 0, shown
    assert "Password:" in shown
    assert "Repeat it:" in shown
    assert "typed-at-a-tty" not in shown  # never echoed
    hashed = shown.strip().splitlines()[-1]
    assert check_password_hash(hashed, "typed-at-a-tty")


@pytest.mark.slow
def test_clilog004_two_different_passwords_at_a_terminal_print_nothing():
    code, shown = _at_a_terminal("first-password", "second-password")
    assert code == 2
    assert "the two passwords differ; nothing was printed" in shown
    assert "scrypt:" not in shown


@pytest.fixture
def serve(monkeypatch, capsys, tmp_path):
    """Run `serve` on a real (SQLite file) database with Dash.run replaced; the
    served app and what was printed on stderr."""
    for name in ("DATABASE_URL", "AUTH", "AUTH_USERS", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    apps = []
    monkeypatch.setattr(Dash, "run", lambda app, **kwargs: apps.append(app))
    path = tmp_path / "support.db"
    sqlite3.connect(path).close()  # serve opens only a file that exists
    url = f"sqlite:///{path}"

    def run(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert cli.main(["serve", "--database-url", url]) == 0
        return apps[-1], capsys.readouterr().err

    return run


def test_clilog005_serve_warns_on_a_real_database_without_logins(serve):
    app, err = serve()
    (warning,) = [line for line in err.splitlines() if "warning" in line]
    assert warning.startswith("support-dashboard: warning: serving ")
    assert warning.endswith(
        "with no login: anyone who can reach this server sees it; set AUTH_USERS "
        "and SECRET_KEY (see README, Deploying)"
    )
    client = app.server.test_client()
    assert client.get("/_dash-layout").status_code == 200  # open, as warned


def test_clilog006_serve_with_logins_asks_for_them(serve):
    app, err = serve(AUTH_USERS=AUTH_USERS, SECRET_KEY=SECRET_KEY, TRUSTED_PROXIES="0")
    assert "warning" not in err
    client = app.server.test_client()
    assert client.get("/_dash-layout").status_code == 401


def test_clilog008_serve_with_logins_warns_that_it_trusts_a_proxy(serve):
    _app, err = serve(AUTH_USERS=AUTH_USERS, SECRET_KEY=SECRET_KEY)
    (warning,) = [line for line in err.splitlines() if "warning" in line]
    assert warning == (
        "support-dashboard: warning: TRUSTED_PROXIES=1: trusting X-Forwarded-For "
        "from the first proxy; set 0 if nothing is in front"
    )


def test_clilog007_serve_behind_a_login_proxy_says_nothing(serve):
    app, err = serve(AUTH="off")
    assert "warning" not in err
