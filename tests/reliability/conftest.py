"""The CLI's ``kequ`` fixture (the installed command on the test's database) here too."""

from tests.cli.conftest import kequ

__all__ = ["kequ"]
