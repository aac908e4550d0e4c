"""What to say for a due item: the occasion it stands for, the tone, the filled message.

Pure: a due item and the user's own name in, text out.
"""

from __future__ import annotations

from collections.abc import Iterable

from kequ.domain.agenda.rules import DueItem
from kequ.domain.disc import approach
from kequ.domain.life_events import CONDOLENCE, is_one_off, tone_of
from kequ.domain.templates import GENERIC, Template, render, sign
from kequ.domain.vocab import Formality

# Forms of address that mean the relationship is already personal: 王哥, 李姐, 张叔.
_CLOSE_MARKS = ("哥", "姐", "弟", "妹", "叔", "姨", "兄", "老弟")


def formality_for(honorific: str) -> str:
    """王总 is formal; 王哥 or 李姐 is close, and the message should sound like it."""
    return Formality.CLOSE.value if honorific.endswith(_CLOSE_MARKS) else Formality.FORMAL.value


def date_kind(item: DueItem) -> str | None:
    """The kind of date (birthday, wedding, illness...) behind a date's item, else None."""
    if not item.source_key.startswith("date:"):
        return None
    return item.reason_key.removeprefix("reason.date_")


def occasion_for(item: DueItem) -> str:
    """The template occasion behind an item's source key."""
    source = item.source_key
    if source.startswith("festival:"):
        return source.split(":", 1)[1]
    if source.startswith("deal:"):
        day = source.rsplit(":", 1)[1]
        return "deal_thanks" if day == "0" else f"deal_call_{day}"
    if (kind := date_kind(item)) is not None:
        if kind == "birthday":
            # 守孝: the first birthday after a loss is not celebrated; a quiet word instead.
            return "birthday_mourning" if item.reason_params.get("mourning") else "birthday"
        # A life event has its own occasion, written in the tone of LIFE_EVENTS (道贺 or
        # 慰问): an illness never falls back to a "happy" greeting.
        if is_one_off(kind):
            return kind
    return GENERIC


def tone_for(item: DueItem) -> str | None:
    """CONGRATULATIONS or CONDOLENCE for a life event's item, else None."""
    kind = date_kind(item)
    return None if kind is None else tone_of(kind)


def approach_for(item: DueItem, lang: str, full: bool = False) -> str:
    """How to approach this person for this item: their type's advice for the kind of
    touch, or their type's words of care when it answers an illness or a bereavement."""
    return approach(item.disc, item.kind, lang, full, care=tone_for(item) == CONDOLENCE)


def message_for(
    item: DueItem,
    lang: str,
    *,
    my_name: str = "",
    signature: str = "",
    custom: Iterable[Template] = (),
    year: int | None = None,
) -> str:
    """The message for this item, filled in and signed (the my_name and my_signature settings)."""
    occasion = occasion_for(item)
    values = {
        "honorific": item.honorific or item.name,
        "name": item.name,
        "company": item.company,
        "my_name": my_name,
        # The occasion's year: a birthday reminded in December falls in January.
        "year": str(year or item.occurrence.year),
        # What happened, in the salesperson's words (女儿出嫁), for templates that say {event}.
        "event": item.reason_params.get("label", "") if tone_for(item) else "",
    }
    return sign(render(occasion, item.disc, formality_for(item.honorific), lang, values, custom), signature, occasion)
