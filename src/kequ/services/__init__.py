"""Use cases: each function opens one session, does one thing a user asked for, and
returns plain values. Screens and the command line call these, never the database."""
