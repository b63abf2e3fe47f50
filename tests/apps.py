"""Apps for the tests: create_app, then wait until the background loader has
loaded the data (a page or callback asked earlier would see the loading state)."""

from dashboard.web.app import create_app


def loaded_app(settings, engine=None):
    app = create_app(settings, engine=engine)
    app.loader.check()  # in this thread; waits for the loader's own first load
    return app
