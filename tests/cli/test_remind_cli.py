"""`kequ remind`, `--install` and `kequ export --format ics --feed`, through the real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY

DAY = DEMO_TODAY.isoformat()
FIRST = "今天 22 项：董经理 投诉、罗总 生病住院拜访、周总 婚礼礼品、张工 拜访、吕工 拜访……"


@pytest.fixture
def demo(kequ):
    assert kequ("demo").code == 0
    return kequ


@pytest.fixture
def quiet_env(tmp_path: Path) -> dict[str, str]:
    """No desktop here: no session bus, no notify-send on the PATH; kequ falls back to printing."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    return {"PATH": str(empty), "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}


def _add_visit(db_path: Path, at: str | None = "14:00") -> None:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer
    from kequ.services.trips import add_visit, plan_trip
    from kequ.storage.database import open_database

    db = open_database(str(db_path))
    cid = add_customer(db, NewCustomer(name="彭建国", honorific="彭总", company="苏州恒瑞"))
    trip = plan_trip(db, "苏州", ["苏州"], DEMO_TODAY, DEMO_TODAY)
    add_visit(db, trip, cid, DEMO_TODAY, at, place="人民医院")


def test_print_shows_the_day_as_the_notification_says_it_then_every_item(demo) -> None:
    shown = demo("remind", "--print")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == FIRST
    assert lines[1:4] == ["  · 董经理 投诉", "  · 罗总 生病住院拜访", "  · 周总 婚礼礼品"]
    assert len(lines) == 1 + 22
    english = demo("--lang", "en", "remind", "--print")
    assert english.out.splitlines()[0].startswith("Today, 22 to do: 董经理: Complaint; 罗总: Visit (Illness); ")


def test_json_is_one_document_with_the_summary_items_and_visit_alerts(demo, db_path: Path) -> None:
    _add_visit(db_path)
    doc = demo("remind", "--json").json()
    assert isinstance(doc, dict)
    # The demo's 22, the visit, and the new customer's first call.
    assert doc["day"] == DAY and doc["count"] == 24 == len(doc["items"])
    # Each item an object a script can use; the timed visit first, the new customer's call last.
    first, last = doc["items"][0], doc["items"][-1]
    assert first == {
        "customer_id": first["customer_id"],
        "name": "彭建国",
        "kind": "visit",
        "reason": "人民医院",
        "time": "14:00",
        "label": "14:00 拜访 彭总（彭建国）",
    }
    assert isinstance(first["customer_id"], int) and first["customer_id"] == last["customer_id"]
    assert (last["name"], last["kind"], last["time"], last["label"]) == ("彭建国", "call", None, "彭总 电话")
    assert last["reason"] == "还没通过电话（每 90 天一次）"
    assert (doc["items"][1]["name"], doc["items"][1]["kind"]) == ("董建国", "complaint")
    assert doc["summary"].startswith("今天 24 项：14:00 拜访 彭总（彭建国）、董经理 投诉、")
    (visit,) = doc["visit_alerts"]
    assert visit["key"] == f"visit:1:{DAY}T14:00"
    assert (visit["from"], visit["until"]) == (f"{DAY}T13:30", f"{DAY}T14:10")
    assert visit["body"] == "人民医院" and visit["already_said"] is False
    assert [a["kind"] for a in doc["alerts"]] == ["summary", "visit"]
    assert doc["already_said"] == []
    # The lead is a setting.
    assert demo("config", "remind_minutes", "45").code == 0
    assert demo("remind", "--json").json()["visit_alerts"][0]["from"] == f"{DAY}T13:15"  # type: ignore[index]


def test_it_says_the_summary_once_a_day_and_print_or_json_change_nothing(demo, db_path: Path, quiet_env) -> None:
    state = db_path.with_name("kequ.db.remind.json")
    demo("remind", "--print")
    demo("remind", "--json")
    assert not state.exists()  # a look at the day is not a reminder said
    first = demo("remind", env=quiet_env)
    assert first.code == 0, first.err
    assert first.out.splitlines()[:2] == ["客情 · 今天 22 项", FIRST]  # no desktop here: printed
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved == {"day": DAY, "said": [f"summary:{DAY}"]}
    again = demo("remind", env=quiet_env)
    assert (again.code, again.out) == (0, "")  # every few minutes is safe
    assert demo("remind", "--json").json()["already_said"] == [f"summary:{DAY}"]  # type: ignore[index]
    # The next day starts afresh.
    tomorrow = demo("remind", env={**quiet_env, "KEQU_TODAY": "2026-11-24"})
    assert tomorrow.out.startswith("客情 · 今天 ")
    assert json.loads(state.read_text(encoding="utf-8"))["day"] == "2026-11-24"


