"""Syncing a laptop with the team's PostgreSQL (issue #26): the server side (server, server_schema,
roles, connection) and the laptop side (wire shapes, the outbox, applying what a pull brings)."""
