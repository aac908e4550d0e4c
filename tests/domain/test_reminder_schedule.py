"""kequ.domain.reminder_schedule: each system's files and commands, read back by content."""

from __future__ import annotations

import plistlib
import xml.etree.ElementTree as ET
from datetime import time
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from kequ.domain.reminder_schedule import (
    LINUX,
    MACOS,
    WINDOWS,
    install_plan,
    platform_of,
    remind_command,
    terminal_command,
    windowless,
)

AT = time(8, 30)
POSIX_CMD = remind_command(["/home/张伟/.local/bin/kequ"], "/home/张伟/客户 100%/kequ.db", AT)
WIN_CMD = remind_command([r"C:\Users\张伟\AppData\Local\kequ\kequ.exe"], r"C:\Users\张伟\我的 客户\kequ.db", AT)
NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def test_the_command_runs_this_kequ_on_this_book_from_the_morning_time() -> None:
    assert POSIX_CMD == [
        "/home/张伟/.local/bin/kequ", "--db", "/home/张伟/客户 100%/kequ.db",
        "remind", "--from", "08:30", "--wait", "240",
    ]  # fmt: skip


def test_linux_writes_a_user_service_and_a_timer_and_enables_the_timer() -> None:
    plan = install_plan(LINUX, POSIX_CMD, AT, home=PurePosixPath("/home/张伟"))
    service, timer = plan.files
    assert service.path == PurePosixPath("/home/张伟/.config/systemd/user/kequ-remind.service")
    assert timer.path == PurePosixPath("/home/张伟/.config/systemd/user/kequ-remind.timer")
    lines = service.text().splitlines()
    assert "Type=oneshot" in lines
    # Quoted for systemd: the space stays inside one argument, % is not a specifier.
    assert (
        'ExecStart="/home/张伟/.local/bin/kequ" "--db" "/home/张伟/客户 100%%/kequ.db" "remind" "--from" "08:30"'
        ' "--wait" "240"'
    ) in lines
    timer_lines = timer.text().splitlines()
    for wanted in ("OnStartupSec=1min", "OnCalendar=*-*-* 08:30:00", "OnCalendar=*-*-* *:0/5:00", "Persistent=true"):
        assert wanted in timer_lines
    assert timer_lines[-1] == "WantedBy=timers.target"
    assert plan.commands == (
        ("systemctl", "--user", "daemon-reload"),
        ("systemctl", "--user", "enable", "--now", "kequ-remind.timer"),
    )
    off = install_plan(LINUX, POSIX_CMD, AT, home=PurePosixPath("/home/张伟"), uninstall=True)
    assert off.commands == (("systemctl", "--user", "disable", "--now", "kequ-remind.timer"),)
    assert off.after == (("systemctl", "--user", "daemon-reload"),)
    assert [f.path for f in off.files] == [f.path for f in plan.files]


def test_macos_writes_a_launch_agent_that_runs_at_load_each_morning_and_every_five_minutes() -> None:
    plan = install_plan(MACOS, POSIX_CMD, time(7, 5), home=PurePosixPath("/Users/zw"), uid=501)
    (agent,) = plan.files
    assert agent.path == PurePosixPath("/Users/zw/Library/LaunchAgents/local.kequ.remind.plist")
    data = plistlib.loads(agent.content)
    assert data["Label"] == "local.kequ.remind"
    assert data["ProgramArguments"] == POSIX_CMD
    assert data["RunAtLoad"] is True
    assert data["StartCalendarInterval"] == {"Hour": 7, "Minute": 5}
    assert data["StartInterval"] == 300
    assert plan.commands == (
        ("launchctl", "bootout", "gui/501/local.kequ.remind"),
        ("launchctl", "bootstrap", "gui/501", "/Users/zw/Library/LaunchAgents/local.kequ.remind.plist"),
    )
    assert plan.may_fail == (("launchctl", "bootout", "gui/501/local.kequ.remind"),)  # not loaded yet: fine


