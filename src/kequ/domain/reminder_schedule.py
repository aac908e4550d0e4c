"""What ``kequ remind --install`` writes and runs on each system, as plain text and argument lists.

Pure: the platform, the kequ command and the morning time in; the files and the commands out.
kequ.services.reminders writes and runs them (or shows them, with ``--dry-run``). Each system
runs ``kequ remind`` at log-in, at the morning time, and every few minutes in between, so an
alert before a visit at 14:00 goes out at 13:30 and not at the next log-in.

- Linux: a systemd user service and timer in ~/.config/systemd/user.
- macOS: a launchd agent in ~/Library/LaunchAgents.
- Windows: a Task Scheduler task from an XML file (logon trigger, daily trigger), running
  the windowless kequw.exe (pyproject's gui-script) so no console flashes up.
"""

from __future__ import annotations

import plistlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from xml.sax.saxutils import escape

LINUX, MACOS, WINDOWS = "linux", "macos", "windows"
PLATFORMS = (LINUX, MACOS, WINDOWS)
# kequ remind runs this often between the morning and the evening, for the visit alerts.
EVERY_MINUTES = 5
# After saying something, a run waits this long for a click (a click opens kequ): less than
# the interval, so one run is over before the next starts.
WAIT_SECONDS = 240
UNIT = "kequ-remind"
LAUNCHD_LABEL = "local.kequ.remind"
TASK_NAME = "kequ\\remind"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: PurePath
    content: bytes

    def text(self) -> str:
        if self.content.startswith(b"\xff\xfe"):
            return self.content.decode("utf-16")
        return self.content.decode("utf-8")


@dataclass(frozen=True, slots=True)
class InstallPlan:
    platform: str
    files: tuple[PlannedFile, ...]  # written (install) or removed (uninstall)
    commands: tuple[tuple[str, ...], ...]  # run after writing, or before removing
    # Commands whose failure means nothing (taking out what is not there).
    may_fail: tuple[tuple[str, ...], ...] = ()
    # Uninstall: run once the files are gone (systemd forgets the units on a reload).
    after: tuple[tuple[str, ...], ...] = ()


def platform_of(sys_platform: str) -> str:
    """``sys.platform`` as one of PLATFORMS (anything not macOS or Windows counts as Linux)."""
    if sys_platform == "darwin":
        return MACOS
    if sys_platform.startswith(("win", "cygwin")):
        return WINDOWS
    return LINUX


def remind_command(kequ: Sequence[str], db: str, at: time) -> list[str]:
    """The command each run: kequ on this book, the summary not before ``at``."""
    return [*kequ, "--db", db, "remind", "--from", at.strftime("%H:%M"), "--wait", str(WAIT_SECONDS)]


def _systemd_quote(arg: str) -> str:
    # systemd unquotes "…" with C-style escapes and expands % specifiers everywhere.
    body = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{body}"'


def _systemd(command: Sequence[str], at: time, home: PurePath, uninstall: bool) -> InstallPlan:
    folder = PurePosixPath(home) / ".config" / "systemd" / "user"
    service = "\n".join(
        [
            "[Unit]",
            "Description=kequ: today's reminders",
            "",
            "[Service]",
            "Type=oneshot",
            "ExecStart=" + " ".join(_systemd_quote(arg) for arg in command),
            "",
        ]
    )
    timer = "\n".join(
        [
            "[Unit]",
            f"Description=kequ: reminders at log-in, each morning at {at:%H:%M} and before timed visits",
            "",
            "[Timer]",
            "OnStartupSec=1min",
            f"OnCalendar=*-*-* {at:%H:%M}:00",
            f"OnCalendar=*-*-* *:0/{EVERY_MINUTES}:00",
            "Persistent=true",
            "AccuracySec=30s",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    )
    files = (
        PlannedFile(folder / f"{UNIT}.service", service.encode()),
        PlannedFile(folder / f"{UNIT}.timer", timer.encode()),
    )
    if uninstall:
        off = ("systemctl", "--user", "disable", "--now", f"{UNIT}.timer")
        reload = ("systemctl", "--user", "daemon-reload")
        return InstallPlan(LINUX, files, (off,), may_fail=(off,), after=(reload,))
    commands = (("systemctl", "--user", "daemon-reload"), ("systemctl", "--user", "enable", "--now", f"{UNIT}.timer"))
    return InstallPlan(LINUX, files, commands)


def _launchd(command: Sequence[str], at: time, home: PurePath, uid: int, uninstall: bool) -> InstallPlan:
    path = PurePosixPath(home) / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    agent = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,  # at log-in
        "StartCalendarInterval": {"Hour": at.hour, "Minute": at.minute},
        "StartInterval": EVERY_MINUTES * 60,
        "ProcessType": "Interactive",
    }
    content = plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=True)
    out = ("launchctl", "bootout", f"gui/{uid}/{LAUNCHD_LABEL}")
    files = (PlannedFile(path, content),)
    if uninstall:
        return InstallPlan(MACOS, files, (out,), may_fail=(out,))
    return InstallPlan(MACOS, files, (out, ("launchctl", "bootstrap", f"gui/{uid}", str(path))), may_fail=(out,))


