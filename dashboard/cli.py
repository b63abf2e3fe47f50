"""The `support-dashboard` console script: seed, report, serve, simulate,
hash-password.

Every expected failure ends as one line on stderr, never a traceback, and exits 2 for
a command line that cannot be run as given (unknown report, bad filter value, an agent
that does not exist) or 1 for the environment (bad URL or setting, unreachable
database, missing schema).
"""

import argparse
import contextlib
import getpass
import json
import logging
import math
import sys
import threading
import time
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from tqdm import tqdm

from dashboard.config import ConfigError, Settings, environment
from dashboard.data import export, formats
from dashboard.data.admin import create_missing_database
from dashboard.data.db import (
    DatabaseError,
    check_schema,
    describe,
    friendly_error,
    make_engine,
    missing_tables,
)
from dashboard.data.filters import FilterError, Filters
from dashboard.data.reports import REPORTS, SHARES, definition
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, TICKET, metadata
from dashboard.data.values import MAX_ID
from seeds.demo import open_engine


class UsageError(ValueError):
    """A command line that cannot be run as given."""


def _settings(args) -> Settings:
    """The environment's settings (.env included), with --database-url in place of
    DATABASE_URL (so DATABASE_SSL_CA applies to it, and it decides
    SHOW_PERSONAL_DATA's default)."""
    env = environment()
    if getattr(args, "database_url", None):
        env["DATABASE_URL"] = args.database_url
    return Settings.from_env(env)


