"""Settings read from the environment, once, in one place.

The environment is the process's, over a `.env` file in the working directory (if
there is one): a variable set in the process environment wins over the same name
in `.env`.
"""

import logging
import os
import re
import ssl
from dataclasses import dataclass, field
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
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
    url = normalise(url, ssl_ca)
    if url.drivername == "mysql+pymysql" and not url.database:
        raise ConfigError("DATABASE_URL names no database; add /dbname at its end")
    return url


def normalise(url: URL, ssl_ca: str | None = None) -> URL:
    """`url` checked and in the one form the engine reads: driver mysql+pymysql or
    sqlite; for MySQL only `ssl_mode` (one of SSL_MODES) and `ssl_ca` (a readable CA
    file) as parameters. ConfigError, with what to fix, for anything unusable. (A
    MySQL URL without a database is the server itself: `seed` creates the database
    there; DATABASE_URL must name one, see database_url.)"""
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


def timezone(raw: str | None) -> str:
    """An IANA time zone name (Europe/Berlin); UTC when unset."""
    name = (raw or "").strip() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIMEZONE {name[:40]!r} is not a time zone; use a name such as UTC, "
            "Europe/Berlin or America/New_York"
        ) from None
    return name


DOTENV = ".env"


def environment(environ=None, dotenv_path=DOTENV) -> dict[str, str]:
    """The settings' environment: `environ` (default: the process's) over the
    variables in `dotenv_path` (default: .env in the working directory; none if it
    does not exist). Values in the file are taken as written, with no ${...}
    expansion: password hashes hold `$`."""
    try:
        found = dotenv_values(dotenv_path, interpolate=False)
    except OSError as exc:
        raise ConfigError(f"cannot read {dotenv_path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{dotenv_path} is not UTF-8 text") from None
    values = {k: v for k, v in found.items() if v is not None}
    return {**values, **(os.environ if environ is None else environ)}


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


ROLES = ("lead", "viewer")
"""`lead` sees everything; `viewer` every aggregate, but no personal data."""

MIN_SECRET_KEY = 32
_NAME = re.compile(r"[A-Za-z0-9._@+-]{1,64}")
_HASH_METHODS = ("scrypt:", "pbkdf2:")  # what werkzeug's generate_password_hash makes


@dataclass(frozen=True)
class Account:
    """One entry of AUTH_USERS: who may log in, with which role."""

    name: str
    role: str
    password_hash: str = field(repr=False)


def auth_users(raw: str | None) -> tuple[Account, ...]:
    """Parse AUTH_USERS: `name:role:hash` entries separated by commas.

    Each entry is split at its first two colons (werkzeug's hashes hold colons).
    Error messages name the entry, never its hash: a plain password pasted by
    mistake must not end up in a log.
    """
    accounts: list[Account] = []
    for number, entry in enumerate((raw or "").split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        parts = entry.split(":", 2)
        if len(parts) < 3:
            raise ConfigError(
                f"AUTH_USERS entry {number} is not name:role:hash "
                "(make the hash with `support-dashboard hash-password`)"
            )
        name, role, password_hash = (part.strip() for part in parts)
        if not _NAME.fullmatch(name):
            raise ConfigError(
                f"AUTH_USERS entry {number}: a user name is 1-64 letters, digits "
                "and . _ @ + -"
            )
        if role not in ROLES:
            raise ConfigError(
                f"AUTH_USERS: the role of {name!r} must be lead or viewer, not "
                f"{role[:20]!r}"
            )
        if not password_hash.startswith(_HASH_METHODS) or password_hash.count("$") != 2:
            raise ConfigError(
                f"AUTH_USERS: the password of {name!r} is not a hash; make one with "
                "`support-dashboard hash-password`"
            )
        if any(a.name == name for a in accounts):
            raise ConfigError(f"AUTH_USERS names {name!r} twice")
        accounts.append(Account(name, role, password_hash))
    return tuple(accounts)


# Redis: the bounds of every connection (engine/redis_link.py). A frozen or far
# Redis costs a request at most about a second, once: after a failure a process
# goes without Redis (memory, its own counts) for REDIS_PAUSE_SECONDS.
REDIS_CONNECT_TIMEOUT = 0.5  # seconds to open a connection
REDIS_READ_TIMEOUT = 0.5  # seconds a request waits for one answer
REDIS_SNAPSHOT_TIMEOUT = 10.0  # the background loader's, for megabytes of facts
REDIS_PAUSE_SECONDS = 10.0  # after a failure, skip Redis this long
VIEW_CACHE_MAX_BYTES = 512_000  # a larger finished view is not cached in Redis
VIEW_CACHE_MAX_VIEWS = 500  # finished views kept per deployment in Redis


def redis_url(raw: str | None) -> str | None:
    """REDIS_URL as the rate limiter's storage takes it; None: in memory."""
    if raw is None or not raw.strip():
        return None
    raw = raw.strip()
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            "REDIS_URL must start with redis://, rediss:// or unix://, "
            "e.g. redis://localhost:6379/0"
        )
    return raw


