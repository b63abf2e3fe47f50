"""The console script as a user runs it: output on stdout, one clear error line on
stderr and a non-zero exit for every expected failure."""

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest
from dash import Dash
from sqlalchemy import create_engine

from dashboard.cli import for_people, main
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import metadata
from dashboard.testing.procfile import import_wsgi
from seeds.demo import demo_engine


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo data (seed 42, scale 1, as the in-memory demo) in a SQLite file, for
    independent SQL."""
    from seeds import populate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=42, scale=1)
    engine.dispose()
    return path


def sql(path, query, *params):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def one_error_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


def test_cli001_report_with_no_configuration_uses_the_demo_data(capsys, tmp_path):
    code, out, err = run(capsys, "report", "tickets-per-agent", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert set(rows[0]) == {"agent_id", "agent", "number_of_tickets"}
    # an independent count, in plain SQL, on the same seeded data written to a file
    db = tmp_path / "demo.db"
    assert run(capsys, "seed", "--database-url", f"sqlite:///{db}")[0] == 0
    expected = sqlite3.connect(db).execute(
        """SELECT a.agent_id, COUNT(DISTINCT m.ticket_id) FROM AGENT a
           JOIN MESSAGE m ON m.sender_id = a.sender_id GROUP BY a.agent_id"""
    )
    assert {r["agent_id"]: r["number_of_tickets"] for r in rows} == dict(expected)


def test_cli002_report_table_starts_with_the_definition(capsys):
    code, out, _ = run(capsys, "report", "backlog")
    assert code == 0
    assert out.startswith("backlog: Open tickets;")
    assert "never_answered" in out


def test_cli003_report_csv(capsys):
    code, out, _ = run(capsys, "report", "agents-per-ticket", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "number_of_agents,number_of_tickets"


def test_cli004_report_filters_narrow_the_result(capsys):
    def tickets(*flags):
        code, out, err = run(capsys, "report", "summary", "--format", "json", *flags)
        assert code == 0, err
        return json.loads(out)[0]["tickets"]

    everything = tickets()
    march = tickets("--month", "2025-03")
    assert 0 < march < everything
    assert 0 < tickets("--month", "2025-03", "--category", "Bug report") < march
    assert tickets("--status", "open") < everything
    assert tickets("--month", "1999-01") == 0


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["report", "nope"], 2, ["unknown report 'nope'", "tickets-per-agent"]),
        (["report", "summary", "--month", "2025-13"], 2, ["month must look like"]),
        (["report", "summary", "--month", "March"], 2, ["month"]),
        (["report", "summary", "--agent", "abc"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "-3"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "-1"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "0"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "²"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "1.5"], 2, ["agent must be"]),
        (["report", "summary", "--agent", "+3"], 2, ["agent must be"]),
        (["report", "summary", "--status", "closed"], 2, ["status must be one of"]),
        (["report", "summary", "--category", "Refund"], 2, ["category must be one of"]),
        (["report", "summary", "--category", "bug"], 2, ["category must be one of"]),
        (
            ["report", "summary", "--database-url", "not a url"],
            1,
            ["not a database URL"],
        ),
        (
            ["report", "summary", "--database-url", "mysql://h:notaport/db"],
            1,
            ["not a database URL"],
        ),
        (
            ["report", "summary", "--database-url", "postgresql://h/db"],
            1,
            ["unsupported database"],
        ),
        (
            ["report", "summary", "--database-url", "mysql://root@127.0.0.1"],
            1,
            ["names no database"],
        ),
        (
            ["report", "summary", "--database-url", "mysql://root@127.0.0.1:1/x"],
            1,
            ["cannot reach the database", "127.0.0.1:1"],
        ),
    ],
)
def test_cli005_errors_are_one_clear_line(capsys, argv, code, words):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert out == ""
    one_error_line(err, *words)


def test_cli006_password_is_never_printed(capsys):
    _, _, err = run(
        capsys, "report", "summary", "--database-url", "mysql://u:s3cret@127.0.0.1:1/x"
    )
    assert "s3cret" not in err
    one_error_line(err, "cannot reach")


def test_cli007_database_without_the_schema(capsys, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    code, _, err = run(
        capsys, "report", "summary", "--database-url", f"sqlite:///{empty}"
    )
    assert code == 1
    one_error_line(err, "has no", "TICKET", "support-dashboard seed")


def test_cli008_seed_refuses_a_non_empty_database_and_changes_nothing(capsys, tmp_path):
    db = tmp_path / "s.db"
    url = f"sqlite:///{db}"
    assert run(capsys, "seed", "--database-url", url, "--scale", "0.1")[0] == 0

    def count():
        return sqlite3.connect(db).execute("SELECT COUNT(*) FROM MESSAGE").fetchone()[0]

    before = count()
    code, _, err = run(capsys, "seed", "--database-url", url)
    assert code == 2
    one_error_line(err, "already holds", "--drop")
    assert count() == before
    code, out, _ = run(capsys, "seed", "--database-url", url, "--drop")
    assert code == 0
    assert "6,341 message" in out
    assert count() == 6341


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli009_seed_draws_its_progress_on_a_terminal_stderr_only(
    capsys, monkeypatch, tmp_path
):
    def seed(name: str) -> tuple[str, str]:
        url = f"sqlite:///{tmp_path / name}"
        code, out, err = run(capsys, "seed", "--database-url", url, "--scale", "0.05")
        assert code == 0, err
        assert out.startswith("seeded ")
        assert out.count("\n") == 1
        return out, err

    assert seed("piped.db")[1] == ""  # stderr is no terminal: no bar at all
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out, _ = seed("terminal.db")
    counts = out.split(" with ")[1].split(" in ")[0].split(", ")  # "317 messages"
    assert [c.split()[1] for c in counts] == [
        "agents",
        "customers",
        "tickets",
        "messages",
    ]
    numbers = [int(count.split()[0].replace(",", "")) for count in counts]
    rows = sum(numbers) + numbers[0] + numbers[1]  # a sender for each agent, customer
    drawn = terminal.getvalue()
    assert "100%" in drawn
    assert f"{rows}/{rows}" in drawn
    assert drawn.endswith("\n")  # the summary starts on a line of its own


def test_cli025_the_seed_says_what_it_made_in_plain_words():
    from dashboard.cli import seeded

    counts = {"SENDER": 157, "AGENT": 34, "CUSTOMER": 123, "TICKET": 377}
    assert seeded({**counts, "MESSAGE": 6341}) == (
        "34 agents, 123 customers, 377 tickets, 6,341 messages"
    )
    one = {"SENDER": 2, "AGENT": 1, "CUSTOMER": 1, "TICKET": 1, "MESSAGE": 1}
    assert seeded(one) == "1 agent, 1 customer, 1 ticket, 1 message"


@pytest.mark.slow
def test_cli010_python_dash_m_runs_the_same_cli():
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "report", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    one_error_line(done.stderr, "unknown report")


@pytest.mark.slow  # computes for seconds
def test_cli011_simulate_adds_activity_and_keeps_the_invariants(capsys, tmp_path):
    from sqlalchemy import create_engine

    from tests.invariants import assert_invariants

    db = tmp_path / "live.db"
    url = f"sqlite:///{db}"
    assert run(capsys, "seed", "--database-url", url, "--scale", "0.05")[0] == 0

    def count():
        return sqlite3.connect(db).execute("SELECT COUNT(*) FROM MESSAGE").fetchone()[0]

    before = count()
    code, out, err = run(
        capsys,
        "simulate",
        "--database-url",
        url,
        "--rate",
        "5",
        "--duration",
        "2.5",
        "--seed",
        "1",
    )
    assert code == 0, err
    assert out.splitlines()[-1].startswith("simulated ")
    assert count() > before
    engine = create_engine(url)
    with engine.connect() as conn:
        assert_invariants(conn)
    engine.dispose()


def test_cli012_simulate_refuses_a_rate_that_is_not_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--rate", "0"])
    assert exit_.value.code == 2
    assert "must be a positive number" in capsys.readouterr().err


# --agent: an id that is not an agent's is refused, as the page drops it


@pytest.mark.parametrize("agent", ["999", str(2**31), str(2**70)])
def test_cli013_report_refuses_an_agent_that_does_not_exist(capsys, demo_file, agent):
    count, low, high = sql(
        demo_file, "SELECT COUNT(*), MIN(agent_id), MAX(agent_id) FROM AGENT"
    )[0]
    assert int(agent) > high
    for where in ([], ["--database-url", f"sqlite:///{demo_file}"]):
        code, out, err = run(capsys, "report", "summary", "--agent", agent, *where)
        assert code == 2
        assert out == ""
        one_error_line(
            err,
            f"there is no agent {agent};",
            f"{count} agents have ids {low} to {high}",
            "support-dashboard report tickets-per-agent",
        )


def test_cli014_report_takes_an_agent_who_exists_also_without_tickets(
    capsys, demo_file, tmp_path
):
    db = tmp_path / "s.db"
    shutil.copy(demo_file, db)
    conn = sqlite3.connect(db)
    with conn:
        sender = conn.execute(
            "INSERT INTO SENDER (sender_type) VALUES ('agent')"
        ).lastrowid
        new = conn.execute(
            """INSERT INTO AGENT (sender_id, agent_email_address, agent_first_name,
               agent_last_name) VALUES (?, 'new@example.com', 'New', 'Hire')""",
            (sender,),
        ).lastrowid
    conn.close()
    url = f"sqlite:///{db}"

    def tickets(agent):
        code, out, err = run(
            capsys,
            "report",
            "summary",
            "--agent",
            str(agent),
            "--database-url",
            url,
            "--format",
            "json",
        )
        assert code == 0, err
        return json.loads(out)[0]["tickets"]

    assert tickets(new) == 0
    worked = sql(
        db,
        """SELECT COUNT(DISTINCT m.ticket_id) FROM MESSAGE m
           JOIN AGENT a ON a.sender_id = m.sender_id WHERE a.agent_id = 1""",
    )[0][0]
    assert worked > 0
    assert tickets(1) == worked


@pytest.mark.parametrize("typed", ["bug report", "BUG REPORT", " Bug Report "])
def test_cli024_report_category_in_any_letter_case(capsys, demo_file, typed):
    """One category matches whatever the letter case, so it is that category."""
    (expected,) = sql(
        demo_file, "SELECT COUNT(*) FROM TICKET WHERE ticket_category = 'Bug report'"
    )[0]
    where = ["--database-url", f"sqlite:///{demo_file}", "--format", "json"]
    code, out, err = run(capsys, "report", "summary", "--category", typed, *where)
    assert code == 0, err
    assert json.loads(out)[0]["tickets"] == expected


def test_cli015_report_agent_on_a_database_without_agents(capsys, tmp_path):
    db = tmp_path / "empty.db"
    engine = create_engine(f"sqlite:///{db}")
    metadata.create_all(engine)
    engine.dispose()
    code, out, err = run(
        capsys, "report", "summary", "--agent", "1", "--database-url", f"sqlite:///{db}"
    )
    assert code == 2
    one_error_line(err, "there is no agent 1", "has no agents")


# --format table: for people; csv and json: exact


def table_rows(out: str) -> list[list[str]]:
    """The table under the definition, as cells (no cell of these holds a space)."""
    body = out.split("\n\n", 1)[1]
    return [line.split() for line in body.splitlines()]


def test_cli016_table_prints_blanks_for_missing_values(capsys):
    code, out, _ = run(capsys, "report", "summary", "--month", "1999-01")
    assert code == 0
    header, row = table_rows(out)
    columns = list(REPORTS["summary"](demo_engine(42).connect(), Filters()).columns)
    assert header == columns
    assert row == ["0"] * 5  # the five counts; every other cell is empty
    assert "None" not in out
    assert "nan" not in out.lower()
    assert all(line == line.rstrip() for line in out.splitlines())


def test_cli017_table_shows_shares_as_percentages(capsys):
    code, out, _ = run(capsys, "report", "rating-distribution")
    assert code == 0
    header, *rows = table_rows(out)
    assert header == ["rating", "tickets", "share", "csat"]
    tickets = {int(r[0]): int(r[1]) for r in rows}
    total = sum(tickets.values())
    csat = f"{100 * (tickets[4] + tickets[5]) / total:.1f}%"
    for _rating, count, share, csat_cell in rows:
        assert share == f"{100 * int(count) / total:.1f}%"
        assert csat_cell == csat


def test_cli018_table_summary_against_sql(capsys, demo_file):
    code, out, _ = run(capsys, "report", "summary")
    assert code == 0
    header, row = table_rows(out)
    cells = dict(zip(header, row, strict=True))
    total, resolved, avg_rating = sql(
        demo_file,
        """SELECT COUNT(*), SUM(ticket_status = 'resolved'), AVG(ticket_rating)
           FROM TICKET""",
    )[0]
    assert cells["tickets"] == str(total)
    assert cells["resolved_share"] == f"{100 * resolved / total:.1f}%"
    assert cells["avg_rating"] == f"{avg_rating:.2f}"
    for hours in ("avg_resolution_time", "median_first_response"):
        whole, _, decimals = cells[hours].partition(".")
        assert whole.isdigit(), cells[hours]
        assert len(decimals) == 2, cells[hours]


def test_cli019_csv_and_json_stay_exact(capsys, demo_file):
    total, resolved = sql(
        demo_file,
        "SELECT COUNT(*), SUM(ticket_status = 'resolved') FROM TICKET",
    )[0]
    code, out, _ = run(capsys, "report", "summary", "--format", "json")
    assert code == 0
    row = json.loads(out)[0]
    assert row["resolved_share"] == pytest.approx(resolved / total, rel=1e-12)
    code, out, _ = run(capsys, "report", "summary", "--format", "csv")
    assert code == 0
    cells = next(csv.DictReader(io.StringIO(out)))
    assert float(cells["resolved_share"]) == row["resolved_share"]
    assert float(cells["avg_rating"]) == row["avg_rating"]
    assert len(cells["resolved_share"].partition(".")[2]) > 4  # not rounded


def test_cli020_for_people_formats_a_frame_cell_by_cell():
    df = pd.DataFrame(
        {
            "agent": ["Ann Lee", None],
            "n": [3, 4],
            "avg_resolution_time": [1.005001, float("nan")],
            "one_touch_share": [0.9, None],
            "csat": [1.0, float("nan")],
            "oldest_wait_hours": [None, 12.0],
        }
    )
    assert for_people(df).values.tolist() == [
        ["Ann Lee", "3", "1.01", "90.0%", "100.0%", ""],
        ["", "4", "", "", "", "12.00"],
    ]


# Read-only commands never create a database file


@pytest.mark.parametrize(
    "command",
    [
        ["report", "summary"],
        ["report", "summary", "--agent", "3"],
        ["serve"],
        ["simulate", "--duration", "1"],
    ],
)
@pytest.mark.parametrize("relative", [False, True])
def test_cli021_a_missing_sqlite_file_is_an_error_and_is_not_created(
    capsys, monkeypatch, tmp_path, command, relative
):
    def never(*args, **kwargs):
        raise AssertionError("the server was started")

    monkeypatch.setattr(Dash, "run", never)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "missing.db"
    url = "sqlite:///missing.db" if relative else f"sqlite:///{path}"
    code, out, err = run(capsys, *command, "--database-url", url)
    assert code == 1
    assert out == ""
    one_error_line(err, f"no such database file {path};", "support-dashboard seed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli022_the_wsgi_entry_point_does_not_create_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "missing.db"
    env = {"DATABASE_URL": f"sqlite:///{path}", "AUTH": "off", "PATH": "/usr/bin:/bin"}
    done = import_wsgi(env)
    assert done.returncode == 4  # gunicorn's "app failed to load": the server stops
    one_error_line(done.stderr, f"no such database file {path};")
    assert list(tmp_path.iterdir()) == []


# .env in the working directory


def test_cli023_dotenv_chooses_the_database_and_the_environment_wins(
    capsys, monkeypatch, tmp_path, demo_file
):
    monkeypatch.chdir(tmp_path)
    assert (
        run(capsys, "seed", "--database-url", "sqlite:///small.db", "--scale", "0.05")[
            0
        ]
        == 0
    )
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///small.db\n")

    def tickets(*flags):
        code, out, err = run(capsys, "report", "summary", "--format", "json", *flags)
        assert code == 0, err
        return json.loads(out)[0]["tickets"]

    small = sql(tmp_path / "small.db", "SELECT COUNT(*) FROM TICKET")[0][0]
    demo = sql(demo_file, "SELECT COUNT(*) FROM TICKET")[0][0]
    assert small != demo
    assert tickets() == small
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo_file}")
    assert tickets() == demo
    assert tickets("--database-url", "sqlite:///small.db") == small
