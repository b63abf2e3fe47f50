"""The login settings read from the environment (AUTH_USERS, SECRET_KEY, AUTH,
REDIS_URL, ...): what is accepted, and the one-line error for what is not."""

import pytest

from dashboard.config import (
    Account,
    ConfigError,
    Settings,
    auth_users,
    server_settings,
)
from tests.logins import ACCOUNTS, AUTH_USERS, SECRET_KEY

SCRYPT = "scrypt:32768:8:1$salt$abcdef"
PBKDF2 = "pbkdf2:sha256:600000$salt$abcdef"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ()),
        ("", ()),
        (f"ann:lead:{SCRYPT}", (Account("ann", "lead", SCRYPT),)),
        # split at the first two colons: the hash keeps its own
        (
            f" ann:lead:{SCRYPT} , bob.smith@example.com:viewer:{PBKDF2},",
            (
                Account("ann", "lead", SCRYPT),
                Account("bob.smith@example.com", "viewer", PBKDF2),
            ),
        ),
        (AUTH_USERS, ACCOUNTS),
    ],
)
def test_auth001_auth_users_are_parsed(raw, expected):
    assert auth_users(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ann", "AUTH_USERS entry 1 is not name:role:hash"),
        (f"ann:lead:{SCRYPT},bob:viewer", "AUTH_USERS entry 2 is not name:role:hash"),
        (f":lead:{SCRYPT}", "AUTH_USERS entry 1: a user name is 1-64 letters"),
        (f"a b:lead:{SCRYPT}", "AUTH_USERS entry 1: a user name is 1-64 letters"),
        (
            f"ann:admin:{SCRYPT}",
            "AUTH_USERS: the role of 'ann' must be lead or viewer, not 'admin'",
        ),
        ("ann:lead:hunter2", "AUTH_USERS: the password of 'ann' is not a hash"),
        ("ann:lead:scrypt:no-dollars", "AUTH_USERS: the password of 'ann' is not"),
        (f"ann:lead:{SCRYPT},ann:viewer:{SCRYPT}", "AUTH_USERS names 'ann' twice"),
    ],
)
def test_auth002_bad_auth_users_are_refused_without_echoing_the_hash(raw, message):
    with pytest.raises(ConfigError) as caught:
        auth_users(raw)
    assert str(caught.value).startswith(message)
    assert "hunter2" not in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


REAL_DB = {"DATABASE_URL": "mysql://dashboard:pw@db.example.com/support"}
LOGINS = {"AUTH_USERS": AUTH_USERS, "SECRET_KEY": SECRET_KEY}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AUTH_USERS": AUTH_USERS}, "AUTH_USERS needs SECRET_KEY: 32 or more"),
        (
            {**LOGINS, "SECRET_KEY": "x" * 31},
            "SECRET_KEY is too short (31 characters): use 32 or more",
        ),
        ({**LOGINS, "AUTH": "off"}, "AUTH=off and AUTH_USERS are both set"),
        ({"AUTH": "maybe"}, "AUTH must be on or off, not 'maybe'"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"TRUSTED_PROXIES": "-1"}, "TRUSTED_PROXIES must be at least 0"),
        ({"SHOW_PERSONAL_DATA": "sometimes"}, "SHOW_PERSONAL_DATA must be true"),
    ],
)
def test_auth003_unusable_login_settings_give_one_clear_line(env, message):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    assert str(caught.value).startswith(message), str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
    assert SECRET_KEY not in str(caught.value)


def test_auth004_login_settings_from_the_environment():
    s = Settings.from_env(
        {
            **LOGINS,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_PREFIX": "staging",
            "TRUSTED_PROXIES": "2",
        }
    )
    assert s.logins
    assert s.auth_users == ACCOUNTS
    assert s.secret_key == SECRET_KEY
    assert (s.redis_url, s.redis_prefix, s.trusted_proxies) == (
        "redis://127.0.0.1:6379/0",
        "staging",
        2,
    )
    defaults = Settings.from_env({})
    assert not defaults.logins
    assert defaults.redis_url is None
    assert (defaults.redis_prefix, defaults.trusted_proxies) == ("support-dashboard", 1)
    # Secrets stay out of logs and tracebacks that print the settings.
    assert SECRET_KEY not in repr(s)
    assert ACCOUNTS[0].password_hash not in repr(s)


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        ({}, True),  # the demo's mock customers
        (REAL_DB, False),
        ({**REAL_DB, "SHOW_PERSONAL_DATA": "true"}, True),
        ({"SHOW_PERSONAL_DATA": "false"}, False),
        # With logins the role decides (a lead sees it, a viewer never), unless
        # SHOW_PERSONAL_DATA=false turns it off for everyone.
        ({**REAL_DB, **LOGINS}, True),
        ({**REAL_DB, **LOGINS, "SHOW_PERSONAL_DATA": "false"}, False),
        ({**REAL_DB, "AUTH": "off"}, False),  # a login proxy: nothing decides
    ],
)
def test_auth005_personal_data_is_off_by_default_on_a_real_database(env, shown):
    assert Settings.from_env(env).show_personal_data is shown


@pytest.mark.parametrize(
    "env",
    [{}, {**REAL_DB, **LOGINS}, {**REAL_DB, "AUTH": "off"}, LOGINS],
)
def test_auth006_the_server_starts_with_logins_or_an_explicit_opt_out(env):
    assert server_settings(env).database_url == Settings.from_env(env).database_url


def test_auth007_the_server_refuses_real_data_without_logins():
    with pytest.raises(ConfigError) as caught:
        server_settings(REAL_DB)
    assert str(caught.value) == (
        "DATABASE_URL is set but AUTH_USERS is not: set AUTH_USERS and SECRET_KEY "
        "(users from `support-dashboard hash-password`), or AUTH=off behind a login "
        "proxy"
    )