@dataclass(frozen=True)
class Settings:
    """Everything the app and the CLI can be configured with."""

    database_url: URL | None = None  # None: in-memory SQLite with mock data
    host: str = "127.0.0.1"
    port: int = 8050
    refresh_seconds: int = 30  # 0 turns auto-refresh off
    reconcile_seconds: int = 300  # the bound on an edit reaching the page; 0: off
    show_personal_data: bool = True  # from_env: off with DATABASE_URL, no logins
    demo_seed: int = 42
    query_timeout_seconds: int = 30  # bound on every statement; 0: no bound
    # Reads of the support database a visitor waits for (the open conversation): at
    # most this many at once per process, the Procfile's 4 threads minus one, so a
    # locked table always leaves a thread for /login, /healthz and the views.
    db_read_slots: int = 3
    db_read_timeout_seconds: int = 5  # the bound on each of those reads; 0: none
    max_content_length: int = 1_000_000  # bytes of a request body; more: 413
    force_https: bool = False  # redirect plain-HTTP requests (behind a TLS proxy)
    auth_users: tuple[Account, ...] = ()  # empty: no login (see server_settings)
    auth_off: bool = False  # AUTH=off: the deployment is behind a login proxy
    secret_key: str | None = field(default=None, repr=False)
    redis_url: str | None = field(default=None, repr=False)  # None: in memory
    redis_prefix: str = "support-dashboard"
    trusted_proxies: int = 1  # proxies in front that set X-Forwarded-For/-Proto
    timezone: str = "UTC"  # the zone the database's times are shown in
    min_ratings: int = 5  # rated tickets an agent needs to be ranked by rating

    def __post_init__(self):
        if not self.auth_users:
            return
        if self.auth_off:
            raise ConfigError("AUTH=off and AUTH_USERS are both set; unset one of them")
        if not self.secret_key:
            raise ConfigError(
                f"AUTH_USERS needs SECRET_KEY: {MIN_SECRET_KEY} or more random "
                "characters, e.g. from `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`"
            )
        if len(self.secret_key) < MIN_SECRET_KEY:
            raise ConfigError(
                f"SECRET_KEY is too short ({len(self.secret_key)} characters): use "
                f"{MIN_SECRET_KEY} or more random characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )

    @property
    def logins(self) -> bool:
        """Whether every visitor has to log in (AUTH_USERS is set)."""
        return bool(self.auth_users)

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = environment() if env is None else env
        url = database_url(env.get("DATABASE_URL"), env.get("DATABASE_SSL_CA"))
        auth = env.get("AUTH", "").strip().lower()
        if auth not in ("", "on", "off"):
            raise ConfigError(f"AUTH must be on or off, not {auth[:20]!r}")
        users = auth_users(env.get("AUTH_USERS"))
        return cls(
            database_url=url,
            host=env.get("HOST", "").strip() or cls.host,
            port=_int(env, "PORT", cls.port, minimum=1),
            refresh_seconds=_int(env, "REFRESH_SECONDS", cls.refresh_seconds),
            reconcile_seconds=_int(env, "RECONCILE_SECONDS", cls.reconcile_seconds),
            # On by default where something decides who sees it: the demo (no
            # real people) or logins (a lead's role); off behind AUTH=off alone.
            show_personal_data=_bool(
                env, "SHOW_PERSONAL_DATA", url is None or bool(users)
            ),
            demo_seed=_int(env, "DEMO_SEED", cls.demo_seed),
            query_timeout_seconds=_int(
                env,
                "QUERY_TIMEOUT_SECONDS",
                cls.query_timeout_seconds,
                maximum=MAX_QUERY_TIMEOUT,
            ),
            db_read_slots=_int(env, "DB_READ_SLOTS", cls.db_read_slots, minimum=1),
            db_read_timeout_seconds=_int(
                env,
                "DB_READ_TIMEOUT_SECONDS",
                cls.db_read_timeout_seconds,
                maximum=MAX_QUERY_TIMEOUT,
            ),
            auth_users=users,
            auth_off=auth == "off",
            secret_key=env.get("SECRET_KEY", "").strip() or None,
            redis_url=redis_url(env.get("REDIS_URL")),
            redis_prefix=env.get("REDIS_PREFIX", "").strip() or cls.redis_prefix,
            trusted_proxies=_int(env, "TRUSTED_PROXIES", cls.trusted_proxies),
            timezone=timezone(env.get("TIMEZONE")),
            min_ratings=_int(env, "MIN_RATINGS", cls.min_ratings, minimum=1),
            max_content_length=_int(
                env, "MAX_CONTENT_LENGTH", cls.max_content_length, minimum=1
            ),
            force_https=_bool(env, "FORCE_HTTPS", False),
        )


def server_settings(env: dict | None = None) -> Settings:
    """The settings of the production server (gunicorn, see Procfile): as
    `from_env`, but real data is never served without a login unless AUTH=off
    says that a proxy in front takes care of it."""
    settings = Settings.from_env(env)
    if settings.database_url is not None and not (settings.logins or settings.auth_off):
        raise ConfigError(
            "DATABASE_URL is set but AUTH_USERS is not: set AUTH_USERS and "
            "SECRET_KEY (users from `support-dashboard hash-password`), or AUTH=off "
            "behind a login proxy"
        )
    return settings