@contextlib.contextmanager
def _progress_bar():
    """populate's `progress(done, total)`, drawn as a tqdm bar on stderr, only on a
    terminal (disable=None)."""
    with tqdm(desc="seeding", unit=" rows", disable=None, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def cmd_seed(args) -> int:
    from seeds import populate

    settings = _settings(args)
    url = settings.database_url
    where = describe(url)
    if url is not None and url.get_backend_name() == "mysql":
        created = create_missing_database(url)
        if created:
            print(f"created database {created} (utf8mb4) at {where}")
    # An operator's bulk write at a terminal: QUERY_TIMEOUT_SECONDS, which keeps the
    # dashboard's readers from hanging, would cut off a large load. LOAD DATA LOCAL
    # INFILE is the bulk load (seeds.load); only this short-lived engine allows it:
    # a server may ask such a client for any file it can read.
    engine = make_engine(url, query_timeout=0, local_infile=True)
    try:
        with engine.connect() as conn:
            present = set(metadata.tables) - set(missing_tables(engine))
            if TICKET.name in present and not args.drop:
                tickets = conn.execute(
                    select(func.count()).select_from(TICKET)
                ).scalar()
                if tickets:
                    raise UsageError(
                        f"{where} already holds {tickets:,} tickets; nothing was "
                        "changed (pass --drop to replace all support data)"
                    )
        if args.drop:
            metadata.drop_all(engine)
        metadata.create_all(engine)
        started = time.perf_counter()
        with engine.begin() as conn, _progress_bar() as progress:
            counts = populate(conn, seed=args.seed, scale=args.scale, progress=progress)
    except DBAPIError as exc:
        raise friendly_error(exc, settings.database_url) from exc
    finally:
        engine.dispose()
    elapsed = time.perf_counter() - started
    print(f"seeded {where} with {seeded(counts)} in {elapsed:.1f} s")
    return 0


def seeded(counts: dict[str, int]) -> str:
    """What a seed made, in words: '34 agents, 123 customers, 377 tickets, 6,341
    messages' (the senders are the agents and the customers, so not said again)."""
    words = (
        (AGENT, "agent"),
        (CUSTOMER, "customer"),
        (TICKET, "ticket"),
        (MESSAGE, "message"),
    )
    return ", ".join(
        f"{counts[t.name]:,} {word if counts[t.name] == 1 else word + 's'}"
        for t, word in words
    )


def _json_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def render(df, fmt: str, name: str) -> str:
    """A report's DataFrame as the CLI prints it."""
    if fmt == "csv":
        return export.to_csv(df)
    if fmt == "json":
        rows = [
            {k: _json_value(v) for k, v in row.items()}
            for row in df.astype(object).to_dict("records")
        ]
        return json.dumps(rows, indent=2) + "\n"
    if df.empty:
        body = "(no rows)"
    else:
        lines = for_people(df).to_string(index=False).splitlines()
        body = "\n".join(line.rstrip() for line in lines)  # blanks at row ends
    return f"{name}: {definition(name)}\n\n{body}\n"


def _text(value, share: bool) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if share:
        return formats.percent(value)
    if isinstance(value, (float, Decimal)):
        return formats.decimal(value)
    return str(value)


def for_people(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as the table shows it: blanks for missing values, shares
    (reports.SHARES) as percentages, other fractional numbers (hours, averages) with
    two decimals (formats.py)."""
    return pd.DataFrame(
        {
            col: [_text(v, col in SHARES) for v in df[col].astype(object)]
            for col in df.columns
        }
    )


def check_agent(conn, agent: int) -> None:
    """FilterError unless `agent` is the id of an agent in the database, as the page
    drops an agent filter for an id that does not exist; the message says which
    ids exist and how to see the agents."""
    a = AGENT.c
    if (
        agent <= MAX_ID  # bigger numbers cannot be in an INT column
        and conn.execute(select(a.agent_id).where(a.agent_id == agent)).first()
    ):
        return
    count, low, high = conn.execute(
        select(func.count(), func.min(a.agent_id), func.max(a.agent_id))
    ).one()
    if not count:
        raise FilterError(f"there is no agent {agent}: the database has no agents")
    have = (
        f"the database's only agent has id {low}"
        if count == 1
        else f"the database's {count:,} agents have ids {low} to {high}"
    )
    raise FilterError(
        f"there is no agent {agent}; {have} (`support-dashboard report "
        "tickets-per-agent` lists the agents who worked on tickets, with their names)"
    )


def cmd_report(args) -> int:
    if args.name not in REPORTS:
        raise UsageError(
            f"unknown report {args.name!r}; choose one of: {', '.join(REPORTS)}"
        )
    filters = Filters.parse(args.month, args.agent, args.category, args.status)
    settings = _settings(args)
    try:
        engine = open_engine(
            settings.database_url,
            settings.demo_seed,
            query_timeout=settings.query_timeout_seconds,
        )
        check_schema(engine, settings.database_url)
        with engine.connect() as conn:
            if filters.agent is not None:
                check_agent(conn, filters.agent)
            df = REPORTS[args.name](conn, filters)
    except DBAPIError as exc:
        raise friendly_error(exc, settings.database_url) from exc
    sys.stdout.write(render(df, args.format, args.name))
    return 0


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def _print_step(counts: dict[str, int]) -> None:
    if counts.get("messages"):
        happened = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        print(f"{time.strftime('%H:%M:%S')} {happened}", flush=True)


def cmd_simulate(args) -> int:
    from seeds.simulate import run

    settings = _settings(args)
    if settings.database_url is None:
        print(
            "support-dashboard: note: simulating on a throw-away in-memory database; "
            "pass --database-url to change a real one",
            file=sys.stderr,
        )
    engine = open_engine(
        settings.database_url,
        settings.demo_seed,
        query_timeout=settings.query_timeout_seconds,
    )
    check_schema(engine, settings.database_url)
    stop = threading.Event()
    if args.duration:
        threading.Timer(args.duration, stop.set).start()
    totals = run(engine, args.rate, stop, seed=args.seed, on_step=_print_step)
    print("simulated " + ", ".join(f"{n} {what}" for what, n in totals.items()))
    return 0


def cmd_serve(args) -> int:
    """Run the dashboard with Dash's development server (gunicorn in production);
    with --simulate, the activity simulator writes to the demo database meanwhile."""
    from dashboard.web import proxies
    from dashboard.web.app import create_app
    from seeds.simulate import run

    settings = _settings(args)
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.simulate and settings.database_url is not None:
        raise UsageError(
            "--simulate runs only on the in-memory demo database, so a real one is "
            "never changed by accident; to add activity to "
            f"{describe(settings.database_url)}, run `support-dashboard simulate "
            "--database-url ...` beside the server"
        )
    # The demo engine is a pool of one connection: the simulator and the page's
    # readers take turns on it. Made first: a database that cannot be opened is
    # the one line printed.
    engine = open_engine(
        settings.database_url,
        settings.demo_seed,
        query_timeout=settings.query_timeout_seconds,
    )
    if settings.database_url is not None and not (settings.logins or settings.auth_off):
        print(
            f"support-dashboard: warning: serving {describe(settings.database_url)} "
            "with no login: anyone who can reach this server sees it; set "
            "AUTH_USERS and SECRET_KEY (see README, Deploying)",
            file=sys.stderr,
        )
    if settings.logins and settings.trusted_proxies:
        # serve is reached directly: the login limit would count forged addresses
        print(
            f"support-dashboard: warning: {proxies.warning(settings.trusted_proxies)}",
            file=sys.stderr,
        )
    stop = threading.Event()
    if args.simulate:
        threading.Thread(
            target=run,
            args=(engine, args.rate, stop),
            name="simulator",
            daemon=True,
        ).start()
    app = create_app(settings, engine)
    try:
        # Debug mode as DASH_DEBUG says (Dash reads it; unset: off), never forced.
        app.run(host=args.host or settings.host, port=args.port or settings.port)
    finally:
        stop.set()
    return 0


MIN_PASSWORD = 8


def cmd_hash_password(args) -> int:
    """Read a password from stdin (without echo on a terminal, asked twice) and
    print its hash for AUTH_USERS."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat it: ") != password:
            raise UsageError("the two passwords differ; nothing was printed")
    else:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"a password needs at least {MIN_PASSWORD} characters; nothing was printed"
        )
    from werkzeug.security import generate_password_hash

    print(generate_password_hash(password))  # scrypt, werkzeug's default
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="support-dashboard",
        description="Reports and an auto-refreshing dashboard for a customer-support "
        "database.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    url_help = (
        "database URL, e.g. mysql://user:pass@host:3306/db (default: $DATABASE_URL, "
        "else an in-memory demo database with mock data)"
    )

    seed = sub.add_parser("seed", help="create the schema and fill it with mock data")
    seed.add_argument("--database-url", help=url_help)
    seed.add_argument("--scale", type=float, default=1.0, help="data volume multiplier")
    seed.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    seed.add_argument("--drop", action="store_true", help="replace existing data")
    seed.set_defaults(run=cmd_seed)

    report = sub.add_parser("report", help="print one report")
    report.add_argument("name", help="one of: " + ", ".join(REPORTS))
    report.add_argument("--database-url", help=url_help)
    report.add_argument("--month", help="YYYY-MM: tickets opened that month")
    report.add_argument("--agent", help="agent id: tickets the agent worked on")
    report.add_argument("--category", help="ticket category")
    report.add_argument("--status", help="open or resolved")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.set_defaults(run=cmd_report)

    simulate = sub.add_parser(
        "simulate", help="keep adding realistic activity to a database"
    )
    simulate.add_argument("--database-url", help=url_help)
    simulate.add_argument(
        "--rate", type=_positive, default=1.0, help="messages per second (default 1)"
    )
    simulate.add_argument("--seed", type=int, help="random seed for repeatable runs")
    simulate.add_argument(
        "--duration", type=_positive, help="stop after this many seconds"
    )
    simulate.set_defaults(run=cmd_simulate)

    serve = sub.add_parser("serve", help="run the dashboard web app")
    serve.add_argument("--database-url", help=url_help)
    serve.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default $PORT or 8050)")
    serve.add_argument(
        "--simulate",
        action="store_true",
        help="keep adding activity to the in-memory demo database, so the "
        "auto-refreshing page moves",
    )
    serve.add_argument(
        "--rate",
        type=_positive,
        default=1.0,
        help="with --simulate: messages per second (default 1)",
    )
    serve.set_defaults(run=cmd_serve)

    hash_password = sub.add_parser(
        "hash-password",
        help="read a password from stdin and print its hash for AUTH_USERS",
        description="Read a password from stdin (asked twice, without echo, on a "
        "terminal; the first line of a pipe) and print its hash, for an AUTH_USERS "
        "entry name:role:hash.",
    )
    hash_password.set_defaults(run=cmd_hash_password)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, FilterError) as exc:  # what was typed: argparse's code
        print(f"support-dashboard: error: {exc}", file=sys.stderr)
        return 2
    except (ConfigError, DatabaseError) as exc:  # the environment or the database
        print(f"support-dashboard: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
