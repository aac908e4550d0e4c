"""The one translation layer: every text a user sees is looked up here.

Catalogues live in ``kequ/locale/*.toml``; each leaf table holds ``zh`` and ``en``.
Splitting them by topic lets each feature own its texts without touching the others.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from functools import cache
from pathlib import Path

from kequ.inert import inert_text

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


def _cache_file(sources: list[Path]) -> Path:
    """Where Python would keep bytecode for the catalogues, named after their sizes and times."""
    stamp = repr([(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sources])
    name = f"catalogue.{sys.implementation.cache_tag}-{zlib.crc32(stamp.encode()):08x}.marshal"
    if sys.pycache_prefix:
        folder = Path(sys.pycache_prefix) / LOCALE_DIR.resolve().relative_to(LOCALE_DIR.resolve().anchor)
    else:
        folder = LOCALE_DIR / "__pycache__"
    return folder / name


def _store(target: Path, texts: dict[str, dict[str, str]]) -> None:
    """Like a .pyc: written when Python may write bytecode and the folder allows it."""
    if sys.dont_write_bytecode:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob("catalogue.*.marshal"):
            stale.unlink(missing_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(texts))
        partial.replace(target)
    except OSError:
        pass  # a read-only install: each start parses the catalogues instead


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every text, keyed by dotted name.

    Parsing all the TOML takes ~30 ms, a sixth of the app's start-up, so the parsed
    result is kept beside them, as Python keeps bytecode, and read back in ~1 ms.
    """
    sources = sorted(LOCALE_DIR.glob("*.toml"))
    cached = _cache_file(sources)
    try:
        texts = marshal.loads(cached.read_bytes())
        if isinstance(texts, dict):
            return texts
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing, unreadable or damaged: parse the catalogues again
    texts = _parse(sources)
    _store(cached, texts)
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
