"""Values as a salesperson types them, read in one place each."""

from __future__ import annotations

import math
from datetime import date

from kequ.errors import KequError
from kequ.i18n import t

# 一千亿元: far above any deal or gift, far below where a float stops counting cents exactly.
MAX_AMOUNT_CENTS = 10**13


def parse_amount(text: str) -> int:
    """An amount of money in cents: 12800, 12,800.50, ¥128 or ￥128; never negative, NaN or infinite."""
    cleaned = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise KequError("input.bad_amount", value=text) from None
    if not math.isfinite(value) or value < 0 or value * 100 > MAX_AMOUNT_CENTS:
        raise KequError("input.bad_amount", value=text)
    return round(value * 100)


def whole_number(text: str) -> int | None:
    """A whole number as typed, ``14`` or full-width ``１４`` (spaces around it do not
    matter); None for anything else: a sign, a point, a word, a digit like ² int() refuses."""
    import unicodedata

    typed = text.strip()
    if not typed.isdecimal():  # ² is a digit, not a decimal one: NFKC would make it 2
        return None
    digits = unicodedata.normalize("NFKC", typed)
    return int(digits) if digits.isascii() else None


def amount_text(cents: int | None) -> str:
    """An amount as ``parse_amount`` reads it back: 360, 199.5; nothing for no amount."""
    if cents is None:
        return ""
    return f"{cents // 100}" if cents % 100 == 0 else f"{cents / 100:.2f}".rstrip("0")


def colon(lang: str | None = None) -> str:
    """ "：" in Chinese, ": " in English, after a label."""
    return t("punct.colon", lang)


def weekday_name(day: date, lang: str | None = None) -> str:
    """周一 … 周日, or Mon … Sun."""
    return t("values.weekdays", lang).split(",")[day.weekday()]


def month_name(month: int, lang: str | None = None) -> str:
    """1月 … 12月, or Jan … Dec."""
    return t("values.months", lang).split(",")[month - 1]


def display_name(name: str, honorific: str = "") -> str:
    """王总（王建国）: the 称呼 a salesperson uses first, the full name beside it."""
    if _name_adds(name, honorific):
        return f"{honorific}（{name}）"
    return honorific or name


def listed_name(name: str, honorific: str = "") -> str:
    """王总 王建国: the 称呼 and the name side by side, as a row of a list shows them."""
    if _name_adds(name, honorific):
        return f"{honorific} {name}"
    return honorific or name


def _name_adds(name: str, honorific: str) -> bool:
    """Whether the name says more than the 称呼: not for 仇总 known only as 仇 (a customer
    known by surname and title), nor for a 称呼 that is the name itself."""
    return bool(honorific) and name not in honorific


def address_as(name: str, honorific: str = "") -> str:
    """What to call the customer to their face: the 称呼, else the name."""
    return honorific or name


class Named:
    """A customer's two names on a record: who they are, and what to call them."""

    __slots__ = ()
    name: str
    honorific: str

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.honorific)

    @property
    def who(self) -> str:
        return address_as(self.name, self.honorific)
