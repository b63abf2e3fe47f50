"""What the support database holds and what we compute from it, as SQL: the
schema, engines and their errors, filters, per-ticket facts, reports, the tickets
table and conversations, CSV export. Imports only `dashboard.config`."""
