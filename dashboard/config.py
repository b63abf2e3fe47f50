"""Settings read from the environment, once, in one place."""

import os
from dataclasses import dataclass

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(ValueError):
    """A setting that cannot be used; the message says what to fix."""


def database_url(raw: str | None) -> URL | None:
    """Parse a database URL; None means the built-in in-memory demo database.

    PaaS MySQL add-ons hand out `mysql://...`; we talk to it through PyMySQL.
    """
    if raw is None or not raw.strip():
        return None
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):
        raise ConfigError(
            "DATABASE_URL is not a database URL; expected e.g. "
            "mysql://user:password@host:3306/dbname or sqlite:///support.db"
        ) from None
    if url.drivername in ("mysql", "mariadb", "mysql+mysqldb", "mariadb+pymysql"):
        url = url.set(drivername="mysql+pymysql")
    if url.drivername not in ("mysql+pymysql", "sqlite", "sqlite+pysqlite"):
        raise ConfigError(
            f"unsupported database '{url.drivername}' in DATABASE_URL; "
            "use mysql://... or sqlite:///path"
        )
    if url.drivername == "mysql+pymysql" and not url.database:
        raise ConfigError("DATABASE_URL names no database; add /dbname at its end")
    return url


def _int(env: dict, name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
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
    max_content_length: int = 1_000_000  # bytes of a request body; more: 413
    force_https: bool = False  # redirect plain-HTTP requests (behind a TLS proxy)

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(env.get("DATABASE_URL")),
            host=env.get("HOST", "").strip() or cls.host,
            port=_int(env, "PORT", cls.port, minimum=1),
            refresh_seconds=_int(env, "REFRESH_SECONDS", cls.refresh_seconds),
            show_personal_data=_bool(env, "SHOW_PERSONAL_DATA", True),
            demo_seed=_int(env, "DEMO_SEED", cls.demo_seed),
            max_content_length=_int(
                env, "MAX_CONTENT_LENGTH", cls.max_content_length, minimum=1
            ),
            force_https=_bool(env, "FORCE_HTTPS", False),
        )
