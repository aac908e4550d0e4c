"""The one way to read a settings file the user wrote: the key map, a holiday file.

Such a file may be anything the user (or a mistake) put at that path: a folder, a named
pipe that never ends, ``/dev/zero``, a 200 MB log, ten thousand nested brackets. None of
these may stop or freeze the program. So a file is looked at before it is opened, opened
without waiting, read no further than a set size, and any way it can fail becomes a
:class:`SettingsFileError` whose message says what is wrong in one sentence. The caller
reports that and goes on with its defaults.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from kequ.errors import KequError

__all__ = ["MAX_SETTINGS_BYTES", "SettingsFileError", "parse_settings", "read_settings", "read_settings_text"]

# Far more than any settings file a person writes; more is not a settings file.
MAX_SETTINGS_BYTES = 1024 * 1024
# Without waiting for a writer (a named pipe) and without becoming the terminal's
# (a device); Windows has neither flag and no such files behind a plain path.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class SettingsFileError(KequError):
    """Why a settings file was not used; ``key`` is under ``settings_file.``."""


def size_text(limit: int) -> str:
    """1048576 → "1 MB", 65536 → "64 KB": the limit as the messages show it."""
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} KB"


def _check_kind(mode: int, limit: int, size: int) -> None:
    if stat.S_ISDIR(mode):
        raise SettingsFileError("settings_file.is_folder")
    if not stat.S_ISREG(mode):
        raise SettingsFileError("settings_file.not_a_file")
    if size > limit:
        raise SettingsFileError("settings_file.too_big", most=size_text(limit))


def _read_bytes(path: Path, limit: int) -> bytes:
    info = os.stat(path)
    _check_kind(info.st_mode, limit, info.st_size)
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        # Again on the opened file: it may have been swapped for a pipe since the look.
        info = os.fstat(handle.fileno())
        _check_kind(info.st_mode, limit, info.st_size)
        raw = handle.read(limit + 1)  # a file still growing is cut off here
    if len(raw) > limit:
        raise SettingsFileError("settings_file.too_big", most=size_text(limit))
    return raw


def read_settings_text(path: Path, limit: int = MAX_SETTINGS_BYTES) -> str:
    """The file's text (UTF-8, a leading BOM dropped), never more than ``limit`` bytes read."""
    try:
        raw = _read_bytes(path, limit)
    except MemoryError as problem:
        raise SettingsFileError("settings_file.too_big", most=size_text(limit)) from problem
    except OSError as problem:
        raise SettingsFileError("settings_file.unreadable", detail=problem.strerror or str(problem)) from problem
    try:
        return raw.decode("utf-8-sig")  # Notepad on Windows saves with a BOM
    except UnicodeDecodeError as problem:
        raise SettingsFileError("settings_file.not_utf8") from problem


def parse_settings(text: str) -> dict[str, Any]:
    """TOML text as a table; deep nesting or a parser running out of memory is a refusal."""
    import tomllib  # only when there is a file: most people never write one

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise SettingsFileError("settings_file.not_toml", detail=str(problem)[:200]) from problem
    except RecursionError as problem:  # thousands of nested [[[[ ]]]]
        raise SettingsFileError("settings_file.too_complex") from problem
    except MemoryError as problem:
        raise SettingsFileError("settings_file.too_complex") from problem


def read_settings(path: Path, limit: int = MAX_SETTINGS_BYTES) -> dict[str, Any]:
    """A settings file read and parsed, or :class:`SettingsFileError` saying why not."""
    return parse_settings(read_settings_text(path, limit))
