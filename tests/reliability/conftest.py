"""The real ``kequ`` command on the test's database, as the CLI and I/O tests run it."""

from __future__ import annotations

from tests.cli.conftest import kequ  # noqa: F401 - the fixture, shared
