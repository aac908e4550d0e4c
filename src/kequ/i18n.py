"""The one translation layer: every text a user sees is looked up here.

Catalogues live in ``kequ/locale/*.toml``; each leaf table holds ``zh`` and ``en``.
Splitting them by topic lets each feature own its texts without touching the others.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from kequ.inert import inert_text
from kequ.kept import keep, kept_file, read_kept

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


def _parse(sources: list[Path]) -> dict[str, dict[str, str]]:
    import tomllib

    out: dict[str, dict[str, str]] = {}
    for entry in sources:
        _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", out)
    return out


def _stamp(sources: list[Path]) -> str:
    """The catalogues' names, sizes and times: what the parsed texts are kept under."""
    return repr([(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sources])


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every text, keyed by dotted name.

    Parsing all the TOML takes ~30 ms, a sixth of the app's start-up, so the parsed
    result is kept beside them, as Python keeps bytecode, and read back in ~1 ms.
    """
    sources = sorted(LOCALE_DIR.glob("*.toml"))
    stamp = _stamp(sources)
    cached = kept_file(LOCALE_DIR, "catalogue", stamp)
    texts = read_kept(cached, stamp)
    if isinstance(texts, dict):
        return texts
    texts = _parse(sources)
    keep(cached, "catalogue", stamp, texts)
    return texts


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language).

    A missing key shows the key itself, so a gap is visible rather than a crash. Texts
    put into the sentence (names, notes, a file's cells) go through ``inert_text``: a
    message is shown, and what is shown carries no terminal escape.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang or language()) or entry["zh"]
    if not params:
        return text
    return text.format(**{k: inert_text(v, multiline=True) if isinstance(v, str) else v for k, v in params.items()})
