"""Settings files the user wrote (keys.toml, holidays/*.toml) that are not what they seem.

A nest of ten thousand brackets, a named pipe, a 200 MB file, /dev/zero: each is refused
with one line saying which file and why, and the program goes on with its defaults.
Real files, real pipes, and real processes where the failure used to be a crash.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kequ.ui.app import KequApp
from kequ.ui.screens.festivals.festivals import FestivalsScreen
from tests.cli.conftest import Result
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

HUGE_BYTES = 200 * 1024 * 1024


def nested(path: Path) -> Path:
    """10 KB of x = [[[[…]]]]: valid-looking TOML that is far too deep for the parser."""
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return path


def huge(path: Path) -> Path:
    """200 MB that take no disk: a sparse file, as truncate makes it."""
    with path.open("wb") as handle:
        handle.truncate(HUGE_BYTES)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def device(path: Path) -> Path:
    """A name that leads to /dev/zero: endless bytes to whoever reads it."""
    path.symlink_to("/dev/zero")
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "nested": nested,
    "huge": huge,
    "fifo": fifo,
    "device": device,
    "folder": folder,
}
# What the refusal says, in Chinese, for each kind.
SAYS = {"nested": "括号", "huge": "超过", "fifo": "不是普通文件", "device": "不是普通文件", "folder": "文件夹"}


@pytest.fixture
def unblock_fifos() -> Iterator[list[Path]]:
    """Pipes to open for writing if anyone waits on them, so a reader that blocks ends
    (with an empty read) instead of hanging the test run; the code under test must never
    need it."""
    pipes: list[Path] = []
    stop = threading.Event()

    def release() -> None:
        while not stop.wait(0.1):
            for pipe in pipes:
                if not stat.S_ISFIFO(os.lstat(pipe).st_mode):
                    continue
                try:
                    os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
                except OSError as problem:
                    if problem.errno not in (errno.ENXIO, errno.ENOENT):
                        raise

    watcher = threading.Thread(target=release, daemon=True)
    watcher.start()
    yield pipes
    stop.set()
    watcher.join(timeout=5)


# ------------------------------------------------------------------------ the key map


def _warnings(app: KequApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


@pytest.mark.parametrize("kind", ["nested", "huge", "fifo", "folder"])
async def test_the_app_starts_with_default_keys_and_says_why_the_keymap_was_not_used(
    kind: str, demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unblock_fifos: list[Path]
) -> None:
    keys = MAKERS[kind](tmp_path / "keys.toml")
    unblock_fifos.append(keys)
    monkeypatch.setenv("KEQU_KEYMAP", str(keys))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    started = time.monotonic()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert time.monotonic() - started < 5  # a pipe is not waited on
        warned = [text for text in _warnings(app) if "按键设置文件" in text]
        assert len(warned) == 1 and str(keys) in warned[0] and SAYS[kind] in warned[0]
        assert kind != "huge" or "1 MB" in warned[0]
        assert "\n" not in warned[0]
        await pilot.press("question_mark")  # the default keys still work
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


CHILD = """
import resource, sys
from pathlib import Path
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from kequ.errors import KequError
from kequ.keymap import load_keymap
try:
    load_keymap(Path(sys.argv[1]))
except KequError as problem:
    print(problem.message("en"))
"""


@pytest.mark.parametrize("kind", ["huge", "device"])
def test_a_keymap_that_never_ends_is_refused_without_reading_it(kind: str, tmp_path: Path) -> None:
    """In a process held to 128 MB of address space: 200 MB (or /dev/zero) cannot be read in."""
    keys = MAKERS[kind](tmp_path / "keys.toml")
    limit = 128 * 1024 * 1024
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(keys), str(limit)], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, child.stderr[-500:]
    assert child.stdout.count("\n") == 1 and "using the default keys" in child.stdout
    assert ("larger than 1 MB" if kind == "huge" else "not an ordinary file") in child.stdout


# ----------------------------------------------------------------- the holiday folder


def _holiday_folder(db_path: Path) -> Path:
    target = db_path.parent / "holidays"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _warning_lines(result: Result) -> list[str]:
    return [line for line in result.err.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_festivals_use_the_packaged_year_and_name_the_refused_file_in_one_line(
    kind: str, kequ, db_path: Path, unblock_fifos: list[Path]
) -> None:
    bad = MAKERS[kind](_holiday_folder(db_path) / "cn_2026.toml")
    unblock_fifos.append(bad)
    result = kequ("festivals", "--year", "2026")
    assert result.code == 0, result.err
    assert "放假 2/15–2/23 共9天" in result.out  # the packaged 2026 still answers
    lines = _warning_lines(result)
    assert len(lines) == 1, result.err
    assert "cn_2026.toml" in lines[0] and "没有使用" in lines[0] and SAYS[kind] in lines[0]


def test_an_unpublished_year_says_which_files_were_refused_and_why(kequ, db_path: Path) -> None:
    holidays = _holiday_folder(db_path)
    nested(holidays / "cn_2027.toml")
    (holidays / "cn_2027_fix.toml").write_text("year = 2027\n[[holiday]]\nfestival = 'new_year'\n", encoding="utf-8")
    result = kequ("festivals", "--year", "2027")
    assert result.code == 0, result.err
    lines = _warning_lines(result)
    assert len(lines) == 3, result.err  # one per refused file, then "not published yet"
    assert "cn_2027.toml" in lines[0] and "括号" in lines[0]
    assert "cn_2027_fix.toml" in lines[1] and "first" in lines[1]
    assert "尚未公布" in lines[2]


async def test_the_festivals_screen_opens_and_lists_the_refused_file(demo_db, unblock_fifos: list[Path]) -> None:
    holidays = _holiday_folder(demo_db.path)
    nested(holidays / "cn_2026.toml")
    unblock_fifos.append(fifo(holidays / "cn_2027.toml"))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.push_screen(FestivalsScreen(DEMO_TODAY))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FestivalsScreen)
        refused = [text for text, _known in screen.coverage_lines if "没有使用" in text]
        assert len(refused) == 2
        assert "cn_2026.toml" in refused[0] and "括号" in refused[0]
        assert "cn_2027.toml" in refused[1] and "不是普通文件" in refused[1]
