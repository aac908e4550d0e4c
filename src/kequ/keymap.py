"""The user's own keys: a small TOML file mapping binding ids to keys.

    # ~/.config/kequ/keys.toml (the user config folder on other systems)
    "today.done" = "space"
    "today.snooze" = "z,s"

The help screen (`?`) shows each binding id. A file that cannot be read is reported and ignored:
the default keys always work.
"""

from __future__ import annotations

import os
from pathlib import Path

from kequ.errors import KequError


def keymap_path() -> Path:
    override = os.environ.get("KEQU_KEYMAP", "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("kequ", appauthor=False)) / "keys.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """{binding id: keys}; a missing file is an empty map, a broken one a KequError."""
    path = path or keymap_path()
    if not path.exists():
        return {}
    import tomllib  # only when there is a file: most people never write one

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        raise KequError("keymap.unreadable", path=path, detail=str(problem)[:200]) from problem
    bad = [key for key, value in data.items() if not isinstance(value, str) or not value.strip()]
    if bad:
        raise KequError("keymap.bad_value", path=path, ids=", ".join(bad))
    return {key: value.strip() for key, value in data.items()}
