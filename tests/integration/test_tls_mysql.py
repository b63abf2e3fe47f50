"""TLS to the database, for real: a second MariaDB started for this module with a
certificate from a CA made here (trustme), and a user that the server lets in only
over TLS. Plus the normal test server, which has no TLS: asking it for TLS must fail,
never fall back to plain text."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pymysql
import pytest
import trustme
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dashboard.cli import main
from dashboard.config import Settings, database_url
from dashboard.data.db import _on_mysql_connect, friendly_error, make_engine
from tests.mysql import SERVER_URL

pytestmark = [pytest.mark.mysql, pytest.mark.slow]  # starts mariadbd

TLS_FAILED = "A secure connection to the database cannot be set up."


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install mariadb-server)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TlsServer:
    def __init__(self, root: Path, port: int, ca: Path):
        self.root, self.port, self.ca = root, port, ca

    def url(self, query: str = "", host: str = "127.0.0.1", user: str = "tls"):
        return f"mysql://{user}:tls-pw@{host}:{self.port}/tlsdb{query}"


@pytest.fixture(scope="module")
def tls_server():
    """mariadbd on a free port with --ssl-ca/--ssl-cert/--ssl-key from a fresh CA,
    and a user `tls` that REQUIRE SSL; killed and removed afterwards."""
    install_db, mariadbd = _binary("mariadb-install-db"), _binary("mariadbd")
    # In memory when possible: bootstrapping fsyncs a lot, and this is thrown away.
    # Short: the server's socket lives in it.
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="csd-tls-", dir=shm))
    process = None
    try:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")  # not "localhost": VERIFY_IDENTITY sees it
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        as_root = ["--user=root"] if os.geteuid() == 0 else []
        small = [  # a throw-away server: small, and no durability to pay for
            "--innodb-buffer-pool-size=16M",
            "--innodb-log-file-size=4M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
        ]
        subprocess.run(
            [install_db, "--no-defaults", f"--datadir={root / 'data'}",
             "--auth-root-authentication-method=normal", "--skip-test-db",
             "--skip-name-resolve", *as_root, *small],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        port = _free_port()
        sock = root / "mysqld.sock"
        process = subprocess.Popen(
            [mariadbd, "--no-defaults", *as_root, f"--datadir={root / 'data'}",
             f"--socket={sock}", f"--port={port}", "--bind-address=127.0.0.1",
             f"--pid-file={root / 'mysqld.pid'}", f"--log-error={root / 'error.log'}",
             f"--ssl-ca={root / 'ca.pem'}", f"--ssl-cert={root / 'cert.pem'}",
             f"--ssl-key={root / 'key.pem'}", "--skip-log-bin",
             "--skip-name-resolve", *small],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                admin = pymysql.connect(unix_socket=str(sock), user="root")
                break
            except pymysql.err.OperationalError:
                log = root / "error.log"
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text()[-2000:] if log.exists() else "(no log)"
                    raise RuntimeError(
                        f"the TLS MariaDB did not start:\n{tail}"
                    ) from None
                time.sleep(0.05)
        with admin, admin.cursor() as cur:
            cur.execute("SELECT @@have_ssl")
            assert cur.fetchone()[0] == "YES"
            cur.execute("CREATE DATABASE tlsdb")
            cur.execute("CREATE USER 'tls'@'%' IDENTIFIED BY 'tls-pw' REQUIRE SSL")
            cur.execute("GRANT ALL ON tlsdb.* TO 'tls'@'%'")
        yield TlsServer(root, port, root / "ca.pem")
    finally:
        if process is not None:
            process.kill()
            process.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


def cipher(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).one()[1]


def connect_error(url) -> DBAPIError:
    engine = make_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect():
            pass
    finally:
        engine.dispose()
    return caught.value


@pytest.mark.parametrize(
    ("query", "host"),
    [
        ("?ssl-mode=VERIFY_IDENTITY&ssl_ca={ca}", "127.0.0.1"),
        ("?ssl_ca={ca}", "127.0.0.1"),  # a CA alone: VERIFY_CA
        ("?ssl_mode=VERIFY_CA&ssl_ca={ca}", "localhost"),  # the name is not checked
        ("?ssl-mode=REQUIRED", "127.0.0.1"),  # encrypted, not verified
    ],
)
def test_tls001_the_right_ca_connects_encrypted(tls_server, query, host):
    url = database_url(tls_server.url(query.format(ca=tls_server.ca), host=host))
    engine = make_engine(url)
    assert cipher(engine).startswith("TLS_")
    engine.dispose()


def test_tls002_database_ssl_ca_from_the_environment(tls_server, tmp_path):
    settings = Settings.from_env(
        {
            "DATABASE_URL": tls_server.url("?ssl-mode=REQUIRED&reconnect=true"),
            "DATABASE_SSL_CA": str(tls_server.ca),
        }
    )
    engine = make_engine(settings.database_url)
    assert cipher(engine).startswith("TLS_")
    engine.dispose()
    # the CA is really used, also with REQUIRED: another CA is refused
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    wrong = Settings.from_env(
        {
            "DATABASE_URL": tls_server.url("?ssl-mode=REQUIRED"),
            "DATABASE_SSL_CA": str(other),
        }
    )
    error = friendly_error(connect_error(wrong.database_url), wrong.database_url)
    assert error.user_message == TLS_FAILED


def test_tls003_a_wrong_ca_is_refused(tls_server, tmp_path):
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    url = database_url(tls_server.url(f"?ssl-mode=VERIFY_CA&ssl_ca={other}"))
    error = friendly_error(connect_error(url), url)
    assert "over TLS" in str(error)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert "tls-pw" not in str(error)
    assert error.user_message == TLS_FAILED


def test_tls004_verify_identity_checks_the_host_name(tls_server):
    url = database_url(
        tls_server.url(f"?ssl-mode=VERIFY_IDENTITY&ssl_ca={tls_server.ca}", "localhost")
    )
    error = friendly_error(connect_error(url), url)
    assert "over TLS" in str(error), str(error)
    assert "mismatch" in str(error), str(error)
    assert error.user_message == TLS_FAILED


def test_tls005_the_server_refuses_this_user_without_tls(tls_server):
    """What makes the connections above proof of TLS: plain text gets no login."""
    url = database_url(tls_server.url("?ssl-mode=DISABLED"))
    error = friendly_error(connect_error(url), url)
    assert "Access denied for user 'tls'" in str(error)
    assert error.user_message == "The database refused the dashboard's login."


def test_tls006_required_against_a_server_without_tls_fails(capsys, monkeypatch):
    server = make_url(SERVER_URL)
    with pymysql.connect(
        host=server.host, port=server.port or 3306, user=server.username,
        password=server.password or "",
    ) as conn, conn.cursor() as cur:  # fmt: skip
        cur.execute("SELECT @@have_ssl")
        if cur.fetchone()[0] == "YES":
            pytest.skip("the test server offers TLS; this test needs one without")
    plain = server.set(drivername="mysql", database="mysql")
    plain = plain.render_as_string(hide_password=False)
    engine = make_engine(database_url(plain))  # the same server, no TLS asked: fine
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
    for mode in ("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"):
        url = database_url(f"{plain}?ssl-mode={mode}")
        error = friendly_error(connect_error(url), url)
        assert "over TLS" in str(error), str(error)
        assert error.user_message == TLS_FAILED
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_SSL_CA", raising=False)
    code = main(["report", "summary", "--database-url", plain + "?ssl-mode=REQUIRED"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1
    assert "over TLS" in err[0]


def test_tls007_our_own_check_refuses_a_plain_connection():
    """Whatever a PyMySQL version does on its own: a connection that came up
    unencrypted although TLS was asked for is closed with a TLS error."""
    server = make_url(SERVER_URL)
    conn = pymysql.connect(
        host=server.host, port=server.port or 3306, user=server.username,
        password=server.password or "", ssl_disabled=True,
    )  # fmt: skip
    with pytest.raises(pymysql.err.OperationalError) as refused:
        _on_mysql_connect(conn, None, timeout=0, tls=True)
    assert refused.value.args[0] == 2026
    assert not conn.open
