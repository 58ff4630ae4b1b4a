"""The hub's pages: `pages` (home, rounds, audit log), `lead` (open, dashboard, judge,
publish), `authority` (an authority's returns: upload, report, queries) and `downloads`
(every file the hub serves, each one audited). Access rules: hub.rounds.access."""
