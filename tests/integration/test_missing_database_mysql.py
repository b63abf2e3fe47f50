"""A server that is up but lacks the URL's database (MySQL error 1049) is named as
such, with the database's name and nothing else of the URL, on the page and in the
CLI: never "cannot reach the database"."""

import uuid

import pytest
from sqlalchemy.engine import make_url

from dashboard.cli import main
from dashboard.config import Settings, database_url
from dashboard.web.app import create_app
from tests.mysql import SERVER_URL

pytestmark = pytest.mark.mysql


def missing_url():
    """A mysql:// URL (as an add-on gives it) on the real server, naming a database
    that does not exist there."""
    name = f"csd_missing_{uuid.uuid4().hex[:10]}"
    url = make_url(SERVER_URL).set(database=name)
    return name, url.set(drivername="mysql").render_as_string(hide_password=False)


def strings(node):
    """Every string in a JSON value: the text a layout shows, among others."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def test_mdb001_the_cli_names_the_missing_database(capsys):
    name, url = missing_url()
    assert main(["report", "summary", "--database-url", url]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f'support-dashboard: error: database "{name}" does not exist on the server; '
        "create it or fix DATABASE_URL\n"
    )


def test_mdb002_the_page_names_the_missing_database_and_nothing_else(caplog):
    name, url = missing_url()
    host = database_url(url)
    app = create_app(Settings(database_url=host, refresh_seconds=0))
    try:
        app.loader.check()
        client = app.server.test_client()
        assert client.get("/").status_code == 200
        layout = " ".join(strings(client.get("/_dash-layout").get_json()))
    finally:
        app.loader.stop()
    shown = (
        f'The database "{name}" does not exist on the server; create it or fix '
        "DATABASE_URL."
    )
    assert app.loader.error == shown
    assert shown in layout
    for internal in (host.host, str(host.port or 3306), host.username, "1049"):
        assert internal not in layout.replace(shown, ""), internal
    assert "cannot reach" not in layout
    logged = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f'database "{name}" does not exist') for m in logged)
