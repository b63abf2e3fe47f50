"""The Flask/Dash application: the factory, callbacks by feature, the URL state,
logins, HTTP hardening, downloads, the WSGI entry point and gunicorn's config."""
