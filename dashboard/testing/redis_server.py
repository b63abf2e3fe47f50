"""A redis-server of a test's own, on a free loopback port: plain, or TLS-only with
a certificate the test made (trustme), so that it can be frozen (SIGSTOP) or
refused without touching the Redis other tests share. Stopped by its PID."""

import contextlib
import signal
import socket
import subprocess
import time
from pathlib import Path

from dashboard.testing.procfile import free_port


class RedisServer:
    def __init__(self, proc: subprocess.Popen, port: int, scheme: str):
        self.proc, self.port, self.scheme = proc, port, scheme

    def url(self, query: str = "") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/0" + (
            f"?{query}" if query else ""
        )

    def freeze(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def running(tmp_path: Path, tls_files: tuple[Path, Path, Path] | None = None):
    """A redis-server; with `tls_files` (cert, key, CA) it speaks only TLS."""
    port = free_port()
    args = ["redis-server", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    if tls_files:
        cert, key, ca = tls_files
        args += ["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert)]
        args += ["--tls-key-file", str(key), "--tls-ca-cert-file", str(ca)]
        args += ["--tls-auth-clients", "no"]
    else:
        args += ["--port", str(port), "--bind", "127.0.0.1"]
    log = (tmp_path / f"redis-{port}.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    server = RedisServer(proc, port, "rediss" if tls_files else "redis")
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"redis-server did not start on {port}")
            time.sleep(0.05)
        yield server
    finally:
        server.thaw()  # a frozen server cannot act on SIGTERM
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
