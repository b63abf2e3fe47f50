"""Settings read from the environment, once, in one place."""

import logging
import os
import re
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A setting that cannot be used; the message says what to fix."""


# TLS modes, named as MySQL's own client names them (--ssl-mode).
SSL_MODES = ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
TLS_REQUIRED = ("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
_SSL_MODE_KEYS = ("ssl-mode", "ssl_mode", "sslmode")
_SSL_MODE_ALIASES = {  # the libpq spellings people bring along
    "DISABLE": "DISABLED",
    "PREFER": "PREFERRED",
    "REQUIRE": "REQUIRED",
    "VERIFY_FULL": "VERIFY_IDENTITY",
}
# Parameters that add-ons put in their URLs and that mean nothing to us.
_IGNORED = {
    "reconnect": "the connection pool reconnects by itself",
    "charset": "the dashboard always talks utf8mb4 to MySQL",
}
MAX_QUERY_TIMEOUT = 86_400  # a day; beyond that a bound means nothing
_EXAMPLE = "mysql://user:password@host:3306/dbname or sqlite:///support.db"
# The query string as SQLAlchemy's URL grammar splits it off (a password may hold a
# '?'), so that a parameter without a value is seen instead of silently dropped.
_QUERY = re.compile(r"[\w+]+://(?:[^:/]*(?::[^@]*)?@)?[^?]*\?(?P<query>.*)$", re.S)


def database_url(raw: str | None, ssl_ca: str | None = None) -> URL | None:
    """Parse a database URL; None means the built-in in-memory demo database.

    PaaS MySQL add-ons hand out `mysql://...`; we talk to it through PyMySQL. The
    result is normalised (see `normalise`); `ssl_ca` is DATABASE_SSL_CA.
    """
    ssl_ca = ssl_ca.strip() if ssl_ca else None
    if raw is None or not raw.strip():
        if ssl_ca:
            raise ConfigError(
                "DATABASE_SSL_CA is set but DATABASE_URL is not; the CA file is "
                "only used for a MySQL DATABASE_URL"
            )
        return None
    raw = raw.strip()
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise ConfigError(
            f"DATABASE_URL is not a database URL; expected e.g. {_EXAMPLE}"
        ) from None
    found = _QUERY.match(raw)
    if found:
        for key, value in parse_qsl(found["query"], keep_blank_values=True):
            if not value.strip():
                raise ConfigError(f"DATABASE_URL parameter {key or '?'!r} has no value")
    return normalise(url, ssl_ca)


def normalise(url: URL, ssl_ca: str | None = None) -> URL:
    """`url` checked and in the one form the engine reads: driver mysql+pymysql or
    sqlite; for MySQL only `ssl_mode` (one of SSL_MODES) and `ssl_ca` (a readable CA
    file) as parameters. ConfigError, with what to fix, for anything unusable."""
    driver = url.drivername.lower()
    if driver in ("mysql", "mariadb", "mysql+mysqldb", "mariadb+pymysql"):
        driver = "mysql+pymysql"
    url = url.set(drivername=driver)
    if driver in ("sqlite", "sqlite+pysqlite"):
        if ssl_ca:
            raise ConfigError(
                "DATABASE_SSL_CA is set but DATABASE_URL is a SQLite file; the CA "
                "file is only used for MySQL"
            )
        if url.query:
            raise ConfigError(
                "a SQLite DATABASE_URL takes no parameters; remove "
                f"?{'&'.join(sorted(url.query))}"
            )
        return url
    if driver != "mysql+pymysql":
        raise ConfigError(
            f"unsupported database '{url.drivername}' in DATABASE_URL; "
            "use mysql://... or sqlite:///path"
        )
    if url.host and "@" in url.host:
        raise ConfigError(
            "DATABASE_URL has more than one '@'; write an '@' in the password as %40"
        )
    if url.port is not None and not 0 < url.port < 65536:
        raise ConfigError(f"DATABASE_URL port must be 1-65535, not {url.port}")
    if not url.database:
        raise ConfigError("DATABASE_URL names no database; add /dbname at its end")
    return url.set(query=_mysql_parameters(url, ssl_ca))


def _one(url: URL, key: str) -> str:
    value = url.query[key]
    if not isinstance(value, str):
        raise ConfigError(f"DATABASE_URL gives {key!r} more than once")
    if not value.strip():
        raise ConfigError(f"DATABASE_URL parameter {key!r} has no value")
    return value.strip()


def _mysql_parameters(url: URL, ssl_ca: str | None) -> dict[str, str]:
    mode = None
    url_ca = None
    for key in url.query:
        value = _one(url, key)
        name = key.lower()
        if name in _IGNORED:
            log.info("DATABASE_URL: ignoring %s=%s (%s)", key, value, _IGNORED[name])
        elif name in _SSL_MODE_KEYS:
            if mode is not None:
                raise ConfigError("DATABASE_URL gives the TLS mode more than once")
            mode = value.upper().replace("-", "_")
            mode = _SSL_MODE_ALIASES.get(mode, mode)
            if mode not in SSL_MODES:
                raise ConfigError(
                    f"DATABASE_URL {key}={value} is not a TLS mode; use one of "
                    + ", ".join(SSL_MODES)
                )
        elif name in ("ssl_ca", "ssl-ca"):
            url_ca = value
        else:
            raise ConfigError(
                f"DATABASE_URL parameter {key!r} is not supported; a MySQL URL "
                "may carry ssl-mode, ssl_ca, reconnect and charset"
            )
    if ssl_ca and url_ca and ssl_ca != url_ca:
        raise ConfigError(
            "DATABASE_SSL_CA and the URL's ?ssl_ca= name different files; keep one"
        )
    ca = ssl_ca or url_ca
    if ca:
        if mode in ("DISABLED", "PREFERRED"):
            raise ConfigError(
                f"ssl-mode={mode} does not verify the server, so the CA file "
                f"{ca} would not be used; use ssl-mode=VERIFY_CA or VERIFY_IDENTITY"
            )
        _check_ca_file(ca)
        mode = mode or "VERIFY_CA"  # a CA file given means: verify with it
    parameters = {}
    if mode:
        parameters["ssl_mode"] = mode
    if ca:
        parameters["ssl_ca"] = ca
    return parameters


def _check_ca_file(path: str) -> None:
    try:
        ssl.create_default_context(cafile=path)
    except FileNotFoundError:
        raise ConfigError(f"the TLS CA file {path} does not exist") from None
    except ssl.SSLError:  # an OSError too: first
        raise ConfigError(f"the TLS CA file {path} holds no PEM certificate") from None
    except OSError as exc:
        raise ConfigError(
            f"the TLS CA file {path} cannot be read ({exc.strerror})"
        ) from None


def _int(
    env: dict, name: str, default: int, minimum: int = 0, maximum: int | None = None
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, not {value}")
    return value


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Everything the app and the CLI can be configured with."""

    database_url: URL | None = None  # None: in-memory SQLite with mock data
    host: str = "127.0.0.1"
    port: int = 8050
    refresh_seconds: int = 30  # 0 turns live refresh off
    show_personal_data: bool = True
    demo_seed: int = 42
    demo_scale: float = 1.0
    query_timeout_seconds: int = 30  # bound on every statement; 0: no bound

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(
                env.get("DATABASE_URL"), env.get("DATABASE_SSL_CA")
            ),
            host=env.get("HOST", "").strip() or cls.host,
            port=_int(env, "PORT", cls.port, minimum=1),
            refresh_seconds=_int(env, "REFRESH_SECONDS", cls.refresh_seconds),
            show_personal_data=_bool(env, "SHOW_PERSONAL_DATA", True),
            demo_seed=_int(env, "DEMO_SEED", cls.demo_seed),
            query_timeout_seconds=_int(
                env,
                "QUERY_TIMEOUT_SECONDS",
                cls.query_timeout_seconds,
                maximum=MAX_QUERY_TIMEOUT,
            ),
        )
