"""Small pieces of styled text shared by the screens. User text is never parsed as markup."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text

from kequ.domain.vocab import Disc
from kequ.i18n import t
from kequ.inert import inert_text

DISC_STYLE = {
    "D": "bold white on #b03a2e",
    "I": "bold black on #f1c40f",
    "S": "bold white on #1e8449",
    "C": "bold white on #2e86c1",
}


def disc_badge(disc: str | None, short: bool = False) -> Text:
    """`` D 力量型 ``, or on a narrow screen the letter alone in its colour."""
    if not disc:
        return Text(" - ", style="dim")
    label = f" {disc} " if short else f" {disc} {t(f'vocab.disc.{disc}')} "
    return Text(label, style=DISC_STYLE.get(disc, ""))


def disc_badge_width() -> int:
    """Cells the widest type badge takes in the current language (I Influencer, D 力量型)."""
    return max(disc_badge(disc).cell_len for disc in Disc)


def widest_label(prefix: str, values: Iterable[str]) -> int:
    """Cells the widest of these catalogue labels takes in the current language."""
    return max(cell_len(t(f"{prefix}.{value}")) for value in values)


def plain(value: str, style: str = "") -> Text:
    """User data as literal text: ``[red]`` stays ``[red]``, and an escape does nothing.

    Neither Rich nor Textual removes ESC from a Text: without ``inert_text`` a name read
    from an old database would reach the terminal as a command.
    """
    return Text(inert_text(value, multiline=True), style=style, no_wrap=True, overflow="ellipsis")
