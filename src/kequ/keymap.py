"""The user's own keys: a small TOML file mapping binding ids to keys.

    # ~/.config/kequ/keys.toml (the user config folder on other systems)
    "today.done" = "space"
    "today.snooze" = "z,s"

The help screen (`?`) shows each binding id. A file that cannot be read, is no ordinary
file or is over 1 MB is reported and ignored: the default keys always work.
"""

from __future__ import annotations

import os
from pathlib import Path

from kequ.errors import KequError
from kequ.i18n import t
from kequ.settings_file import SettingsFileError, read_settings


class KeymapFileError(KequError):
    """The key map not used, and why, in the language of the moment it is shown."""

    def __init__(self, problem: SettingsFileError, path: Path) -> None:
        super().__init__("keymap.unreadable", path=path)
        self.problem = problem

    def message(self, lang: str | None = None) -> str:
        detail = self.problem.message(lang).rstrip("。.")
        return t(self.key, lang, path=self.params["path"], detail=detail)


def keymap_path() -> Path:
    override = os.environ.get("KEQU_KEYMAP", "").strip()
    if override:
        return Path(override).expanduser()
    from kequ.paths import config_dir

    return config_dir() / "keys.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """{binding id: keys}; a missing file is an empty map, a broken one a KequError."""
    path = path or keymap_path()
    if not os.path.lexists(path):
        return {}
    try:
        data = read_settings(path)
    except SettingsFileError as problem:
        raise KeymapFileError(problem, path) from problem
    bad = [key for key, value in data.items() if not isinstance(value, str) or not value.strip()]
    if bad:
        raise KequError("keymap.bad_value", path=path, ids=", ".join(bad))
    return {key: value.strip() for key, value in data.items()}
