"""DATABASE_URL as people really have it (PaaS add-ons, managed MySQL with TLS), the
TLS and timeout settings, and one clear ConfigError line for anything unusable."""

import logging

import pytest
import trustme

from dashboard.cli import main
from dashboard.config import ConfigError, Settings, database_url, environment
from dashboard.testing.procfile import import_wsgi


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


@pytest.mark.parametrize(
    ("raw", "host", "port", "database", "query"),
    [
        (  # ClearDB on Heroku
            "mysql://b6d0a1c2:5f2e9a1b@us-cdbr-east-06.cleardb.net/heroku_8a1b2c3d"
            "?reconnect=true",
            "us-cdbr-east-06.cleardb.net",
            None,
            "heroku_8a1b2c3d",
            {},
        ),
        (  # JawsDB on Heroku
            "mysql://k2j3:p4ss@abc.cbetxkdyhwsb.us-east-1.rds.amazonaws.com:3306/x9y8",
            "abc.cbetxkdyhwsb.us-east-1.rds.amazonaws.com",
            3306,
            "x9y8",
            {},
        ),
        (  # DigitalOcean / Aiven managed MySQL
            "mysql://doadmin:pw@db-mysql-1.b.db.ondigitalocean.com:25060/defaultdb"
            "?ssl-mode=REQUIRED",
            "db-mysql-1.b.db.ondigitalocean.com",
            25060,
            "defaultdb",
            {"ssl_mode": "REQUIRED"},
        ),
        (
            "mysql://u:p@h/db?ssl_mode=required&reconnect=true",
            "h",
            None,
            "db",
            {"ssl_mode": "REQUIRED"},
        ),
        ("mysql://u:p@h/db?sslmode=require", "h", None, "db", {"ssl_mode": "REQUIRED"}),
        (
            "mysql://u:p@h/db?sslmode=verify-full",
            "h",
            None,
            "db",
            {"ssl_mode": "VERIFY_IDENTITY"},
        ),
        (
            "mysql://u:p@h/db?ssl-mode=Verify_CA",
            "h",
            None,
            "db",
            {"ssl_mode": "VERIFY_CA"},
        ),
        (
            "mysql://u:p@h/db?ssl-mode=disabled",
            "h",
            None,
            "db",
            {"ssl_mode": "DISABLED"},
        ),
        (
            "mysql://u:p@h/db?ssl-mode=PREFERRED",
            "h",
            None,
            "db",
            {"ssl_mode": "PREFERRED"},
        ),
        ("mysql://u:p@h/db?charset=utf8mb4", "h", None, "db", {}),
        ("mariadb://u:p@h:3307/db", "h", 3307, "db", {}),
        ("mysql+pymysql://u:p@[::1]:3306/db", "::1", 3306, "db", {}),
        ("mysql://u:p%40ss@h/db", "h", None, "db", {}),
    ],
)
def test_cfg001_add_on_url_shapes_are_accepted(raw, host, port, database, query):
    url = database_url(raw)
    assert url.drivername == "mysql+pymysql"
    assert (url.host, url.port, url.database) == (host, port, database)
    assert dict(url.query) == query


def test_cfg002_a_ca_file_means_verify_with_it(ca_file):
    from_url = database_url(f"mysql://u:p@h/db?ssl_ca={ca_file}")
    from_env = database_url("mysql://u:p@h/db", ssl_ca=ca_file)
    assert dict(from_url.query) == dict(from_env.query)
    assert dict(from_env.query) == {"ssl_mode": "VERIFY_CA", "ssl_ca": ca_file}
    required = database_url("mysql://u:p@h/db?ssl-mode=REQUIRED", ssl_ca=ca_file)
    assert dict(required.query) == {"ssl_mode": "REQUIRED", "ssl_ca": ca_file}
    assert database_url(f"mysql://u:p@h/db?ssl_ca={ca_file}", ssl_ca=ca_file)


