"""Who may see the dashboard: the login page, the session cookie, the gate in front
of every route, the limit on failed logins, and the audit log.

`install(server, settings, ...)` wires it into the Flask server (create_app calls
it). A login is a random session id in the signed cookie; a logout revokes it
(sessions.py), in every worker when there is Redis.
Inside a request (a page, a Dash callback, a download) `current_user()` says who is
asking, `personal_data_allowed(settings)` whether they may see customers' personal
data, and `audit(event, ...)` logs one line about what they did.

With AUTH_USERS unset nothing is gated: the demo, local `serve`, or a deployment
behind a login proxy (AUTH=off; config.server_settings refuses the rest).
"""

import functools
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.config import Settings
from dashboard.engine import redis_link
from dashboard.web import proxies, sessions

audit_log = logging.getLogger("dashboard.audit")

PUBLIC_RULES = frozenset(
    {
        "/login",
        "/logout",
        "/healthz",
        "/assets/<path:filename>",  # Dash's assets: Bootstrap, style.css, logo, icon
    }
)
"""The only routes open without a login (Flask rule strings); every other route,
including any added later, answers 401 (`/` redirects to the login page)."""

STYLESHEETS = ("/assets/vendor/bootstrap.min.css", "/assets/style.css")  # as app.py
FAILED_LOGINS = "10 per minute"  # per client address, and per user name: then 429
SESSION_LIFETIME = timedelta(hours=12)  # from the login, however active
MAX_FIELD = 1024  # longer user names or passwords fail without being hashed
_EXTENSION = "dashboard_auth"  # server.extensions key: name -> Account
_REVOCATIONS = "dashboard_logouts"  # server.extensions key: sessions.Revocations


@dataclass(frozen=True)
class User:
    """The logged-in user of the current request."""

    name: str
    role: str  # "lead" or "viewer" (config.ROLES)


