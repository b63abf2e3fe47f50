"""Users for the login tests: AUTH_USERS entries, settings with logins on, and a login
through the form.

The hashes are werkzeug's pbkdf2 with few iterations rather than the scrypt that
`support-dashboard hash-password` makes (tests/unit/test_cli_login.py checks that
one): the app accepts both, and the tests log in hundreds of times."""

import re

from werkzeug.security import generate_password_hash

from dashboard.config import Account, Settings

CHEAP = "pbkdf2:sha256:1000"
PASSWORDS = {"lea": "lead-password-1", "vic": "viewer-password-2"}
ACCOUNTS = (
    Account("lea", "lead", generate_password_hash(PASSWORDS["lea"], CHEAP)),
    Account("vic", "viewer", generate_password_hash(PASSWORDS["vic"], CHEAP)),
)
SECRET_KEY = "test-secret-key-0123456789-abcdefghij"
AUTH_USERS = ",".join(f"{a.name}:{a.role}:{a.password_hash}" for a in ACCOUNTS)


def settings(**overrides) -> Settings:
    """Settings with logins on (the demo database unless told otherwise)."""
    values = {"auth_users": ACCOUNTS, "secret_key": SECRET_KEY, **overrides}
    return Settings(**values)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the login page has no CSRF token"
    return found.group(1)


def log_in(client, name: str, password: str | None = None, next_url=None, **kw):
    """Open the login page and submit its form, as a browser does; the response."""
    page = client.get("/login", **kw)
    form = {
        "username": name,
        "password": PASSWORDS.get(name, "") if password is None else password,
        "csrf_token": csrf_token(page.get_data(as_text=True)),
    }
    if next_url is not None:
        form["next"] = next_url
    return client.post("/login", data=form, **kw)
