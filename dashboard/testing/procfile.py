"""The Procfile's `web` command, run as a PaaS runs it: through a shell, PORT set, in
its own process group (stopped as one), its output kept for the test to read."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def web_command(root: Path = ROOT) -> str:
    for line in (root / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web: line")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running Procfile command: `base` URL, `output()` so far."""

    def __init__(self, proc: subprocess.Popen, base: str, log: Path):
        self.proc, self.base, self.log = proc, base, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_listening(self, timeout: float = 60) -> None:
        """Until the port accepts connections (gunicorn's master binds it before
        any worker has loaded the app: no request is sent here)."""
        port = int(self.base.rsplit(":", 1)[1])
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.output()}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on {port} after {timeout} s")
            time.sleep(0.1)

    def wait_for_output(self, pattern: str, count: int = 1, timeout: float = 60):
        """Until `pattern` (a regex) occurs `count` times in the output."""
        deadline = time.monotonic() + timeout
        while len(re.findall(pattern, self.output())) < count:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} x {pattern!r}:\n{self.output()}")
            time.sleep(0.1)


@contextlib.contextmanager
def running(
    tmp_path: Path,
    workers: int = 2,
    cwd: Path = ROOT,
    bin_dir: Path | None = None,
    env: dict | None = None,
):
    """The Procfile's web command with `workers` gunicorn workers on the demo data
    (no DATABASE_URL), gunicorn and python from `bin_dir` (this interpreter's by
    default)."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(env or {})
    environ["PORT"] = str(port)
    environ["WEB_CONCURRENCY"] = str(workers)
    bin_dir = bin_dir or Path(sys.executable).parent
    environ["PATH"] = os.pathsep.join([str(bin_dir), environ["PATH"]])
    log = tmp_path / f"web-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "-c", "exec " + web_command(cwd)],
            cwd=cwd,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def import_wsgi(env: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """What a gunicorn worker does first, in a fresh interpreter: import the WSGI
    entry point with exactly `env` as its environment, from `cwd`."""
    return subprocess.run(
        [sys.executable, "-c", "import dashboard.web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    """Status and body of a GET on a fresh connection; HTTP errors are answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def script_urls(page: str) -> list[str]:
    """The src of every <script> in an HTML page, in order."""
    return re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
