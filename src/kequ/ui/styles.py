"""Each screen's styles live in a .tcss file beside it, read as its DEFAULT_CSS.

DEFAULT_CSS rather than CSS_PATH keeps the rules where Textual ranks a widget's own
defaults, below app.tcss, exactly as when they were strings in the code.
"""

from __future__ import annotations

from pathlib import Path


def css_beside(module_file: str, name: str) -> str:
    return Path(module_file).with_name(name).read_text(encoding="utf-8")