def windows_arguments(args: Sequence[str]) -> str:
    """Arguments as one Windows command line (the rules of CommandLineToArgvW)."""
    import subprocess

    return subprocess.list2cmdline(list(args))


def task_xml(command: Sequence[str], at: time, user: str = "") -> str:
    """The Task Scheduler task: at log-on (then every few minutes) and each day at ``at``."""
    who = f"<UserId>{escape(user)}</UserId>" if user else ""
    # A fixed first day: the task's text depends on nothing but what was asked.
    start = f"2026-01-01T{at:%H:%M}:00"
    every = (
        f"<Repetition><Interval>PT{EVERY_MINUTES}M</Interval><StopAtDurationEnd>false</StopAtDurationEnd></Repetition>"
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-16"?>',
        '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
        "  <RegistrationInfo><Description>kequ: today's reminders</Description></RegistrationInfo>",
        "  <Triggers>",
        f"    <LogonTrigger><Enabled>true</Enabled>{who}{every}</LogonTrigger>",
        f"    <CalendarTrigger><StartBoundary>{start}</StartBoundary><Enabled>true</Enabled>"
        "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>",
        "  </Triggers>",
        '  <Principals><Principal id="Author"><LogonType>InteractiveToken</LogonType>'
        "<RunLevel>LeastPrivilege</RunLevel></Principal></Principals>",
        "  <Settings>",
        "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
        "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
        "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
        "    <StartWhenAvailable>true</StartWhenAvailable>",
        "    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>",
        "    <Enabled>true</Enabled>",
        "  </Settings>",
        '  <Actions Context="Author">',
        f"    <Exec><Command>{escape(command[0])}</Command>"
        f"<Arguments>{escape(windows_arguments(command[1:]))}</Arguments></Exec>",
        "  </Actions>",
        "</Task>",
        "",
    ]
    return "\r\n".join(lines)


def windowless(command: Sequence[str]) -> list[str]:
    """The same command without a console window: kequw.exe (the gui-script) for kequ.exe,
    pythonw.exe for ``python.exe -m kequ``; anything else as it is."""
    program = PureWindowsPath(command[0])
    name = program.name.lower()
    if name in ("kequ", "kequ.exe"):
        return [str(program.with_name("kequw.exe")), *command[1:]]
    if name in ("python", "python.exe") and list(command[1:3]) == ["-m", "kequ"]:
        return [str(program.with_name("pythonw.exe")), *command[1:]]
    return list(command)


def _schtasks(command: Sequence[str], at: time, folder: PurePath, user: str, uninstall: bool) -> InstallPlan:
    path = PureWindowsPath(folder) / "kequ-remind.xml"
    # Every five minutes a console kequ.exe would flash a window up: the windowless one runs.
    # schtasks reads the XML as UTF-16, as the file says.
    content = b"\xff\xfe" + task_xml(windowless(command), at, user).encode("utf-16-le")
    files = (PlannedFile(path, content),)
    if uninstall:
        remove = ("schtasks", "/Delete", "/TN", TASK_NAME, "/F")
        return InstallPlan(WINDOWS, files, (remove,), may_fail=(remove,))
    return InstallPlan(WINDOWS, files, (("schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(path), "/F"),))


def install_plan(
    platform: str,
    command: Sequence[str],
    at: time,
    *,
    home: PurePath,
    data_folder: PurePath | None = None,
    uid: int = 0,
    user: str = "",
    uninstall: bool = False,
) -> InstallPlan:
    """What to write and run to have ``command`` run at log-in, at ``at`` and every few minutes.

    ``data_folder``: where the Windows task's XML is kept; ``uid``: the macOS user id
    (launchctl's gui/UID domain); ``user``: the Windows user the log-on trigger is for.
    """
    if platform == LINUX:
        return _systemd(command, at, home, uninstall)
    if platform == MACOS:
        return _launchd(command, at, home, uid, uninstall)
    if platform == WINDOWS:
        return _schtasks(command, at, data_folder or home, user, uninstall)
    raise ValueError(platform)


def terminal_command(platform: str, kequ: Sequence[str], found: Callable[[str], bool]) -> list[str] | None:
    """How to open kequ (its first screen is Today) in a new terminal window, or None.

    ``found(name)``: whether a program is on the PATH.
    """
    if platform == WINDOWS:
        return ["cmd", "/c", "start", "kequ today", *kequ]
    if platform == MACOS:
        line = " ".join(_sh_quote(arg) for arg in kequ)
        script = f'tell application "Terminal" to do script "{_applescript(line)}"'
        return ["osascript", "-e", script, "-e", 'tell application "Terminal" to activate']
    for name, flag in (
        ("x-terminal-emulator", "-e"),
        ("gnome-terminal", "--"),
        ("konsole", "-e"),
        ("xfce4-terminal", "-x"),
        ("xterm", "-e"),
    ):
        if found(name):
            return [name, flag, *kequ]
    return None


def _sh_quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _applescript(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
