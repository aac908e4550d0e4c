"""Values as a salesperson types them, read in one place each."""

from __future__ import annotations

import math

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


def colon(lang: str | None = None) -> str:
    """ "：" in Chinese, ": " in English, after a label."""
    return t("punct.colon", lang)