def test_cfg003_reconnect_is_dropped_with_one_log_line(caplog):
    with caplog.at_level(logging.INFO, logger="dashboard.config"):
        url = database_url("mysql://u:secret@h/db?reconnect=true")
    assert "reconnect" not in url.render_as_string(hide_password=False)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "ignoring reconnect=true" in lines[0]
    assert "secret" not in lines[0]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("not a url", ["not a database URL"]),
        ("mysql://h:notaport/db", ["not a database URL"]),
        ("mysql://h:/db", ["not a database URL"]),
        ("mysql://h:99999/db", ["port must be 1-65535", "99999"]),
        ("mysql://h:0/db", ["port must be 1-65535"]),
        ("postgresql://h/db", ["unsupported database 'postgresql'"]),
        ("mysql+mysqlconnector://h/db", ["unsupported database"]),
        ("mysql://root@127.0.0.1", ["names no database"]),
        ("mysql://root@127.0.0.1/", ["names no database"]),
        ("mysql://u:p@ss@h/db", ["more than one '@'", "%40"]),
        ("mysql://h/db?ssl-mode", ["'ssl-mode' has no value"]),
        ("mysql://h/db?ssl-mode=", ["'ssl-mode' has no value"]),
        ("mysql://h/db?ssl-mode=yes", ["ssl-mode=yes is not a TLS mode", "VERIFY_CA"]),
        ("mysql://h/db?ssl=true", ["'ssl' is not supported", "ssl-mode"]),
        ("mysql://h/db?ssl_cert=/c.pem", ["'ssl_cert' is not supported"]),
        ("mysql://h/db?reconect=true", ["'reconect' is not supported"]),
        ("mysql://h/db?ssl-mode=REQUIRED&sslmode=DISABLED", ["more than once"]),
        ("mysql://h/db?ssl_mode=REQUIRED&ssl_mode=DISABLED", ["more than once"]),
        ("mysql://h/db?ssl_ca=/no/such/ca.pem", ["/no/such/ca.pem does not exist"]),
        ("sqlite:///support.db?mode=ro", ["SQLite", "takes no parameters"]),
    ],
)
def test_cfg004_unusable_urls_are_one_clear_line(raw, words):
    with pytest.raises(ConfigError) as error:
        database_url(raw)
    message = str(error.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_cfg019_a_ca_file_that_is_no_certificate_is_refused(tmp_path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("this is not a certificate\n")
    with pytest.raises(ConfigError, match="holds no PEM certificate"):
        database_url(f"mysql://h/db?ssl_ca={not_pem}")


@pytest.mark.parametrize("mode", ["DISABLED", "PREFERRED"])
def test_cfg005_a_ca_file_with_a_mode_that_ignores_it_is_refused(mode, ca_file):
    with pytest.raises(ConfigError, match=f"ssl-mode={mode} does not verify"):
        database_url(f"mysql://h/db?ssl-mode={mode}", ssl_ca=ca_file)


def test_cfg006_two_different_ca_files_are_refused(ca_file, tmp_path):
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with pytest.raises(ConfigError, match="name different files"):
        database_url(f"mysql://h/db?ssl_ca={other}", ssl_ca=ca_file)


@pytest.mark.parametrize("url", [None, "", "sqlite:///support.db"])
def test_cfg007_a_ca_file_without_a_mysql_url_is_refused(url, ca_file):
    env = {"DATABASE_SSL_CA": ca_file}
    if url is not None:
        env["DATABASE_URL"] = url
    with pytest.raises(ConfigError, match="DATABASE_SSL_CA is set but DATABASE_URL"):
        Settings.from_env(env)


def test_cfg008_settings_from_env(ca_file):
    settings = Settings.from_env(
        {
            "DATABASE_URL": "mysql://u:p@h/db?reconnect=true",
            "DATABASE_SSL_CA": ca_file,
            "QUERY_TIMEOUT_SECONDS": "12",
        }
    )
    assert dict(settings.database_url.query) == {
        "ssl_mode": "VERIFY_CA",
        "ssl_ca": ca_file,
    }
    assert settings.query_timeout_seconds == 12
    assert Settings.from_env({}).query_timeout_seconds == 30
    assert Settings.from_env({"QUERY_TIMEOUT_SECONDS": "0"}).query_timeout_seconds == 0


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", "must be a whole number"),
        ("2.5", "must be a whole number"),
        ("-1", "must be at least 0"),
        ("100000", "must be at most 86400"),
    ],
)
def test_cfg009_a_bad_query_timeout_is_refused(value, words):
    with pytest.raises(ConfigError, match=f"QUERY_TIMEOUT_SECONDS {words}"):
        Settings.from_env({"QUERY_TIMEOUT_SECONDS": value})