def test_windows_writes_a_utf16_task_with_a_logon_and_a_daily_trigger() -> None:
    folder = PureWindowsPath(r"C:\Users\张伟\AppData\Local\kequ")
    plan = install_plan(WINDOWS, WIN_CMD, AT, home=folder, data_folder=folder, user="PC\\张伟")
    (task,) = plan.files
    assert task.path == folder / "kequ-remind.xml"
    assert task.content.startswith(b"\xff\xfe")  # UTF-16 with its mark, as the XML says
    root = ET.fromstring(task.content.decode("utf-16").encode("utf-8").replace(b'encoding="UTF-16"', b""))
    logon = root.find("t:Triggers/t:LogonTrigger", NS)
    assert logon is not None and logon.findtext("t:UserId", namespaces=NS) == "PC\\张伟"
    assert logon.findtext("t:Repetition/t:Interval", namespaces=NS) == "PT5M"
    daily = root.find("t:Triggers/t:CalendarTrigger", NS)
    assert daily is not None and daily.findtext("t:StartBoundary", namespaces=NS) == "2026-01-01T08:30:00"
    assert daily.findtext("t:ScheduleByDay/t:DaysInterval", namespaces=NS) == "1"
    # The windowless kequw.exe beside kequ.exe: no console flashes up every five minutes.
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=NS) == r"C:\Users\张伟\AppData\Local\kequ\kequw.exe"
    assert (
        root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS)
        == r'--db "C:\Users\张伟\我的 客户\kequ.db" remind --from 08:30 --wait 240'
    )
    assert root.findtext("t:Settings/t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    assert plan.commands == (("schtasks", "/Create", "/TN", "kequ\\remind", "/XML", str(task.path), "/F"),)
    off = install_plan(WINDOWS, WIN_CMD, AT, home=folder, data_folder=folder, uninstall=True)
    assert off.commands == (("schtasks", "/Delete", "/TN", "kequ\\remind", "/F"),)


def test_the_same_request_gives_the_same_bytes() -> None:
    for platform in (LINUX, MACOS, WINDOWS):
        a = install_plan(platform, POSIX_CMD, AT, home=PurePosixPath("/h"), uid=1)
        b = install_plan(platform, POSIX_CMD, AT, home=PurePosixPath("/h"), uid=1)
        assert a == b


@pytest.mark.parametrize(("value", "expected"), [("linux", LINUX), ("darwin", MACOS), ("win32", WINDOWS)])
def test_platform_of(value: str, expected: str) -> None:
    assert platform_of(value) == expected


def test_a_click_opens_kequ_in_a_terminal_where_there_is_one() -> None:
    kequ = ["/bin/kequ", "--db", "/tmp/k.db"]
    assert terminal_command(LINUX, kequ, lambda name: name == "xterm") == ["xterm", "-e", *kequ]
    assert terminal_command(LINUX, kequ, lambda name: name in ("xterm", "gnome-terminal")) == [
        "gnome-terminal", "--", *kequ,
    ]  # fmt: skip
    assert terminal_command(LINUX, kequ, lambda name: False) is None
    mac = terminal_command(MACOS, ["/Applications/k q/kequ"], lambda name: False)
    assert mac is not None and mac[:2] == ["osascript", "-e"]
    assert "do script \"'/Applications/k q/kequ'\"" in mac[2]
    assert terminal_command(WINDOWS, kequ, lambda name: False) == ["cmd", "/c", "start", "kequ today", *kequ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([r"C:\Py\Scripts\kequ.exe"], [r"C:\Py\Scripts\kequw.exe"]),
        ([r"C:\Py\Scripts\KEQU.EXE"], [r"C:\Py\Scripts\kequw.exe"]),
        ([r"C:\Py\python.exe", "-m", "kequ"], [r"C:\Py\pythonw.exe", "-m", "kequ"]),
        (["kequ.exe"], ["kequw.exe"]),
        ([r"C:\Py\Scripts\kequw.exe"], [r"C:\Py\Scripts\kequw.exe"]),  # already windowless
        ([r"C:\tools\other.exe", "x"], [r"C:\tools\other.exe", "x"]),  # not known: left as it is
    ],
)
def test_the_windows_task_runs_kequ_without_a_console(given: list[str], expected: list[str]) -> None:
    assert windowless(given) == expected
    plan = install_plan(
        WINDOWS, [*given, "remind"], AT, home=PureWindowsPath("C:/h"), data_folder=PureWindowsPath("C:/h")
    )
    command = ET.fromstring(plan.files[0].text().encode("utf-8").replace(b'encoding="UTF-16"', b"")).findtext(
        "t:Actions/t:Exec/t:Command", namespaces=NS
    )
    assert command == expected[0]
