"""Time the spec's report SQL, our engine and a whole dashboard view, side by side.

For each scale and database: seed the mock data, then take the median of several runs
of (a) the spec's five queries as written (sql/reports/spec, MySQL only: they use
MySQL functions), (b) our engine's five equivalents run live in the database, (c) one
dashboard view = all twelve reports for one filter combination from the in-memory facts
cache, and the cache's own costs (first build, a no-change check, an incremental
refresh after one new message). Prints a table with ratios; see BENCHMARKS.md.

    python benchmarks/run.py --scales 1 10 100 --runs 5
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.filters import Filters  # noqa: E402
from dashboard.reports import REPORTS  # noqa: E402
from dashboard.schema import MESSAGE, metadata  # noqa: E402
from dashboard.store import FactsStore  # noqa: E402
from seeds import populate  # noqa: E402

SPEC_FIVE = (
    "resolution-time",
    "agents-per-ticket",
    "tickets-per-agent",
    "resolution-time-by-month",
    "agent-ratings",
)
VIEW_FILTERS = {
    "all tickets": Filters(),
    "month+category": Filters(month="2025-03", category="Bug report"),
}


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def spec_sql(name: str) -> str:
    return (ROOT / "sql" / "reports" / "spec" / f"{name}.sql").read_text()


def seed(engine, scale: float) -> float:
    metadata.drop_all(engine)
    metadata.create_all(engine)
    start = time.perf_counter()
    with engine.begin() as conn:
        populate(conn, seed=42, scale=scale)
    return time.perf_counter() - start


def add_one_message(engine) -> None:
    """One customer reply on the newest ticket: what a live refresh typically sees."""
    with engine.begin() as conn:
        last = conn.execute(
            select(MESSAGE).order_by(MESSAGE.c.message_id.desc()).limit(1)
        ).one()
        conn.execute(
            insert(MESSAGE).values(
                message_id=last.message_id + 1,
                ticket_id=last.ticket_id,
                sender_id=last.sender_id,
                message_sent_time=last.message_sent_time + timedelta(minutes=5),
                message_text="Any news on this?",
            )
        )


def bench(engine, label: str, scale: float, runs: int, mysql: bool) -> list[tuple]:
    rows = []

    def row(what, seconds, baseline=None):
        ratio = f"{seconds / baseline:.2f}" if baseline else ""
        rows.append((label, f"{scale:g}x", what, f"{seconds * 1000:,.1f}", ratio))

    row("seed (generate + load)", seed(engine, scale))
    spec_total = None
    if mysql:
        spec_total = 0.0
        for name in SPEC_FIVE:
            sql = text(spec_sql(name))
            with engine.connect() as conn:
                spec = median_time(lambda: conn.execute(sql).fetchall(), runs)  # noqa: B023
                ours = median_time(lambda: REPORTS[name](conn, Filters()), runs)  # noqa: B023
            spec_total += spec
            row(f"spec SQL      {name}", spec)
            row(f"engine (live) {name}", ours, spec)
        row("spec SQL      all five", spec_total)
    with engine.connect() as conn:
        live_view = median_time(
            lambda: [f(conn, Filters()) for f in REPORTS.values()], max(1, runs // 2)
        )
    row("view, live SQL (12 reports)", live_view, spec_total)
    cache = FactsStore(engine)
    row("cache: first build", median_time(cache.refresh, 1))
    for what, filters in VIEW_FILTERS.items():
        view = median_time(lambda: [cache.run(n, filters) for n in REPORTS], runs)  # noqa: B023
        row(f"view, cached ({what})", view, spec_total)
    row("cache: check, nothing changed", median_time(cache.refresh, runs))

    def one_new_message():
        add_one_message(engine)
        assert cache.refresh()

    row("cache: refresh after 1 new message", median_time(one_new_message, runs))
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument(
        "--mysql-server",
        default="mysql+pymysql://root@127.0.0.1:3306/",
        help="server URL; a scratch database csd_bench is created and dropped",
    )
    p.add_argument("--no-mysql", action="store_true")
    args = p.parse_args()

    results = []
    for scale in args.scales:
        lite = create_engine("sqlite://")
        results += bench(lite, "SQLite", scale, args.runs, mysql=False)
        lite.dispose()
        if not args.no_mysql:
            server = create_engine(args.mysql_server)
            with server.begin() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS csd_bench"))
                conn.execute(text("CREATE DATABASE csd_bench CHARACTER SET utf8mb4"))
            my = create_engine(f"{args.mysql_server.rstrip('/')}/csd_bench")
            try:
                results += bench(my, "MariaDB", scale, args.runs, mysql=True)
            finally:
                my.dispose()
                with server.begin() as conn:
                    conn.execute(text("DROP DATABASE IF EXISTS csd_bench"))
                server.dispose()
        print(f"done {scale:g}x", file=sys.stderr, flush=True)

    header = ("database", "scale", "what", "median ms", "x spec")
    widths = [max(len(str(r[i])) for r in [header, *results]) for i in range(5)]
    for r in [header, *results]:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
