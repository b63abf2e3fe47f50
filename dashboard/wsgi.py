"""The WSGI entry point for gunicorn (see Procfile): `gunicorn dashboard.wsgi:server`.

Settings come from the environment (DATABASE_URL, ...); each worker builds its own app.
"""

import logging
import sys

from dashboard.app import create_app
from dashboard.config import ConfigError, Settings

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

try:
    settings = Settings.from_env()
except ConfigError as exc:  # a deploy-time mistake: say what to fix, no traceback
    sys.exit(f"support-dashboard: error: {exc}")
app = create_app(settings)
server = app.server
