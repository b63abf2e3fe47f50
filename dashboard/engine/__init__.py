"""Where the computed facts live and how they stay current: the pull from the
support database, the DuckDB store, the background loader, sharing through Redis.
Imports `dashboard.data` and `dashboard.config`."""
