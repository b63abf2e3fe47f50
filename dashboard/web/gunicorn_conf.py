"""gunicorn's configuration for the Procfile (`--config python:...gunicorn_conf`).

gunicorn's master reads this file before it logs a line, binds the port or starts a
worker. Settings the server would refuse (a malformed DATABASE_URL, real data and
no AUTH_USERS, ...) stop it here: one line on stderr and exit status 1. Found later,
in each worker, they would be either respawned forever (a PaaS then shows the app as
running while every request fails) or reported once per worker amid gunicorn's own
log lines.
"""

from dashboard.config import ConfigError, server_settings

try:
    server_settings()
except ConfigError as exc:
    raise SystemExit(f"support-dashboard: error: {exc}") from None

# An idle keep-alive connection is closed after this many seconds. gunicorn's 2 s
# default races a viewer's next click (a POST sent as the server closes the socket is
# reset, and clients do not resend a POST): 2-3 resets a minute with 50 viewers.
# Load balancers keep idle connections up to 60 s by default (AWS ALB); outlive them.
keepalive = 75