def test_the_summary_waits_for_the_morning_time(demo, quiet_env) -> None:
    """The child kequ runs on the real time of day: read it back from --json around the run."""
    before = demo("remind", "--json", "--from", "23:59").json()
    late = demo("remind", "--from", "23:59", env=quiet_env)
    after = demo("remind", "--json", "--from", "23:59").json()
    assert late.code == 0, late.err
    if after["now"] < f"{DAY}T23:59":  # type: ignore[index,operator]
        assert before["alerts"][0]["due_now"] is False  # type: ignore[index]
        assert late.out == ""  # not before the morning time
    early = demo("remind", "--json", "--from", "00:00").json()
    assert early["alerts"][0]["due_now"] is True  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "25:00"), "--from 的时间“25:00”看不懂"),
        (("--install", "--uninstall"), "只能选一个"),
        (("--dry-run",), "只和 --install 或 --uninstall 一起用"),
        (("--uninstall", "--at", "08:00"), "--uninstall 不需要 --at"),
        (("--install", "--at", "8点61"), "--at 的时间“8点61”看不懂"),
    ],
)
def test_refusals_are_one_line_and_exit_2(kequ, args: tuple[str, ...], words: str) -> None:
    result = kequ("remind", *args)
    assert result.code == 2
    assert words in result.err and len(result.err.strip().splitlines()) == 1


def test_dry_run_shows_each_systems_files_and_commands_and_writes_nothing(kequ, db_path: Path, tmp_path) -> None:
    home = tmp_path / "home"
    mac = kequ("remind", "--install", "--at", "07:45", "--dry-run", "--platform", "macos", "--json").json()
    assert isinstance(mac, dict) and mac["dry_run"] is True and mac["ran"] == []
    (plist,) = mac["files"]
    assert plist["path"] == str(home / "Library/LaunchAgents/local.kequ.remind.plist")
    assert "<key>RunAtLoad</key>" in plist["content"] and "<integer>45</integer>" in plist["content"]
    assert f"<string>{db_path.resolve()}</string>" in plist["content"]
    assert mac["commands"][-1][:2] == ["launchctl", "bootstrap"]
    windows_user = {"USERNAME": "zw", "USERDOMAIN": "PC"}
    win = kequ("remind", "--install", "--dry-run", "--platform", "windows", "--json", env=windows_user).json()
    assert isinstance(win, dict)
    assert "<UserId>PC\\zw</UserId>" in win["files"][0]["content"]
    assert "<StartBoundary>2026-01-01T08:30:00</StartBoundary>" in win["files"][0]["content"]
    assert win["commands"][0][:3] == ["schtasks", "/Create", "/TN"]
    shown = kequ("remind", "--install", "--dry-run")
    assert shown.code == 0, shown.err
    assert f"将写入 {home}/.config/systemd/user/kequ-remind.timer：" in shown.out
    assert "OnCalendar=*-*-* 08:30:00" in shown.out
    assert "将运行：systemctl --user enable --now kequ-remind.timer" in shown.out
    assert not (home / ".config").exists() and not (home / "Library").exists()
    other = kequ("remind", "--install", "--platform", "windows")
    assert other.code == 2 and "只能 --dry-run" in other.err


