from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kequ.storage import clock, db_users

KEQU = str(Path(sys.executable).parent / "kequ")


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def kequ(db_path: Path) -> Callable[..., Result]:
    """Run the installed ``kequ`` command on the test's database, on the test's frozen day."""
    db_path.parent.mkdir(parents=True, exist_ok=True)

    def run(
        *args: str, db: Path | None = db_path, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        """``stdin``: what to type, from a pipe (so kequ knows it is no terminal)."""
        full = [KEQU, *(["--db", str(db)] if db else []), *args]
        # The test itself is not a kequ window: what it opened in-process must not make a
        # restore refuse as if a window were still open.
        db_users.release()
        environ = {**os.environ, "COLUMNS": "160", clock.ENV_VAR: clock.today().isoformat(), **(env or {})}
        proc = subprocess.run(full, capture_output=True, text=True, env=environ, timeout=60, input=stdin)
        return Result(proc)

    return run
