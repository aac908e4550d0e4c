"""The laptop's side of sync with a team's server (issue #26): wire shapes, outbox, applying pulls."""
