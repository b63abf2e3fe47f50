"""Pure builders of what the page shows: theme, ids, figures, components, the
tickets grid, the leaderboard, the conversation panel, the layout. Imports only
`dashboard.data` (its constants), never the engine or the web layer."""
