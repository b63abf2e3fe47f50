"""Measure the dashboard against issue 9's targets, side by side in one run.

    python benchmarks/run.py --scales 1 100 1000            # everything
    python benchmarks/run.py --scales 1000 --sections seed engines views

For each scale, on MariaDB, in a database whose schema has only primary and foreign
keys (a support database nobody designed for us; `csd_bench_<N>x`, kept between
runs that leave out the seed section):

- seed      `support-dashboard seed --scale N` into it anew: wall and CPU seconds.
- engines   the facts store pulling MESSAGE row by row, and as it ships (packed
            ranges): load seconds, peak memory, one view's reports. (The engine
            before the facts store was measured beside it for issue 9; its figures
            stay in BENCHMARKS.md.)
- views     server time of one view (every report, the figures, the JSON) for three
            filter sets, and a second viewer of the same view over HTTP (cached).
- refresh   an auto-refresh check with nothing new, and one that picks up a message.
- reconcile the reconcile's checksums alone (the support database's time, per
            table), a reconcile with nothing changed, after two tickets swap their
            categories, after an agent is renamed; the memory it adds.
- cli       each of the spec's five reports: the spec's query as written against
            `support-dashboard report`'s query (direct SQL), alternating.
- startup   the Procfile command (2 workers x 4 threads), without and with Redis:
            seconds until the whole dashboard answers with data, the slowest
            request meanwhile, worker timeouts.
- export    the full tickets CSV through the Procfile command: seconds, size, how
            much a worker's memory grew while it streamed.
- load      locust, 50 users for 60 s on the Procfile command: the filter change's
            median and 95th percentile, failures (needs --locust: a locust in a
            virtualenv of its own, as dash[testing] pins an old urllib3).
- browser   headless Chromium: bytes of a first visit, and a filter change from the
            click to every chart redrawn.

Medians of --runs runs. Prints a Markdown table (BENCHMARKS.md holds the figures)
and writes every number to benchmarks/results/<date>.json.
"""

import argparse
import contextlib
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import (  # noqa: E402
    MetaData,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
    text,
)

from dashboard.data.filters import Filters  # noqa: E402
from dashboard.data.schema import MESSAGE, metadata  # noqa: E402

SPEC_FIVE = (
    "resolution-time",
    "agents-per-ticket",
    "tickets-per-agent",
    "resolution-time-by-month",
    "agent-ratings",
)
VIEWS = {
    "all tickets": {},
    "one month": {"month": "2025-03"},
    "an agent and a category": {"agent": 3, "category": "Bug report"},
}
ROWS: list[dict] = []


def row(section: str, scale: float, what: str, value, unit: str = "ms", **extra):
    """One measured figure; printed at the end."""
    entry = {"section": section, "scale": f"{scale:g}x", "what": what}
    entry.update(value=value, unit=unit, **extra)
    ROWS.append(entry)
    shown = "—" if value is None else f"{value:,.1f}"
    print(f"  {section:8} {scale:g}x  {what}: {shown} {unit}", file=sys.stderr)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def python() -> str:
    return sys.executable


# --------------------------------------------------------------------- databases


def bare_metadata() -> MetaData:
    """The support tables with primary and foreign keys only: no index of ours, no
    unique constraint (MySQL indexes every foreign key by itself)."""
    bare = MetaData()
    for table in metadata.sorted_tables:
        copy = table.to_metadata(bare)
        copy.indexes.clear()
        for constraint in list(copy.constraints):
            if isinstance(constraint, UniqueConstraint):
                copy.constraints.discard(constraint)
    return bare


def database(server: str, scale: float) -> str:
    name = f"csd_bench_{str(scale).replace('.', '_')}x"
    return f"{server.rstrip('/')}/{name}"


def seeded(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT COUNT(*) FROM MESSAGE")).scalar())
    except Exception:  # noqa: BLE001 - no database or no tables: not seeded
        return False
    finally:
        engine.dispose()


def seed(server: str, scale: float, force: bool) -> None:
    """A database with the mock data at `scale` on the bare schema; when `force`
    (the seed section), made anew and timed."""
    url = database(server, scale)
    if seeded(url) and not force:
        print(f"  seed     {scale:g}x  kept {url}", file=sys.stderr)
        return
    name = url.rsplit("/", 1)[1]
    root = create_engine(server)
    with root.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    root.dispose()
    engine = create_engine(url)
    bare_metadata().create_all(engine)
    engine.dispose()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            python(),
            "-m",
            "dashboard",
            "seed",
            "--database-url",
            url,
            "--scale",
            str(scale),
        ],
        check=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": ""},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    row("seed", scale, "seed (generate and bulk load), wall", wall, "s")
    row("seed", scale, "seed, CPU of the seeding process", cpu, "s")


