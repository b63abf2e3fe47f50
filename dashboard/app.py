"""create_app(settings) -> Dash: the dashboard, for `serve` (cli.py) or gunicorn.

Bootstrap's CSS is served by the app itself from the installed bootstrap-flask
package, so the page renders fully styled with no internet access; plotly.js is
served by Dash (serve_locally).
"""

import logging
from pathlib import Path

import flask_bootstrap
from dash import Dash
from flask import Flask, send_from_directory
from sqlalchemy.engine import Engine

from dashboard import (
    callbacks,
    components,
    drilldown_callbacks,
    layout,
    live,
    snapshot,
    web,
)
from dashboard.cache import FactsCache, fingerprint
from dashboard.config import Settings
from dashboard.db import describe, open_engine

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
BOOTSTRAP_ROUTE = "/vendor/bootstrap/"
BOOTSTRAP_CSS = "css/bootstrap.min.css"


def _serve_bootstrap(server: Flask) -> None:
    """Serve the packaged Bootstrap files under /vendor/bootstrap/."""

    def bootstrap_file(filename: str):
        return send_from_directory(BOOTSTRAP_DIR, filename, max_age=86400)

    server.add_url_rule(
        BOOTSTRAP_ROUTE + "<path:filename>", "bootstrap_file", bootstrap_file
    )


def create_app(settings: Settings, engine: Engine | None = None) -> Dash:
    """The dashboard on `engine`, or on the database the settings name (the seeded
    in-memory demo when they name none). Never connects here: a database that is
    down only shows up on the page, as an alert."""
    if engine is None:
        engine = open_engine(settings.database_url, settings.demo_seed)
    cache = FactsCache(engine)
    app = Dash(
        __name__,
        title=components.PRODUCT,
        update_title=None,
        assets_folder=str(ASSETS),
        external_stylesheets=[BOOTSTRAP_ROUTE + BOOTSTRAP_CSS],
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"}
        ],
    )
    _serve_bootstrap(app.server)

    def page():
        error = snapshot.refresh(cache, settings.database_url)
        choices = snapshot.choices(cache)
        newest = cache.fingerprint.newest_message_at if cache.fingerprint else None
        return layout.page(
            months=choices.months,
            agents=choices.agents,
            db_alert=components.db_alert(error, stale=choices.loaded),
            freshness=components.freshness(newest) if choices.loaded else "",
            personal_data=settings.show_personal_data,
            refresh_seconds=settings.refresh_seconds,
            version=live.token(cache.fingerprint, error),
        )

    app.layout = page
    callbacks.register_callbacks(app, cache, settings)
    drilldown_callbacks.register_drilldown(app, cache, engine, settings)

    def data_version():  # for /healthz: the database's fingerprint, one round trip
        with engine.connect() as conn:
            return live.token(fingerprint(conn))["data"]

    web.install(app, settings, data_version)
    log.info("dashboard on %s", describe(settings.database_url))
    return app
