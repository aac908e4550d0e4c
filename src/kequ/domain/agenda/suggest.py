"""What to say for a due item: the occasion it stands for, the tone, the filled message.

Pure: a due item and the user's own name in, text out. Every kind of touch has words of
its own: a rhythm call opens by asking for a moment, a visit asks for a time, an open
complaint apologises and says where it stands, a birthday a few days off names its day.
Only an occasion kequ knows nothing about falls back to the generic greeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import DueItem
from kequ.domain.disc import approach
from kequ.domain.gender import known_gender
from kequ.domain.life_events import CONDOLENCE, is_one_off, tone_of
from kequ.domain.templates import GENERIC, Template, render, sign
from kequ.domain.values import address_as
from kequ.domain.vocab import DateKind, Formality, TouchKind
from kequ.i18n import t

# Forms of address that mean the relationship is already personal: 王哥, 李姐, 张叔.
_CLOSE_MARKS = ("哥", "姐", "弟", "妹", "叔", "姨", "兄", "老弟")


def formality_for(honorific: str) -> str:
    """王总 is formal; 王哥 or 李姐 is close, and the message should sound like it."""
    return Formality.CLOSE.value if honorific.endswith(_CLOSE_MARKS) else Formality.FORMAL.value


def date_kind(item: DueItem) -> str | None:
    """The kind of date (birthday, wedding, illness...) behind a date's item, else None."""
    if sources.origin(item.source_key) != sources.DATE:
        return None
    return item.reason_key.removeprefix("reason.date_")


def _days_left(item: DueItem) -> int:
    value = item.reason_params.get("days_left", 0)
    return value if isinstance(value, int) else 0


def occasion_for(item: DueItem) -> str:
    """The template occasion behind an item: its source key, and for a date, how near it is."""
    source = item.source_key
    origin = sources.origin(source)
    if origin == sources.FESTIVAL:
        return sources.reference(source)
    if origin == sources.DEAL:
        day = sources.last_part(source)
        return "deal_thanks" if day == "0" else f"deal_call_{day}"
    if origin == sources.COMPLAINT:
        return "complaint"
    if origin in (sources.CADENCE, sources.MANUAL):
        # A rhythm (or first) touch, or one planned by hand: a visit asks for a time, the
        # rest open a conversation. A planned gift or e-mail has no words of its own.
        if item.kind == TouchKind.VISIT.value:
            return "visit"
        if item.kind == TouchKind.CALL.value or origin == sources.CADENCE:
            return "call"
        return GENERIC
    if (kind := date_kind(item)) is not None:
        if kind == DateKind.BIRTHDAY.value:
            # 守孝: the first birthday after a loss is not celebrated; a quiet word instead.
            if item.reason_params.get("mourning"):
                return "birthday_mourning"
            # Days ahead, "今天好好庆祝" would be wrong: wish early and name the day.
            return "birthday_ahead" if _days_left(item) > 0 else "birthday"
        # A life event has its own occasion, written in the tone of LIFE_EVENTS (道贺 or
        # 慰问): an illness never falls back to a "happy" greeting.
        if is_one_off(kind):
            return kind
        # A yearly date of theirs: an anniversary, or another date they named (公司周年).
        if kind == DateKind.ANNIVERSARY.value or item.reason_params.get("label"):
            return "anniversary"
    return GENERIC


def day_words(occurrence: date, days_left: int, lang: str | None = None) -> str:
    """When a date falls, as a message names it: 今天, 明天, 后天, 周五 (下周五), 12月11日.

    A weekday only within the coming six days, "下" when it is already next week; further
    off, or already past, the date itself.
    """
    if days_left == 0:
        return t("template.day.today", lang)
    if days_left == 1:
        return t("template.day.tomorrow", lang)
    if days_left == 2:
        return t("template.day.after_tomorrow", lang)
    if 0 < days_left <= 6:
        today = occurrence - timedelta(days=days_left)
        weekday = t("template.day.weekdays", lang).split(",")[occurrence.weekday()]
        same_week = occurrence.isocalendar()[:2] == today.isocalendar()[:2]
        return t("template.day.weekday" if same_week else "template.day.next_weekday", lang, weekday=weekday)
    month_name = t("template.day.months", lang).split(",")[occurrence.month - 1]
    return t("template.day.date", lang, month=occurrence.month, day=occurrence.day, month_name=month_name)


# A complaint's summary goes into the apology only while it reads as a few words.
_SHORT_SUMMARY = 30


def _event(item: DueItem, occasion: str, lang: str) -> str:
    """What {event} says: the life event's or the date's label, or the complaint in brief."""
    params = item.reason_params
    if occasion == "complaint":
        summary = str(params.get("summary") or "").strip()
        return summary if len(summary) <= _SHORT_SUMMARY and "\n" not in summary else ""
    label = str(params.get("label") or "")
    if occasion == "anniversary":
        kind = date_kind(item) or DateKind.ANNIVERSARY.value
        return label or t(f"vocab.date_kind.{kind}", lang)
    # What happened, in the salesperson's words (女儿出嫁), for templates that say {event}.
    return label if tone_for(item) else ""


def tone_for(item: DueItem) -> str | None:
    """CONGRATULATIONS or CONDOLENCE for a life event's item, else None."""
    kind = date_kind(item)
    return None if kind is None else tone_of(kind)


def approach_for(item: DueItem, lang: str, full: bool = False) -> str:
    """How to approach this person for this item: their type's advice for the kind of
    touch, or their type's words of care when it answers an illness or a bereavement;
    他 or 她 where the playbook says TA, when their gender is known or guessed."""
    gender = known_gender(item.gender, item.honorific).gender
    return approach(item.disc, item.kind, lang, full, care=tone_for(item) == CONDOLENCE, gender=gender)


def message_for(
    item: DueItem,
    lang: str,
    *,
    my_name: str = "",
    signature: str = "",
    custom: Iterable[Template] = (),
    year: int | None = None,
) -> str:
    """The message to copy for this item: its occasion's template for the person's type
    and tone (the user's own first), filled in and signed (the my_name and my_signature settings)."""
    occasion = occasion_for(item)
    values = {
        "honorific": address_as(item.name, item.honorific),
        "name": item.name,
        "company": item.company,
        "my_name": my_name,
        # The occasion's year: a birthday reminded in December falls in January.
        "year": str(year or item.occurrence.year),
        "event": _event(item, occasion, lang),
        # Only a date has a day to name; a call or a complaint is about now.
        "day": day_words(item.occurrence, _days_left(item), lang) if date_kind(item) else "",
    }
    return sign(render(occasion, item.disc, formality_for(item.honorific), lang, values, custom), signature, occasion)
