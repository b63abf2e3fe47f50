"""Customer Support System Dashboard: reports and a live Dash app on support data."""