@pytest.mark.parametrize(
    "raw",
    ["mysql://h/db?ssl-mode=bogus", "mysql://h:70000/db", "mysql://h/db?x=1"],
)
def test_cfg010_the_cli_says_it_in_one_line(raw, capsys, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_SSL_CA", raising=False)
    assert main(["report", "summary", "--database-url", raw]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("support-dashboard: error: ")


def test_cfg011_the_cli_applies_database_ssl_ca_to_its_database_url(
    capsys, monkeypatch
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_SSL_CA", "/no/such/ca.pem")
    assert main(["report", "summary", "--database-url", "mysql://h/db"]) == 1
    assert "/no/such/ca.pem does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_cfg012_the_wsgi_entry_point_stops_with_one_line_on_a_bad_tls_mode():
    env = {"DATABASE_URL": "mysql://u:p@h/db?ssl-mode=ON", "PATH": "/usr/bin:/bin"}
    done = import_wsgi(env)
    assert done.returncode == 4  # gunicorn's "app failed to load": the server stops
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "support-dashboard: error: DATABASE_URL ssl-mode=ON is not a TLS mode; use "
        "one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"
    ]


@pytest.fixture
def dotenv_dir(tmp_path, monkeypatch):
    """An empty working directory, and none of the names the tests set in .env in
    the process environment."""
    for name in ("REFRESH_SECONDS", "PORT", "DEMO_SEED", "AUTH_USERS", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cfg013_dotenv_sets_settings_and_the_environment_wins(dotenv_dir, monkeypatch):
    from werkzeug.security import generate_password_hash

    password_hash = generate_password_hash("correct horse")
    assert password_hash.count("$") == 2
    secret = "k" * 40
    (dotenv_dir / ".env").write_text(
        "# a comment\n"
        "REFRESH_SECONDS=7\n"
        "export PORT=9001\n"
        f"AUTH_USERS='ann:lead:{password_hash}'\n"
        f"SECRET_KEY={secret}\n"
    )
    settings = Settings.from_env()
    assert (settings.refresh_seconds, settings.port) == (7, 9001)
    assert settings.auth_users[0].name == "ann"
    assert settings.auth_users[0].password_hash == password_hash  # `$` kept as is
    assert settings.secret_key == secret

    monkeypatch.setenv("REFRESH_SECONDS", "9")
    settings = Settings.from_env()
    assert (settings.refresh_seconds, settings.port) == (9, 9001)
    # an explicit mapping is the whole environment: no .env under it
    assert Settings.from_env({}).refresh_seconds == Settings.refresh_seconds


def test_cfg014_no_dotenv_file_changes_nothing(dotenv_dir):
    assert environment({"DEMO_SEED": "3"}) == {"DEMO_SEED": "3"}
    assert Settings.from_env().port == Settings.port


def test_cfg015_a_dotenv_that_is_not_text_is_one_line(dotenv_dir, capsys):
    (dotenv_dir / ".env").write_bytes(b"PORT=80\xff\n")
    with pytest.raises(ConfigError, match=r"^\.env is not UTF-8 text$"):
        Settings.from_env()
    assert main(["report", "summary"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["support-dashboard: error: .env is not UTF-8 text"]


@pytest.mark.slow
def test_cfg016_the_wsgi_entry_point_reads_dotenv(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\nAUTH=off\n")
    done = import_wsgi({"PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    assert done.returncode == 4
    assert done.stderr.strip().splitlines() == [
        f"support-dashboard: error: no such database file {tmp_path}/from-dotenv.db; "
        "create and fill it with `support-dashboard seed --database-url "
        "sqlite:///from-dotenv.db`"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]


def test_cfg017_database_read_slots_and_their_bound():
    default = Settings.from_env({})
    assert (default.db_read_slots, default.db_read_timeout_seconds) == (3, 5)
    settings = Settings.from_env({"DB_READ_SLOTS": "7", "DB_READ_TIMEOUT_SECONDS": "0"})
    assert (settings.db_read_slots, settings.db_read_timeout_seconds) == (7, 0)
    with pytest.raises(ConfigError, match="DB_READ_SLOTS must be at least 1, not 0"):
        Settings.from_env({"DB_READ_SLOTS": "0"})
    with pytest.raises(ConfigError, match="DB_READ_TIMEOUT_SECONDS must be at most"):
        Settings.from_env({"DB_READ_TIMEOUT_SECONDS": "100000"})


def test_cfg018_reconcile_seconds_default_value_and_bad_values():
    assert Settings.from_env({}).reconcile_seconds == 300
    assert Settings.from_env({"RECONCILE_SECONDS": " 60 "}).reconcile_seconds == 60
    assert Settings.from_env({"RECONCILE_SECONDS": "0"}).reconcile_seconds == 0
    for raw, says in (("-1", "at least 0"), ("5m", "whole number")):
        with pytest.raises(ConfigError, match=f"RECONCILE_SECONDS must be .*{says}"):
            Settings.from_env({"RECONCILE_SECONDS": raw})
