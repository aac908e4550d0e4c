"""Syncing a laptop with the team's PostgreSQL (issue #26): the server side and the laptop side."""