# ------------------------------------------------------------ child processes


def child(mode: str, url: str, *args: str, timeout: float | None = None) -> dict | None:
    """Run this script as `--child mode url args...` in a fresh process (its own
    memory figure); its JSON, or None when it ran out of `timeout` seconds."""
    try:
        done = subprocess.run(
            [python(), __file__, "--child", mode, url, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        raise RuntimeError(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _loaded_store(url: str, packed: bool = True):
    from dashboard.engine import pull
    from dashboard.engine.store import FactsStore

    if not packed:
        source = pull.SOURCES["MESSAGE"]
        pull.SOURCES["MESSAGE"] = type(source)(
            source.table, source.key, source.columns, packed=False
        )
    store = FactsStore(create_engine(url))
    started = time.perf_counter()
    store.refresh()
    return store, time.perf_counter() - started


def child_load(url: str, variant: str, runs: str) -> dict:
    """The facts store's first load, and one view's reports on it."""
    from dashboard.web import view_data

    store, seconds = _loaded_store(url, packed=variant == "packed")
    view = median_time(lambda: view_data.load(store, Filters()), int(runs))
    return {"load_s": seconds, "peak_mb": _peak_mb(), "reports_s": view}


def child_views(url: str, runs: str) -> dict:
    """Server time of one view, computed; and over HTTP for a second viewer."""
    from dash._utils import to_json

    from dashboard.config import Settings, database_url
    from dashboard.data.db import make_engine
    from dashboard.testing.callbacks import UPDATE, body
    from dashboard.ui.ids import APPLIED_FILTERS, KPI_CAPTION
    from dashboard.web import view_data
    from dashboard.web.app import create_app
    from dashboard.web.callbacks.view import render

    app = create_app(
        Settings(refresh_seconds=0, database_url=database_url(url)),
        engine=make_engine(database_url(url), query_timeout=0),
    )
    app.loader.check()  # the first load, as the loader thread does it
    store = app.loader.store
    out = {}
    for label, values in VIEWS.items():
        filters = Filters(**values)
        reports = median_time(lambda f=filters: view_data.load(store, f), int(runs))
        data = view_data.load(store, filters)
        figures = median_time(lambda s=data: render(s), int(runs))
        rendered = render(data)
        encode = median_time(lambda r=rendered: to_json(r), int(runs))
        whole = median_time(
            lambda f=filters: to_json(render(view_data.load(store, f))), int(runs)
        )
        out[label] = {"reports": reports, "figures": figures, "json": encode}
        out[label]["view"] = whole
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    applied = f"{APPLIED_FILTERS}.data"
    request = body(
        deps, applied, {applied: VIEWS["one month"]}, f"{KPI_CAPTION}.children"
    )
    client.post(UPDATE, json=request)  # the first viewer computes it
    out["second viewer"] = median_time(
        lambda: client.post(UPDATE, json=request).get_data(), int(runs)
    )
    return out


def child_refresh(url: str, runs: str) -> dict:
    """An auto-refresh check with nothing new; one after a new message arrives."""
    store, _ = _loaded_store(url)
    quiet = median_time(store.refresh, int(runs))
    writer = create_engine(url)
    times = []
    for _ in range(int(runs)):
        with writer.begin() as conn:
            last = conn.execute(
                select(MESSAGE).order_by(MESSAGE.c.message_id.desc()).limit(1)
            ).one()
            conn.execute(
                insert(MESSAGE).values(
                    ticket_id=last.ticket_id,
                    sender_id=last.sender_id,
                    message_sent_time=last.message_sent_time + timedelta(minutes=5),
                    message_text="Any news on this?",
                )
            )
        started = time.perf_counter()
        assert store.refresh()
        times.append(time.perf_counter() - started)
    writer.dispose()
    return {"quiet_s": quiet, "new_message_s": statistics.median(times)}


def child_reconcile(url: str, runs: str) -> dict:
    """The reconcile (engine/checksums.py) on a loaded store."""
    from dashboard.data.schema import AGENT, TICKET
    from dashboard.engine import checksums

    store, _ = _loaded_store(url)
    before_mb = _peak_mb()
    source = store.source
    out: dict = {"tables": {}}
    with source.connect() as conn:
        for name in checksums.TABLES:
            stmt = checksums.statement(name)
            out["tables"][name] = median_time(
                lambda s=stmt: conn.execute(s).all(), int(runs)
            )
        out["take_s"] = median_time(lambda: checksums.take(conn), int(runs))
    out["quiet_s"] = median_time(store.reconcile, int(runs))
    out["sums_bytes"] = len(json.dumps(store.meta.sums.as_json()))
    writer = create_engine(url)

    def timed(edit) -> float:
        times = []
        for _ in range(int(runs)):
            with writer.begin() as conn:
                edit(conn)
            started = time.perf_counter()
            assert store.reconcile()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    def swap(conn):
        t = TICKET.c
        middle = conn.execute(select(func.max(t.ticket_id))).scalar() // 2
        rows = conn.execute(
            select(t.ticket_id, t.ticket_category)
            .where(t.ticket_id >= middle)
            .order_by(t.ticket_id)
            .limit(40)
        ).all()
        a = rows[0]
        b = next(r for r in rows if r.ticket_category != a.ticket_category)
        for ticket, category in ((a, b.ticket_category), (b, a.ticket_category)):
            conn.execute(
                TICKET.update()
                .where(t.ticket_id == ticket.ticket_id)
                .values(ticket_category=category)
            )

    def rename(conn):
        first = conn.execute(
            select(AGENT.c.agent_first_name).where(AGENT.c.agent_id == 3)
        ).scalar_one()
        conn.execute(
            AGENT.update()
            .where(AGENT.c.agent_id == 3)
            .values(agent_first_name=first + "x")
        )

    out["swap_s"] = timed(swap)
    out["rename_s"] = timed(rename)
    writer.dispose()
    out["extra_mb"] = _peak_mb() - before_mb
    return out


# ------------------------------------------------------------------- sections


def engines(server: str, scale: float, runs: int) -> None:
    url = database(server, scale)
    for variant, label in (("rows", "row by row"), ("packed", "packed ranges")):
        result = child("load", url, variant, str(runs))
        row(
            "engines",
            scale,
            f"facts store, MESSAGE {label}: first load",
            result["load_s"],
            "s",
        )
        row(
            "engines",
            scale,
            f"facts store, MESSAGE {label}: peak memory",
            result["peak_mb"],
            "MB",
        )
    row(
        "engines",
        scale,
        "facts store: one view's reports (all tickets)",
        result["reports_s"] * 1000,
    )


def views(server: str, scale: float, runs: int) -> None:
    result = child("views", database(server, scale), str(runs))
    for label in VIEWS:
        parts = result[label]
        row(
            "views",
            scale,
            f"one view, {label} (reports + figures + JSON)",
            parts["view"] * 1000,
            reports=parts["reports"] * 1000,
            figures=parts["figures"] * 1000,
            json=parts["json"] * 1000,
        )
    row(
        "views",
        scale,
        "the same view for a second viewer (HTTP, cached)",
        result["second viewer"] * 1000,
    )


def refresh(server: str, scale: float, runs: int) -> None:
    result = child("refresh", database(server, scale), str(runs))
    row("refresh", scale, "auto-refresh check, nothing new", result["quiet_s"] * 1000)
    row(
        "refresh",
        scale,
        "auto-refresh picking up one new message",
        result["new_message_s"] * 1000,
    )


def reconcile(server: str, scale: float, runs: int, url: str | None = None) -> None:
    result = child("reconcile", url or database(server, scale), str(runs))
    for name, seconds in result["tables"].items():
        row("reconcile", scale, f"checksums of {name}", seconds * 1000)
    row("reconcile", scale, "checksums of every table", result["take_s"] * 1000)
    row("reconcile", scale, "reconcile, nothing changed", result["quiet_s"] * 1000)
    row(
        "reconcile",
        scale,
        "reconcile after two tickets swap categories",
        result["swap_s"] * 1000,
    )
    row(
        "reconcile", scale, "reconcile after an agent rename", result["rename_s"] * 1000
    )
    row("reconcile", scale, "memory the reconciles added", result["extra_mb"], "MB")
    row("reconcile", scale, "the sums, as JSON", result["sums_bytes"] / 1000, "kB")


def cli(server: str, scale: float, runs: int) -> None:
    """The spec's query as written, and the same report as `support-dashboard
    report` computes it (its function directly on the database), alternating on one
    connection; the whole command (process start included) as an extra."""
    from dashboard.data.reports import REPORTS

    url = database(server, scale)
    engine = create_engine(url)
    for name in SPEC_FIVE:
        spec = text((ROOT / "sql" / "reports" / "spec" / f"{name}.sql").read_text())
        spec_times, ours = [], []
        for _ in range(runs):
            with engine.connect() as conn:
                # as written: three of them fail under ONLY_FULL_GROUP_BY
                conn.execute(text("SET SESSION sql_mode = ''"))
                started = time.perf_counter()
                conn.execute(spec).fetchall()
                spec_times.append(time.perf_counter() - started)
            with engine.connect() as conn:
                started = time.perf_counter()
                REPORTS[name](conn, Filters())
                ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(
            [python(), "-m", "dashboard", "report", name, "--database-url", url],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "QUERY_TIMEOUT_SECONDS": "0"},
        )
        command = time.perf_counter() - started
        spec_s, ours_s = statistics.median(spec_times), statistics.median(ours)
        row("cli", scale, f"spec SQL as written: {name}", spec_s * 1000)
        row(
            "cli",
            scale,
            f"support-dashboard report {name}",
            ours_s * 1000,
            ratio=ours_s / spec_s,
            whole_command_ms=command * 1000,
        )
    engine.dispose()


@contextlib.contextmanager
def procfile(url: str, env: dict | None = None):
    from dashboard.testing.procfile import running

    with tempfile.TemporaryDirectory() as tmp:
        settings = {
            "DATABASE_URL": url,
            "AUTH": "off",
            "REFRESH_SECONDS": "30",
            "QUERY_TIMEOUT_SECONDS": "30",
            **(env or {}),
        }
        with running(Path(tmp), workers=2, env=settings) as server:
            yield server


def _timed_get(url: str) -> tuple[float, int, bytes]:
    from dashboard.testing.procfile import get

    started = time.perf_counter()
    status, data = get(url, timeout=120)
    return time.perf_counter() - started, status, data


def _redis(redis: str | None) -> tuple[str, dict]:
    """A label and the settings for a run without or with Redis (keys of its own)."""
    if not redis:
        return "without Redis", {}
    return "with Redis", {"REDIS_URL": redis, "REDIS_PREFIX": f"bench-{time.time_ns()}"}


def _loaded(web) -> bool:
    """Whether the worker that answers has the data (/healthz's data version)."""
    return (
        json.loads(_timed_get(web.base + "/healthz")[2]).get("data_version") is not None
    )


def startup(server: str, scale: float, redis: str | None) -> None:
    label, env = _redis(redis)
    with procfile(database(server, scale), env) as web:
        started = time.perf_counter()
        web.wait_until_listening()
        slowest, ready_at, streak = 0.0, None, 0
        while time.perf_counter() - started < 600:
            for path in ("/", "/_dash-layout"):
                slowest = max(slowest, _timed_get(web.base + path)[0])
            took = time.perf_counter()
            streak = streak + 1 if _loaded(web) else 0
            slowest = max(slowest, time.perf_counter() - took)
            if streak >= 8:  # eight in a row: both workers have the data
                ready_at = time.perf_counter() - started
                break
            time.sleep(0.25)
        timeouts = web.output().count("WORKER TIMEOUT")
    row(
        "startup",
        scale,
        f"Procfile command, {label}: whole dashboard answers with data",
        ready_at,
        "s",
    )
    row(
        "startup",
        scale,
        f"Procfile command, {label}: slowest request while loading",
        slowest * 1000,
    )
    row("startup", scale, f"Procfile command, {label}: worker timeouts", timeouts, "")


def load(server: str, scale: float, locust: str, redis: str | None) -> None:
    label, env = _redis(redis)
    with (
        procfile(database(server, scale), env) as web,
        tempfile.TemporaryDirectory() as tmp,
    ):
        web.wait_until_listening()
        while not _loaded(web):
            time.sleep(1)
        time.sleep(5)  # the other worker too
        subprocess.run(
            [
                locust,
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                "50",
                "-r",
                "10",
                "-t",
                "60s",
                "--host",
                web.base,
                "--csv",
                f"{tmp}/load",
                "--only-summary",
            ],
            capture_output=True,  # exits 1 on any failure: counted below
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        stats = (Path(tmp) / "load_stats.csv").read_text().splitlines()
        failures = (Path(tmp) / "load_failures.csv").read_text()
    if "filter change" in failures or "tickets page" in failures:
        print(failures[:2000], file=sys.stderr)
    for entry in csv.DictReader(stats):
        if entry["Name"] == "filter change":
            extra = {
                "requests": int(entry["Request Count"]),
                "failures": int(entry["Failure Count"]),
                "p50_ms": float(entry["50%"]),
            }
            row(
                "load",
                scale,
                f"50 users x 60 s, {label}: filter change, 95th percentile",
                float(entry["95%"]),
                **extra,
            )


def export(server: str, scale: float) -> None:
    """The full tickets CSV through the Procfile command: seconds, size, and how
    much any worker's memory grew while it streamed (sampled every 50 ms)."""
    import psutil

    with procfile(database(server, scale)) as web:
        web.wait_until_listening()
        while not _loaded(web):
            time.sleep(1)
        time.sleep(5)  # the other worker too
        processes = psutil.Process(web.proc.pid).children(recursive=True)
        before = {p.pid: p.memory_info().rss for p in processes}
        peak, done = dict(before), threading.Event()

        def sample():
            while not done.is_set():
                for p in processes:
                    with contextlib.suppress(psutil.Error):
                        peak[p.pid] = max(peak[p.pid], p.memory_info().rss)
                done.wait(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        size = lines = 0
        started = time.perf_counter()
        url = web.base + "/download/tickets.csv"
        with urllib.request.urlopen(url, timeout=600) as response:
            while chunk := response.read(1 << 16):
                size, lines = size + len(chunk), lines + chunk.count(b"\n")
        took = time.perf_counter() - started
        done.set()
        sampler.join()
    grown = max(peak[pid] - before[pid] for pid in before) / 2**20
    row(
        "export",
        scale,
        "full tickets CSV download (Procfile command)",
        took,
        "s",
        rows=lines - 1,
        size_mb=size / 2**20,
        worker_memory_growth_mb=grown,
    )


def browser(server: str, scale: float, runs: int) -> None:
    result = json.loads(
        subprocess.run(
            [
                python(),
                str(ROOT / "benchmarks" / "browser.py"),
                database(server, scale),
                str(runs),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    row(
        "browser",
        scale,
        "first visit: bytes transferred",
        result["first_visit_mb"],
        "MB",
    )
    row(
        "browser",
        scale,
        "filter change, click to every chart redrawn",
        result["filter_change_s"] * 1000,
    )


# ------------------------------------------------------------------------- main

CHILDREN = {
    "load": child_load,
    "views": child_views,
    "refresh": child_refresh,
    "reconcile": child_reconcile,
}
SECTIONS = (
    "seed",
    "engines",
    "views",
    "refresh",
    "reconcile",
    "cli",
    "startup",
    "export",
    "load",
    "browser",
)


# C901 allowed: one flag per section, each a line of dispatch.
def main() -> int:  # noqa: C901
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=float, nargs="+", default=[1, 100, 1000])
    p.add_argument("--sections", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--mysql-server", default="mysql+pymysql://root@127.0.0.1:3306")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    p.add_argument("--locust", help="a locust executable (its own virtualenv)")
    p.add_argument(
        "--database-url", help="measure the reconcile on this database instead"
    )
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        mode, *rest = args.child
        print(json.dumps(CHILDREN[mode](*rest)))
        return 0

    server = args.mysql_server
    for scale in args.scales:
        print(f"== {scale:g}x", file=sys.stderr)
        seed(server, scale, force="seed" in args.sections)  # else reuse it
        runs = args.runs if scale < 1000 else max(2, args.runs // 2)
        if "engines" in args.sections:
            engines(server, scale, runs)
        if "views" in args.sections:
            views(server, scale, runs)
        if "refresh" in args.sections:
            refresh(server, scale, runs)
        if "reconcile" in args.sections:
            reconcile(server, scale, runs, args.database_url)
        if "cli" in args.sections:
            cli(server, scale, 2 if scale >= 1000 else runs)
        if "startup" in args.sections:
            startup(server, scale, None)
            startup(server, scale, args.redis)
        if "export" in args.sections:
            export(server, scale)
        if "load" in args.sections and args.locust:
            load(server, scale, args.locust, None)
            load(server, scale, args.locust, args.redis)
        if "browser" in args.sections:
            browser(server, scale, runs)

    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    out = ROOT / "benchmarks" / "results" / f"{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(ROWS, indent=1))
    print("| section | scale | what | median | |")
    print("| --- | --- | --- | ---: | --- |")
    for r in ROWS:
        value = "—" if r["value"] is None else f"{r['value']:,.1f} {r['unit']}"
        extra = {
            k: v
            for k, v in r.items()
            if k not in ("section", "scale", "what", "value", "unit")
        }
        notes = ", ".join(
            f"{k} {v:,.2f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in extra.items()
        )
        print(f"| {r['section']} | {r['scale']} | {r['what']} | {value} | {notes} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
