"""Every component id of the dashboard, shared by layout, callbacks and tests.

Plain ids are kebab-case strings; repeated widgets (KPI cards, charts) have dict ids
built by the functions below, so a test can find any of them without guessing.
"""

URL = "url"
NAVBAR = "navbar"
FRESHNESS = "navbar-freshness"
USER = "navbar-user"  # who is logged in, and the role
LOGOUT = "navbar-logout"

FILTER_MONTH = "filter-month"
FILTER_AGENT = "filter-agent"
FILTER_CATEGORY = "filter-category"
FILTER_STATUS = "filter-status"
FILTER_RESET = "filter-reset"
# The filter dropdown of each Filters field, in the order of the fields.
FILTER_FIELDS = {
    "month": FILTER_MONTH,
    "agent": FILTER_AGENT,
    "category": FILTER_CATEGORY,
    "status": FILTER_STATUS,
}
APPLIED_FILTERS = "applied-filters"  # the validated filters the data callback reads

URL_NOTICES = "url-notices"  # alerts about ignored URL / filter values
MONTH_NOTE = "month-note"  # "No tickets in Jan 2026" for a month without any
DB_ALERT = "db-alert"  # alert while the database cannot be used
LOAD_STATUS = "load-status"  # progress banner while the data loads

KPI_ROW = "kpi-row"

# The queue: open tickets now, and a click on an age that lists them.
QUEUE_CARD = "queue-card"
QUEUE_AGE = "queue-age"  # the age bucket picked in the queue chart (a dcc.Store)
TICKETS_AGE = "tickets-age"  # the chip above the table saying an age is picked
TICKETS_AGE_CLEAR = "tickets-age-clear"

# The agent leaderboard.
LEADERBOARD_CARD = "leaderboard-card"
LEADERBOARD_GRID = "leaderboard-grid"
LEADERBOARD_SEARCH = "leaderboard-search"
KPI_CAPTION = "kpi-caption"  # "Change against Feb 2025" when a month is chosen
CHARTS = "charts"

# The tickets table and the conversation of one ticket (drill-down).
TICKETS_CARD = "tickets-card"
TICKETS_GRID = "tickets-grid"
TICKETS_SEARCH = "tickets-search"
TICKETS_COUNT = "tickets-count"
TICKETS_EMPTY = "tickets-empty"  # the empty-state sentence
TICKETS_DOWNLOAD_BUTTON = "tickets-download-button"  # a link to downloads.py
OPEN_TICKET = "open-ticket"  # the open ticket's id (from the URL or a click)
CONVERSATION = "conversation"  # the offcanvas
CONVERSATION_BODY = "conversation-body"

# Auto-refresh.
REFRESH_INTERVAL = "refresh-interval"
DATA_VERSION = "data-version"  # refresh.token of the data the page shows
CHECKED = "navbar-checked"  # when the database was last asked for changes

# KPI cards and charts repeat: their ids are made from a name, the `summary` column
# of the KPI (kpis.KPIS) or the report name of the chart (charts.CHARTS).


def kpi_card(name: str) -> dict:
    return {"type": "kpi-card", "name": name}


def kpi_value(name: str) -> dict:
    return {"type": "kpi-value", "name": name}


def kpi_delta(name: str) -> dict:
    return {"type": "kpi-delta", "name": name}


def queue_value(name: str) -> dict:
    """A number of the queue card: a `backlog` report column."""
    return {"type": "queue-value", "name": name}


def chart_card(name: str) -> str:
    return f"card-{name}"


def chart(name: str) -> str:
    return f"chart-{name}"


def chart_description(name: str) -> str:
    """The line under a chart card's title saying what is drawn (for the period)."""
    return f"about-{name}"


def report_download_button(name: str) -> dict:
    """The report card's CSV link (downloads.py)."""
    return {"type": "report-download-button", "name": name}
