"""create_app(settings) -> Dash: the dashboard, for `serve` (cli.py) or gunicorn.

Bootstrap's CSS and plotly.js are the app's own assets (assets/vendor/), so the page
renders fully styled and charted with no internet access.
"""

import logging
from pathlib import Path

from dash import Dash
from flask import request
from sqlalchemy.engine import Engine

from dashboard.config import Settings
from dashboard.data.db import DatabaseError, describe
from dashboard.engine import redis_link, shared
from dashboard.engine.loader import Loader
from dashboard.engine.store import FactsStore
from dashboard.ui import components, layout
from dashboard.web import (
    auth,
    db_reads,
    downloads,
    errors,
    hardening,
    refresh,
    view_data,
)
from dashboard.web import view_cache as views
from dashboard.web.callbacks import drilldown as drilldown_callbacks
from dashboard.web.callbacks import view as callbacks
from seeds.demo import open_engine

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
# Linked before the assets Dash links itself (style.css builds on it); assets/vendor/
# is left out of those (assets_path_ignore), which come in file-name order.
BOOTSTRAP_CSS = "/assets/vendor/bootstrap.min.css"
# plotly.js's cartesian partial bundle (1.5 MB against the full 4.8 MB), of the
# version plotly.py ships: loaded before Dash's scripts, it is the window.Plotly that
# dcc.Graph uses instead of fetching the full bundle (tests/unit/test_plotly_js.py
# checks that it draws every trace type the page uses).
PLOTLY_JS = "/assets/vendor/plotly-cartesian-4.1.1.min.js"


def _whole_vendor_files(response):
    """assets/vendor/ files (plotly.js, Bootstrap) as one body rather than a file
    stream: flask-compress compresses streams without gzip and with no cache, so a
    browser asking for gzip alone would get plotly.js's 1.5 MB uncompressed."""
    if response.direct_passthrough and request.path.startswith("/assets/vendor/"):
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response


def create_app(settings: Settings, engine: Engine | None = None) -> Dash:
    """The dashboard on `engine`, or on the database the settings name (the seeded
    in-memory demo when they name none). Never reads the support database here or
    in a request for the page: the background loader loads the facts, and a
    database that is down only shows up on the page, as an alert."""
    if engine is None:
        engine = open_engine(
            settings.database_url,
            settings.demo_seed,
            query_timeout=settings.query_timeout_seconds,
        )
    ns = shared.namespace(settings.redis_prefix, settings.database_url)
    redis_state = (
        shared.Shared.connect(settings.redis_url, ns) if settings.redis_url else None
    )
    store = FactsStore(engine, timezone=settings.timezone)
    loader = Loader(
        store,
        settings.database_url,
        settings.refresh_seconds,
        shared=redis_state,
        reconcile=settings.reconcile_seconds,
    )
    app = Dash(
        __name__,
        title=components.PRODUCT,
        update_title=None,
        on_error=errors.callback_failed,  # a failing callback: logged, friendly 500
        compress=True,  # flask-compress: zstd, brotli or gzip, as the browser asks
        assets_folder=str(ASSETS),
        assets_path_ignore=["^vendor$"],
        external_stylesheets=[BOOTSTRAP_CSS],
        external_scripts=[PLOTLY_JS],
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"}
        ],
    )
    # flask-compress compresses each response anew (bundles included) at levels set
    # for speed; one notch up cuts plotly.js from 1.44 to 1.29 MB for about 60 ms,
    # paid once per browser (bundles are cached by their fingerprinted URLs).
    app.server.config.update(COMPRESS_ZSTD_LEVEL=9, COMPRESS_BR_LEVEL=5)
    app.server.after_request(_whole_vendor_files)  # runs before flask-compress's
    # What a request asks Redis (logouts, finished views) goes through one breaker.
    breaker = (
        redis_link.Breaker(redis_link.connect(settings.redis_url))
        if settings.redis_url
        else None
    )
    auth.install(app.server, settings, breaker, ns)  # logins, when AUTH_USERS is set

    def page():
        choices = view_data.choices(store)
        progress = store.progress
        return layout.page(
            months=choices.months,
            agents=choices.agents,
            db_alert=components.db_alert(loader.error, stale=choices.loaded),
            loading=None
            if choices.loaded
            else components.load_status(progress.step, progress.done, progress.total),
            freshness=components.freshness(store.meta.newest_message_at)
            if choices.loaded
            else "",
            personal_data=auth.personal_data_allowed(settings),
            user=auth.signed_in(),
            refresh_seconds=settings.refresh_seconds,
            min_ratings=settings.min_ratings,
            version=refresh.token(store.fingerprint, loader.error, store.meta.sums),
        )

    app.layout = page
    downloads.install(app.server, store, lambda: auth.personal_data_allowed(settings))
    view_cache = views.cache(app.server, settings.redis_url, ns, breaker)
    callbacks.register_callbacks(app, store, loader, view_cache, settings)
    drilldown_callbacks.register_drilldown(
        app, store, loader, db_reads.reads(settings, engine), settings
    )

    def data_version():
        """For /healthz: the data the store holds, as the loader last found the
        database (no query of its own: health checks cost the database nothing):
        the fingerprint, then the reconcile's digest."""
        if loader.error is not None:
            raise DatabaseError(loader.error)
        meta = store.meta
        if meta.fingerprint is None:
            return None
        sums = None if meta.sums is None else meta.sums.version
        return [*refresh.token(meta.fingerprint)["data"], sums]

    def times():
        return {"checked_at": store.checked_at, "reconciled_at": store.reconciled_at}

    hardening.install(app, settings, data_version, times)
    app.loader = loader.start()
    log.info("dashboard on %s", describe(settings.database_url))
    return app
