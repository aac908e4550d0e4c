"""`kequ remind` really delivered: a private D-Bus session with a notification server (dunst on a
virtual X display) receives the notification, and activating it opens kequ in a terminal.

Needs the Debian packages dbus, xvfb and dunst (.ci/run installs them). Without them the test
skips, except in CI (CI=true), where a missing package is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kequ.storage import clock
from tests.cli.conftest import KEQU
from tests.cli.test_remind_cli import fake_program

NEEDED = ("dbus-daemon", "Xvfb", "dunst", "dunstctl")
MISSING = [name for name in NEEDED if shutil.which(name) is None]
if MISSING and os.environ.get("CI") != "true":
    pytest.skip(
        f"a real notification needs {', '.join(MISSING)} (apt-get install dbus xvfb dunst)", allow_module_level=True
    )


def _wait_for(check, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A session bus, an X display and dunst, all private to this test; the environment to reach them."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        started.append(bus)
        address = bus.stdout.readline().decode().strip()  # type: ignore[union-attr]
        assert address.startswith("unix:"), "dbus-daemon gave no address"
        display = f":{90 + os.getpid() % 400}"
        started.append(subprocess.Popen(["Xvfb", display, "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        assert _wait_for(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists()), "Xvfb did not start"
        config = tmp_path / "dunstrc"
        config.write_text("[global]\n", encoding="utf-8")
        env = {
            **os.environ,
            "DBUS_SESSION_BUS_ADDRESS": address,
            "DISPLAY": display,
            clock.ENV_VAR: clock.today().isoformat(),
        }
        started.append(subprocess.Popen(["dunst", "-config", str(config)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        assert _wait_for(lambda: _dunstctl(env, "count", "displayed") is not None), "dunst did not come up"
        yield env
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def _dunstctl(env: dict[str, str], *args: str) -> str | None:
    done = subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True, timeout=10)
    return done.stdout if done.returncode == 0 else None


def _history(env: dict[str, str]) -> list[dict[str, str]]:
    """Every notification dunst has shown, once closed: [{summary, body, appname}]."""
    _dunstctl(env, "close-all")
    raw = _dunstctl(env, "history") or "{}"
    found = json.loads(raw).get("data", [[]])[0]
    return [{key: entry[key]["data"] for key in ("summary", "body", "appname")} for entry in found]


@pytest.fixture
def demo_book(db_path: Path, desktop: dict[str, str]) -> Path:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([KEQU, "--db", str(db_path), "demo"], env=desktop, capture_output=True, timeout=120, check=True)
    return db_path


def test_the_summary_reaches_the_notification_server_once(demo_book: Path, desktop: dict[str, str]) -> None:
    run = subprocess.run([KEQU, "--db", str(demo_book), "remind"], env=desktop, capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""  # delivered, not printed
    assert _wait_for(lambda: (_dunstctl(desktop, "count", "displayed") or "").strip() == "1")
    (shown,) = _history(desktop)
    assert shown["appname"] == "kequ"
    assert shown["summary"] == "客情 · 今天 22 项"
    assert shown["body"].startswith("今天 22 项：董经理 投诉、罗总 生病住院拜访、周总 婚礼礼品")
    again = subprocess.run([KEQU, "--db", str(demo_book), "remind"], env=desktop, capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert again.returncode == 0 and again.stdout == ""
    time.sleep(0.5)
    assert _history(desktop) == [shown]  # said once: nothing new reached the server


def test_activating_the_notification_opens_kequ_in_a_terminal(
    demo_book: Path, desktop: dict[str, str], tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    bin_dir = fake_program(tmp_path / "bin", "x-terminal-emulator", f'printf "%s\\n" "$@" > "{opened}"')
    env = {**desktop, "PATH": f"{bin_dir}:{desktop['PATH']}"}
    waiting = subprocess.Popen([KEQU, "--db", str(demo_book), "remind", "--wait", "30"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert _wait_for(lambda: (_dunstctl(desktop, "count", "displayed") or "").strip() == "1")
        assert _dunstctl(desktop, "action", "0") is not None  # the user clicks it
        _out, err = waiting.communicate(timeout=30)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 0, err
    assert opened.read_text(encoding="utf-8").splitlines() == ["-e", KEQU, "--db", str(demo_book)]