def fake_program(folder: Path, name: str, script: str) -> Path:
    """A shell script called ``name`` in ``folder`` (made if need be); returns the folder for PATH."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    return folder


def _fake_systemctl(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "systemctl.log"
    return fake_program(tmp_path / "fake-bin", "systemctl", f'echo "$@" >> "{log}"'), log


def test_install_writes_the_units_runs_systemctl_and_uninstall_takes_them_away(
    kequ, db_path: Path, tmp_path: Path
) -> None:
    bin_dir, log = _fake_systemctl(tmp_path)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = kequ("remind", "--install", "--at", "08:15", env=env)
    assert done.code == 0, done.err
    folder = tmp_path / "home/.config/systemd/user"
    service, timer = folder / "kequ-remind.service", folder / "kequ-remind.timer"
    assert "OnCalendar=*-*-* 08:15:00" in timer.read_text(encoding="utf-8")
    exec_line = next(line for line in service.read_text(encoding="utf-8").splitlines() if line.startswith("ExecStart="))
    assert f'"--db" "{db_path.resolve()}" "remind" "--from" "08:15"' in exec_line
    kequ_path = exec_line.split('"')[1]
    assert Path(kequ_path).is_file() and Path(kequ_path).name == "kequ"  # the kequ that was run
    assert log.read_text(encoding="utf-8").splitlines() == [
        "--user daemon-reload",
        "--user enable --now kequ-remind.timer",
    ]
    assert "好了：开机登录时、每天 08:15" in done.out
    if shutil.which("systemd-analyze"):
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        checked = subprocess.run(
            ["systemd-analyze", "--user", "verify", str(service), str(timer)],
            capture_output=True,
            text=True,
            env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
            timeout=60,
        )
        assert checked.returncode == 0, checked.stderr
        assert "kequ-remind" not in checked.stderr + checked.stdout  # no warning about our files
    log.unlink()
    gone = kequ("remind", "--uninstall", env=env)
    assert gone.code == 0, gone.err
    assert not service.exists() and not timer.exists()
    assert log.read_text(encoding="utf-8").splitlines() == [
        "--user disable --now kequ-remind.timer",
        "--user daemon-reload",
    ]


def test_a_failing_systemctl_is_one_line_saying_what_to_do(kequ, tmp_path: Path) -> None:
    failing = 'echo "Failed to connect to bus: No medium found" >&2; exit 1'
    bin_dir = fake_program(tmp_path / "failing-bin", "systemctl", failing)
    result = kequ("remind", "--install", env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert result.code == 2
    assert "systemctl --user daemon-reload" in result.err and "No medium found" in result.err
    assert "--dry-run" in result.err and len(result.err.strip().splitlines()) == 1


def test_the_feed_is_written_and_kept_current_by_each_remind(demo, db_path: Path, tmp_path: Path, quiet_env) -> None:
    from kequ.storage import clock
    from tests.cli.conftest import KEQU

    feed = tmp_path / "同步盘" / "kequ.ics"
    feed.parent.mkdir()
    made = demo("export", "--format", "ics", "--feed", str(feed))
    assert made.code == 0, made.err
    assert f"已写入日历 {feed}" in made.out and "之后每次 kequ remind 都会更新它" in made.out
    env = {**os.environ, clock.ENV_VAR: DAY}
    # Bytes, not text: the calendar's CRLF line ends are part of what must be equal.
    fresh = subprocess.run(
        [KEQU, "--db", str(db_path), "export", "--format", "ics"], capture_output=True, env=env, timeout=60
    ).stdout
    assert feed.read_bytes() == fresh
    feed.write_text("stale", encoding="utf-8")
    assert demo("remind", "--print").code == 0 and demo("remind", "--json").code == 0
    assert feed.read_bytes() == b"stale"  # a look at the day writes nothing
    assert demo("remind", env=quiet_env).code == 0
    assert feed.read_bytes() == fresh  # a real run rewrites it, whole
    assert [p.name for p in feed.parent.iterdir()] == ["kequ.ics"]
    wrong = demo("export", "--format", "csv", "--feed", str(feed))
    assert wrong.code == 2 and "--format ics" in wrong.err
    both = demo("export", "--format", "ics", "--feed", str(feed), "-o", str(tmp_path / "x.ics"))
    assert both.code == 2 and "只能选一个" in both.err
    # The feed is a setting: kequ config shows it and an empty value turns it off.
    assert demo("config", "remind_feed").out.strip() == str(feed.resolve())
    assert "remind_feed" in demo("config").out
    assert demo("config", "remind_feed", "").code == 0
    feed.write_text("stale", encoding="utf-8")
    assert demo("remind", env=quiet_env).code == 0
    assert feed.read_bytes() == b"stale"  # off: left alone


# ------------------------------------------------------------------ an encrypted book

PASS = "口令 2026"


@pytest.fixture
def locked(kequ, tmp_path: Path) -> dict[str, str]:
    """A small encrypted book, and a keyring (a test file) that keeps nothing yet."""
    ring = {
        "PYTHON_KEYRING_BACKEND": "tests.cli.file_keyring.FileKeyring",
        "KEQU_TEST_KEYRING": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    assert kequ("add", "彭建国", env=ring).code == 0
    done = kequ("encrypt", env={**ring, "KEQU_PASSPHRASE": PASS})
    assert done.code == 0, done.err
    return ring


def _one_line(result) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    return lines[0]


def test_install_on_an_encrypted_book_needs_the_passphrase_in_the_keyring(kequ, locked, tmp_path: Path) -> None:
    ring = locked
    bin_dir, log = _fake_systemctl(tmp_path)
    env = {**ring, "PATH": f"{bin_dir}:{os.environ['PATH']}", "KEQU_PASSPHRASE": PASS}
    # The passphrase given to this command is not one the timer's runs will have.
    line = _one_line(kequ("remind", "--install", env=env))
    assert "加密" in line and "kequ passphrase --remember" in line and "kequ encrypt --remember" in line
    assert not (tmp_path / "home/.config/systemd").exists() and not log.exists()
    # Kept in the keyring: installed, and a run with no passphrase at all opens the book.
    kept = kequ("passphrase", "--remember", env={**env, "KEQU_NEW_PASSPHRASE": PASS})
    assert kept.code == 0, kept.err
    done = kequ("remind", "--install", env={**ring, "PATH": env["PATH"]})
    assert done.code == 0, done.err
    assert (tmp_path / "home/.config/systemd/user/kequ-remind.timer").is_file()
    assert kequ("remind", "--json", env=ring).code == 0


def test_a_feed_of_an_encrypted_book_needs_the_passphrase_in_the_keyring(kequ, locked, tmp_path: Path) -> None:
    ring = locked
    feed = tmp_path / "kequ.ics"
    line = _one_line(kequ("export", "--format", "ics", "--feed", str(feed), env={**ring, "KEQU_PASSPHRASE": PASS}))
    assert "kequ passphrase --remember" in line and not feed.exists()


def test_a_scheduled_run_without_the_passphrase_says_so_once(kequ, locked, quiet_env) -> None:
    ring = locked
    env = {**ring, **quiet_env}
    first = kequ("remind", "--from", "00:00", env=env)
    assert first.code == 2 and "KEQU_PASSPHRASE" in first.err
    # No desktop here: printed, as the notification would say it.
    assert "kequ passphrase --remember" in first.out and "客情" in first.out
    again = kequ("remind", "--from", "00:00", env=env)
    assert again.code == 2 and again.out == ""  # not every five minutes
    # A look at the day by hand is answered on the terminal only.
    assert kequ("remind", "--json", env={**ring, **quiet_env, "KEQU_TODAY": "2026-11-24"}).out == ""


def test_a_windows_dry_run_elsewhere_shows_the_windows_machines_own_paths(kequ) -> None:
    shown = kequ("remind", "--install", "--dry-run", "--platform", "windows", db=None)
    assert shown.code == 0, shown.err
    assert "将写入 %LOCALAPPDATA%\\kequ\\kequ-remind.xml：" in shown.out
    # Windowless, found on that machine's PATH, on the book in its own data folder.
    assert "<Exec><Command>kequw.exe</Command>" in shown.out
    assert "<Arguments>--db %LOCALAPPDATA%\\kequ\\kequ.db remind --from 08:30 --wait 240</Arguments>" in shown.out
    assert "/" not in shown.out.split("<Arguments>")[1].split("</Arguments>")[0]  # no POSIX path in the task
    run = [line for line in shown.out.splitlines() if line.startswith("将运行：")]
    assert run == ["将运行：schtasks /Create /TN kequ\\remind /XML %LOCALAPPDATA%\\kequ\\kequ-remind.xml /F"]
    # A book named as that machine names it is its book; one of this machine's is not.
    given = kequ("remind", "--install", "--dry-run", "--platform", "windows", db=Path("D:/客户/kequ.db"))
    assert "<Arguments>--db D:\\客户\\kequ.db remind" in given.out
    here = kequ("remind", "--install", "--dry-run", "--platform", "windows")
    assert "<Arguments>--db %LOCALAPPDATA%\\kequ\\kequ.db remind" in here.out


def test_kequw_runs_the_same_remind_with_no_console_to_write_to(demo, db_path: Path) -> None:
    """pythonw gives a windowless kequ no stdout nor stderr: it runs all the same."""
    import sys
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["gui-scripts"] == {"kequw": "kequ.cli.windowless:windowless"}
    script = (
        "import sys; sys.stdout = sys.stderr = None; from kequ.cli.windowless import windowless; "
        f"sys.argv = ['kequw', '--db', {str(db_path)!r}, 'remind', '--json']; raise SystemExit(windowless())"
    )
    env = {**os.environ, "KEQU_TODAY": DAY}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    bad = script.replace("'--json'", "'--from', '25:00'")
    refused = subprocess.run([sys.executable, "-c", bad], capture_output=True, text=True, env=env, timeout=60)
    assert (refused.returncode, refused.stderr) == (2, "")  # nowhere to say it, and still exit 2
