"""Every folder of the user's that kequ uses, in the place their system keeps such things.

platformdirs loads only when a folder is asked for, never on the way to the first frame
of a book given with --db.
"""

from __future__ import annotations

from pathlib import Path

APP = "kequ"


def data_dir() -> Path:
    """The book and its backups, by default (~/.local/share/kequ on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """keys.toml (~/.config/kequ on Linux)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def log_dir() -> Path:
    """Crash reports (~/.local/state/kequ/log on Linux)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP, appauthor=False))
