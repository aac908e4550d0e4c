"""The real ``kequ`` in a real terminal: tmux types, capture-pane reads the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

KEQU = str(Path(sys.executable).parent / "kequ")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
]


class Tmux:
    """One terminal on a tmux server of its own (``-L``): sessions of tests running side by
    side, or the developer's own tmux, never share a server that one of them may end."""

    def __init__(self, width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"kequ-{uuid.uuid4().hex[:8]}"
        self.env = env
        subprocess.run(
            self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height)),
            check=True,
            env=env,
        )

    def tmux(self, *args: str) -> list[str]:
        return ["tmux", "-L", self.name, *args]

    def send(self, *keys: str) -> None:
        subprocess.run(self.tmux("send-keys", "-t", self.name, *keys), check=True)

    def screen(self) -> str:
        return subprocess.run(
            self.tmux("capture-pane", "-p", "-t", self.name), capture_output=True, text=True, check=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(self.tmux("has-session", "-t", self.name), capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run(self.tmux("kill-server"), capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path):
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "KEQU_LANG": "zh"}
    sessions: list[Tmux] = []

    def make(width: int = 100, height: int = 30) -> Tmux:
        session = Tmux(width, height, env)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.kill()


@pytest.mark.parametrize(("width", "height"), [(100, 30), (160, 45)])
def test_kequ_opens_on_today_and_quits(terminal, tmp_path: Path, width: int, height: int) -> None:
    db = tmp_path / "demo.db"
    term = terminal(width, height)
    # exec: when kequ exits the pane closes, which proves ctrl+q really quit.
    term.send(f"exec {KEQU} --db {db} demo --open", "Enter")
    shown = term.wait_for("逾期")
    assert "今日" in shown
    assert "待跟进" in shown
    # The footer mounts one refresh after the list (Lazy), so wait for it rather than race it.
    shown = term.wait_for("完成")
    assert "帮助" in shown  # the footer shows the keys, help among them
    term.send("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not term.alive(), term.screen()
    assert db.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_half_a_laptop_screen_keeps_the_reasons_quit_and_help(terminal, tmp_path: Path, lang: str) -> None:
    """80×24: the reason is readable, the approach is in the line under the list, and the
    footer still ends with quit and help."""
    db = tmp_path / "demo.db"
    subprocess.run([KEQU, "--db", str(db), "demo"], check=True, capture_output=True)
    term = terminal(80, 24)
    term.send(f"exec {KEQU} --db {db} --lang {lang}", "Enter")
    quit_help = ("^q 退出", "? 帮助") if lang == "zh" else ("^q Quit", "? Help")
    rhythm = "天前（每 180 天）" if lang == "zh" else "days ago (ev"
    shown = term.wait_for(rhythm)  # a whole reason, not 16 columns of it
    assert quit_help[0] in shown and quit_help[1] in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    term.send("C-q")


def test_cli_today_in_a_terminal(terminal, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    term = terminal(120, 40)
    term.send(f"{KEQU} --db {db} demo && {KEQU} --db {db} today --days 7; printf 'E%sT=%s\\n' XI $?", "Enter")
    shown = term.wait_for("EXIT=")  # only the printf's output spells it whole
    assert "EXIT=0" in shown
    assert "待跟进" in shown


def test_search_open_profile_mark_done_and_quit(terminal, tmp_path: Path) -> None:
    """The morning routine in a real terminal: find a customer by the initials of their company,
    look, go back, tick one off. (Not by 王总's: the demo's names change with the day, and on
    some days it has a 王总 of its own who sorts first.)"""
    import sqlite3

    db = tmp_path / "demo.db"
    subprocess.run([KEQU, "--db", str(db), "demo"], check=True, capture_output=True)
    subprocess.run(
        [KEQU, "--db", str(db), "add", "王建军", "--honorific", "王总", "--company", "测试机械", "--tier", "key"],
        check=True,
        capture_output=True,
    )
    before = sqlite3.connect(db).execute("SELECT count(*) FROM interaction").fetchone()[0]
    term = terminal(160, 45)
    term.send(f"exec {KEQU} --db {db}", "Enter")
    term.wait_for("逾期")
    term.send("2")
    term.wait_for("找到")
    term.send("c", "s", "j", "x")
    shown = term.wait_for("王总 王建军")
    assert "测试机械" in shown
    term.send("Enter")  # from the search box to the list
    term.wait_for("下一页")  # the footer shows the list's keys once the list has the focus
    term.send("Enter")  # open the first match
    shown = term.wait_for("王总（王建军）")
    assert "客户档案" in shown and "测试机械" in shown
    term.send("Escape")
    time.sleep(0.5)
    term.send("1")
    term.wait_for("逾期")
    time.sleep(0.5)
    term.send("Down", "d")
    term.wait_for("结果如何")
    term.send("约好下周拜访", "Enter")
    term.wait_for("已完成")
    after = sqlite3.connect(db).execute("SELECT count(*) FROM interaction").fetchone()[0]
    assert after == before + 1
    term.send("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not term.alive()


def test_kequ_complaint_walks_to_closing_and_books_the_follow_ups(terminal, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "demo.db"
    subprocess.run([KEQU, "--db", str(db), "demo"], check=True, capture_output=True)
    who = (
        sqlite3.connect(db)
        .execute("SELECT c.honorific FROM complaint JOIN customer c ON c.id = complaint.customer_id")
        .fetchone()[0]
    )
    term = terminal(160, 45)
    term.send(f"exec {KEQU} --db {db} complaint {who}", "Enter")
    term.wait_for("第 5 步，共 9 步")
    term.send("已当场道歉，由我负责跟进")
    term.send("C-Right")
    term.wait_for("第 6 步，共 9 步")
    term.send("C-l")
    term.wait_for("确认结案")
    term.send("补发 4 箱，运费我方承担", "Tab")
    time.sleep(0.3)
    term.send("Enter")
    time.sleep(0.5)
    term.send("Down", "Down", "Down", "Down")
    time.sleep(0.2)
    term.send("Enter")
    time.sleep(0.3)
    term.send("BTab")
    time.sleep(0.3)
    term.send("Enter")
    # The notice the wizard shows once the closing is saved ("已结案" alone is also a status
    # label the dialog shows before it saves).
    shown = term.wait_for("已结案。已安排回访")
    assert "补发 4 箱" in shown
    term.send("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not term.alive()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status, satisfaction FROM complaint").fetchone() == ("closed", 4)
    notes = conn.execute("SELECT notes FROM complaint_step WHERE step = 5").fetchone()[0]
    assert notes == "已当场道歉，由我负责跟进"
    kinds = [k for (k,) in conn.execute("SELECT kind FROM touchpoint WHERE source_key = 'manual' ORDER BY due_date")]
    assert kinds == ["call", "visit"]


def test_complaint_notes_survive_kill_9_mid_step(terminal, tmp_path: Path) -> None:
    """Typed, a breath taken, then the process dies without any chance to clean up."""
    import signal
    import sqlite3

    db = tmp_path / "demo.db"
    subprocess.run([KEQU, "--db", str(db), "demo"], check=True, capture_output=True)
    who = (
        sqlite3.connect(db)
        .execute("SELECT c.honorific FROM complaint JOIN customer c ON c.id = complaint.customer_id")
        .fetchone()[0]
    )
    term = terminal(160, 45)
    term.send(f"{KEQU} --db {db} complaint {who}", "Enter")
    term.wait_for("第 5 步，共 9 步")
    term.send("客户要求今天给答复，我答应下午三点前回电")
    term.wait_for("下午三点前回电")
    # Once the screen says the notes are saved, they must survive the process dying.
    term.wait_for("已自动保存")
    pid = subprocess.run(["pgrep", "-f", f"{KEQU} --db {db} complaint"], capture_output=True, text=True).stdout.split()
    assert pid, "kequ is not running"
    os.kill(int(pid[0]), signal.SIGKILL)
    notes = sqlite3.connect(db).execute("SELECT notes FROM complaint_step WHERE step = 5").fetchone()
    assert notes == ("客户要求今天给答复，我答应下午三点前回电",)
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
