"""Customer Support System Dashboard: reports and an auto-refreshing Dash app on
support data."""
