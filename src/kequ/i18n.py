"""The one translation layer: every text a user sees is looked up here.

Catalogues live in ``kequ/locale/*.toml``; each leaf table holds ``zh`` and ``en``.
Splitting them by topic lets each feature own its texts without touching the others.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

# Beside this module, not via importlib.resources: that import alone costs ~16 ms at start-up.
LOCALE_DIR = Path(__file__).with_name("locale")

SUPPORTED = ("zh", "en")
_current: str | None = None


def detect_language(environ: dict[str, str] | None = None) -> str:
    """Chinese unless the environment clearly asks for English."""
    env = os.environ if environ is None else environ
    explicit = env.get("KEQU_LANG", "").strip().lower()
    if explicit in SUPPORTED:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def set_language(lang: str | None) -> str:
    global _current
    _current = lang if lang in SUPPORTED else detect_language()
    return _current


def language() -> str:
    return _current if _current is not None else set_language(None)


def _flatten(table: dict, prefix: str, out: dict[str, dict[str, str]]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and "zh" in value and isinstance(value["zh"], str):
            out[key] = value
        elif isinstance(value, dict):
            _flatten(value, key, out)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for entry in sorted(LOCALE_DIR.glob("*.toml")):
        _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", out)
    return out


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language).

    A missing key shows the key itself, so a gap is visible rather than a crash.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang or language()) or entry["zh"]
    return text.format(**params) if params else text
