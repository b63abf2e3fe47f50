"""The WSGI entry point for gunicorn (see Procfile): `dashboard.web.wsgi:server`.

Settings come from the environment (DATABASE_URL, ...); each worker builds its own app.
"""

import logging
import sys

from dashboard.config import ConfigError, server_settings
from dashboard.data.db import DatabaseError
from dashboard.web.app import create_app

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

# gunicorn's exit status for "the app failed to load": the master stops the whole
# server instead of respawning workers that can never start. (The Procfile's
# gunicorn_conf refuses the same settings earlier, in the master, with one line.)
APP_LOAD_ERROR = 4

try:
    settings = server_settings()
    app = create_app(settings)  # DatabaseError only for a missing SQLite file
except (ConfigError, DatabaseError) as exc:  # a deploy-time mistake: say what to fix
    print(f"support-dashboard: error: {exc}", file=sys.stderr, flush=True)
    sys.exit(APP_LOAD_ERROR)
server = app.server
