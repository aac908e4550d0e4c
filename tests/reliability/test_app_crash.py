"""A failure in the app's own code prints no customer data, leaves a private report, exits non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kequ.storage import clock

# The real app, headless, on a real demo book, with one screen made to fail while a
# customer's name and phone are in its local variables (as any bug would have them).
CRASH = """
import sys
from pathlib import Path
from kequ.storage.database import open_database
from kequ.services.demo import fill_demo
from kequ.storage import clock
from kequ.ui.app import KequApp
from kequ.ui.screens.today.today import TodayScreen

db = open_database(sys.argv[1])
fill_demo(db, clock.today())

def show(self, items, visits=None):
    name = "机密客户王五"
    phones = "13912345678"
    raise RuntimeError(f"{name} {phones}")

TodayScreen.show = show
sys.exit(KequApp(db.path).run_to_end(headless=True, size=(100, 30)))
"""


def crash_once(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), clock.ENV_VAR: clock.today().isoformat()}
    env.pop("KEQU_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", CRASH, str(tmp_path / "k.db")], capture_output=True, text=True, env=env, timeout=120
    )


def reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "state").rglob("crash-*.txt"))


def test_an_app_crash_prints_one_line_and_no_customer_data(tmp_path: Path) -> None:
    result = crash_once(tmp_path)
    shown = result.stdout + result.stderr
    assert result.returncode == 70
    assert "机密客户王五" not in shown and "13912345678" not in shown
    assert "Traceback" not in shown
    (report,) = reports(tmp_path)
    assert str(report) in result.stderr
    text = report.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "show" in text
    assert "机密客户王五" not in text and "13912345678" not in text
    assert report.stat().st_mode & 0o777 == 0o600


def test_two_crashes_in_one_second_leave_two_reports(tmp_path: Path) -> None:
    from kequ.crash import write_crash_report

    os.environ["XDG_STATE_HOME"] = str(tmp_path / "state")
    try:
        first = write_crash_report(RuntimeError("a"))
        second = write_crash_report(RuntimeError("b"))
    finally:
        del os.environ["XDG_STATE_HOME"]
    assert first != second and first != "-" and second != "-"
    assert len(reports(tmp_path)) == 2
