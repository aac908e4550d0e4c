"""What to say for a due item: the occasion it stands for, the tone, the filled message.

Pure: a due item and the user's own name in, text out.
"""

from __future__ import annotations

from collections.abc import Iterable

from kequ.agenda import DueItem
from kequ.templates import GENERIC, Template, render
from kequ.vocab import Formality

# Forms of address that mean the relationship is already personal: 王哥, 李姐, 张叔.
_CLOSE_MARKS = ("哥", "姐", "弟", "妹", "叔", "姨", "兄", "老弟")


def formality_for(honorific: str) -> str:
    """王总 is formal; 王哥 or 李姐 is close, and the message should sound like it."""
    return Formality.CLOSE.value if honorific.endswith(_CLOSE_MARKS) else Formality.FORMAL.value


def occasion_for(item: DueItem) -> str:
    """The template occasion behind an item's source key."""
    source = item.source_key
    if source.startswith("festival:"):
        return source.split(":", 1)[1]
    if source.startswith("deal:"):
        day = source.rsplit(":", 1)[1]
        return "deal_thanks" if day == "0" else f"deal_call_{day}"
    if source.startswith("date:") and item.reason_key == "reason.date_birthday":
        return "birthday"
    return GENERIC


def message_for(
    item: DueItem, lang: str, *, my_name: str = "", custom: Iterable[Template] = (), year: int | None = None
) -> str:
    values = {
        "honorific": item.honorific or item.name,
        "name": item.name,
        "company": item.company,
        "my_name": my_name,
        "year": str(year or item.due.year),
    }
    return render(occasion_for(item), item.disc, formality_for(item.honorific), lang, values, custom)
