"""The security headers of every response, through flask-talisman: a
Content-Security-Policy with hashes of Dash's inline scripts, nosniff, no framing, a
referrer policy, HSTS on HTTPS only (README, "HTTP hardening")."""

from dash import Dash
from flask_talisman import Talisman

from dashboard.config import Settings

HSTS_SECONDS = 365 * 24 * 3600

# Where each source is needed (see the README's "Security headers"):
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # Dash's bundles, and its inline scripts by hash (added in install). No
    # 'unsafe-eval': dash-ag-grid evaluates {"function": ...} strings with esprima
    # and static-eval, an interpreter, not eval.
    "script-src": ["'self'"],
    # Plotly and AG Grid (its theming API) insert <style> elements at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    # Bootstrap's and AG Grid's icons are data: SVGs inside their CSS.
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def install(app: Dash, settings: Settings) -> Talisman:
    """Send the headers on every response of `app`'s server. The CSP hashes the
    inline scripts of the callbacks registered so far: call it after them."""
    return Talisman(
        app.server,
        force_https=settings.force_https,
        strict_transport_security=True,  # sent only when the request came by HTTPS
        strict_transport_security_max_age=HSTS_SECONDS,
        content_security_policy={
            **CONTENT_SECURITY_POLICY,
            "script-src": ["'self'", *app.csp_hashes()],
        },
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_xss_protection=False,  # obsolete; the CSP does this job
        session_cookie_secure=False,  # the login's cookie settings are its own
    )
