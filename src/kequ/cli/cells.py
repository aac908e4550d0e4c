"""Table cells for the command line that wrap as Chinese text should, and never inside a number.

Rich breaks lines only at spaces: a Chinese reason is one long "word" to it, so in a
narrow column it is cut with "…" (``（已过 …`` lost its number) or folded anywhere, even
between two digits. A :class:`Cell` may break between any two Chinese characters and at
spaces, keeps a run of digits and Latin letters (2026-11-23, 5/9, 180) whole, and keeps
closing punctuation on the line before: ``天）`` never starts a line with ``）``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

__all__ = ["Cell", "user_cell"]

# One unbreakable piece: a run of narrow characters, or one wide character, each with the
# closing punctuation after it and the opening punctuation before it; or the spaces between.
_OPEN = "（《「『“‘【〔"
_CLOSE = "）》」』”’】〕，。、；：！？·…"
_PIECE = re.compile(rf"\s+|[{_OPEN}]*(?:[!-~]+|[^\s{_CLOSE}])[{_CLOSE}]*|[{_CLOSE}]+")


def _pieces(line: str) -> list[str]:
    return _PIECE.findall(line)


def _wrap(line: str, width: int) -> Iterator[str]:
    current, used = "", 0
    for piece in _pieces(line):
        size = cell_len(piece)
        if piece.isspace():
            if current:
                current, used = current + piece, used + size
            continue
        if used + size > width and current.strip():
            yield current.rstrip()
            current, used = "", 0
        while size > width:  # longer than the column itself: nothing else can be done
            head = piece
            while cell_len(head) > width:
                head = head[:-1]
            yield head
            piece = piece[len(head) :]
            size = cell_len(piece)
        current, used = current + piece, used + size
    if current.strip() or not line:
        yield current.rstrip()


class Cell:
    """User or reason text in a table cell, wrapped to the column's width as above."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.text.splitlines() or [""]
        widest = max(cell_len(line) for line in lines)
        longest = max((cell_len(p) for line in lines for p in _pieces(line) if not p.isspace()), default=0)
        return Measurement(min(longest, widest), widest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        lines = [piece for line in (self.text.splitlines() or [""]) for piece in _wrap(line, width)]
        yield Text("\n".join(lines), style=self.style, no_wrap=True, overflow="crop")


def user_cell(value: str, style: str = "") -> Cell:
    """A cell holding user data: shown as written, with nothing a terminal would run."""
    from kequ.inert import inert_text

    return Cell(inert_text(value, multiline=True), style=style)
