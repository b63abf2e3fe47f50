"""The WSGI entry point for gunicorn (see Procfile): `gunicorn dashboard.wsgi:server`.

Settings come from the environment (DATABASE_URL, ...); each worker builds its own app.
"""

import logging

from dashboard.app import create_app
from dashboard.config import Settings

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

app = create_app(Settings.from_env())
server = app.server