def install(
    server: Flask,
    settings: Settings,
    breaker: redis_link.Breaker | None = None,
    namespace: str = "",
) -> None:
    """Trust the proxies in front (X-Forwarded-For / -Proto), and when AUTH_USERS is
    set, require a login for every route but the PUBLIC_RULES. `breaker` is the
    process's Redis (None: without Redis) and `namespace` the deployment's keys."""
    proxies.install(server, settings.trusted_proxies)
    if not settings.logins:
        return
    server.secret_key = settings.secret_key
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    server.session_interface = _SessionInterface()
    server.extensions[_EXTENSION] = {a.name: a for a in settings.auth_users}
    server.extensions[_REVOCATIONS] = sessions.Revocations(
        breaker, namespace, SESSION_LIFETIME
    )
    limiter = Limiter(
        get_remote_address,  # the client's address, after ProxyFix
        app=server,
        storage_uri=settings.redis_url or "memory://",
        storage_options=redis_link.options() if settings.redis_url else {},
        key_prefix=settings.redis_prefix,
        strategy="moving-window",
        # Redis down: count in this worker's memory rather than refuse all logins;
        # a request that was waiting on Redis as it failed goes through uncounted.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    failed = lambda response: response.status_code in (400, 401)  # noqa: E731
    per_address = limiter.limit(
        FAILED_LOGINS, deduct_when=failed, on_breach=_too_many_failures
    )
    # Per user name too: a client that picks its X-Forwarded-For (nothing in front
    # with TRUSTED_PROXIES=1) gets no fresh tries at one account. Only form posts
    # count: the login page itself stays open for everyone.
    per_name = limiter.limit(
        FAILED_LOGINS,
        key_func=_name_key,
        deduct_when=failed,
        exempt_when=lambda: request.method != "POST",
        on_breach=_too_many_failures_for_name,
    )
    login_view = per_name(per_address(_login))  # the address is checked first
    routes = Blueprint("auth", __name__, template_folder="templates")
    routes.add_url_rule("/login", "login", login_view, methods=["GET", "POST"])
    routes.add_url_rule("/logout", "logout", _logout, methods=["GET", "POST"])
    server.register_blueprint(routes)
    server.before_request(_gate)


def signed_in() -> tuple[str, str] | None:
    """(name, role) of the logged-in user, for the navbar; None without one."""
    user = current_user()
    return None if user is None else (user.name, user.role)


def current_user() -> User | None:
    """Who is logged in on this request; None outside a request, with logins off,
    or before a login. The role comes from AUTH_USERS, not from the cookie, so a
    user removed from AUTH_USERS is logged out at once."""
    if not has_request_context():
        return None
    accounts = current_app.extensions.get(_EXTENSION)
    if not accounts:
        return None
    if "dashboard_user" not in g:  # one revocation check per request
        g.dashboard_user = _session_user(accounts)
    return g.dashboard_user


def _session_user(accounts) -> User | None:
    account = accounts.get(session.get("user"))
    session_id = session.get("sid")
    if account is None or not isinstance(session_id, str):
        return None
    if current_app.extensions[_REVOCATIONS].revoked(session_id):
        return None  # logged out
    return User(account.name, account.role)


def personal_data_allowed(settings: Settings) -> bool:
    """Whether this request may see customers' email, phone and full names: only
    when SHOW_PERSONAL_DATA is on, and with logins on, only for a lead."""
    if not settings.show_personal_data:
        return False
    if not settings.logins:
        return True
    user = current_user()
    return user is not None and user.role == "lead"


def audit(event: str, **details) -> None:
    """Log one line on `dashboard.audit`: the event, who (the logged-in user unless
    `user=` says otherwise), from which address, the details, and when (UTC).
    E.g. `audit("export", what="tickets_category-bug-report.csv")`."""
    user = current_user()
    fields = {
        "user": user.name if user else "-",
        "role": user.role if user else "-",
        "addr": request.remote_addr if has_request_context() else "-",
        **details,
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    audit_log.info(
        "%s %s", event, " ".join(f"{k}={_log_value(v)}" for k, v in fields.items())
    )


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else "/": a login link can send
    the user back to the view it was made for, never to another site."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return "/"
    return target


def _log_value(value) -> str:
    """A value for a key=value log line: bounded, and quoted (with control
    characters escaped) unless plainly safe, so a user name cannot forge lines."""
    text = str(value)[:200]
    if text and text.isascii() and all(c.isalnum() or c in "-._@/:+" for c in text):
        return text
    return json.dumps(text)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, marked Secure whenever the request came over
    HTTPS: directly, or as the trusted proxy's X-Forwarded-Proto says."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def _gate() -> Response | None:
    """Before every request: let the public routes and logged-in users through."""
    rule = request.url_rule
    if rule is not None and rule.rule in PUBLIC_RULES:
        return None
    if current_user() is not None:
        return None
    if rule is not None and rule.rule == "/" and request.method in ("GET", "HEAD"):
        here = request.path
        if request.query_string:
            here += "?" + request.query_string.decode("utf-8", "replace")
        return redirect(url_for("auth.login", next=here if here != "/" else None))
    return Response("Log in first: /login\n", 401, mimetype="text/plain")


def _login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url)
        return _page(next_url)
    name = _submitted_name()
    password = request.form.get("password", "")
    expected = session.get("csrf", "")
    given = request.form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        audit("login-failed", user=name or "-", role="-", reason="form-expired")
        error = "The login form had expired. Please try again."
        return _page(next_url, error, 400, name)
    account = current_app.extensions[_EXTENSION].get(name)
    # An unknown name is checked against a dummy hash: a failed login takes as
    # long whether or not the name exists.
    checked = check_password_hash(
        account.password_hash if account else _dummy_hash(), password[:MAX_FIELD]
    )
    if account is None or not checked or len(password) > MAX_FIELD:
        audit("login-failed", user=name or "-", role="-")
        return _page(next_url, "Wrong user name or password.", 401, name)
    session.clear()
    session.permanent = True
    session["user"] = account.name
    session["sid"] = sessions.new_id()
    g.pop("dashboard_user", None)
    audit("login", user=account.name, role=account.role)
    return redirect(next_url)


def _logout():
    if current_user() is not None:
        audit("logout")
        current_app.extensions[_REVOCATIONS].revoke(session["sid"])
    session.clear()
    g.pop("dashboard_user", None)
    return redirect(url_for("auth.login"))


def _submitted_name() -> str:
    """The user name of a login form, as _login reads it."""
    return request.form.get("username", "").strip()[:MAX_FIELD]


def _name_key() -> str:
    """The per-name limit's key: a digest, so that no typed name (a password typed
    into the wrong field, say) is stored in Redis."""
    digest = hashlib.sha256(_submitted_name().encode("utf-8", "replace"))
    return "user-" + digest.hexdigest()[:32]


def _too_many_failures(limit: RequestLimit) -> Response:
    message = "Too many failed logins from your address. Try again in a minute."
    return _blocked(limit, message, "address")


def _too_many_failures_for_name(limit: RequestLimit) -> Response:
    message = "Too many failed logins for this user name. Try again in a minute."
    return _blocked(limit, message, "user-name")


def _blocked(limit: RequestLimit, message: str, by: str) -> Response:
    audit("login-blocked", user=_submitted_name() or "-", role="-", by=by)
    retry = max(1, int(limit.reset_at - datetime.now(UTC).timestamp()))
    response = _page(safe_next(request.values.get("next")), message, 429)
    response.headers["Retry-After"] = str(retry)
    return response


def _page(next_url: str, error: str = "", status: int = 200, username: str = ""):
    """The login form, with a fresh CSRF token in the session when it has none."""
    session.permanent = True
    session.setdefault("csrf", secrets.token_urlsafe(32))
    html = render_template(
        "login.html",
        stylesheets=STYLESHEETS,
        csrf_token=session["csrf"],
        next_url=next_url,
        error=error,
        username=username[:64],
    )
    response = Response(html, status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))
