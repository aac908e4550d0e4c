"""Turning a due item's reason (a key and values) into a sentence in either language."""

from __future__ import annotations

from kequ.domain.agenda.rules import DueItem
from kequ.domain.calendar.lunar import AnnualDate, describe, lunar_day_name, lunar_month_name
from kequ.i18n import language, t


def when_text(days_left: int, lang: str) -> str:
    if days_left == 0:
        return t("reason.left.today", lang)
    if days_left > 0:
        return t("reason.left.ahead", lang, n=days_left)
    return t("reason.left.past", lang, n=-days_left)


def reason_text(item: DueItem, lang: str | None = None) -> str:
    lang = lang or language()
    params = dict(item.reason_params)
    annual = params.get("annual")
    if isinstance(annual, AnnualDate):
        # Chinese says 农历生日 十月十七: the calendar goes before the occasion.
        lunar_zh = annual.lunar and lang == "zh"
        params["cal"] = "农历" if lunar_zh else ""
        params["when"] = (
            lunar_month_name(annual.month, annual.leap) + lunar_day_name(annual.day)
            if lunar_zh
            else describe(annual, lang)
        )
        # A life event's note (女儿出嫁, 父亲住院) follows its date: 婚礼 12月5日（还有 3 天）· 女儿出嫁.
        label = params.get("label")
        params["about"] = f" · {label}" if label else ""
    if "festival" in params:
        params["festival_name"] = t(f"festival.{params['festival']}", lang)
    if "days_left" in params:
        params["left"] = when_text(int(params["days_left"]), lang)  # type: ignore[call-overload]
    text = t(item.reason_key, lang, **params)
    return text + t("reason.in_mourning", lang) if params.get("mourning") else text


def kind_label(kind: str, lang: str | None = None) -> str:
    return t(f"vocab.kind.{kind}", lang)


def occasion_of(item: DueItem, lang: str | None = None) -> str:
    """What the touch is for, in a word or two: 婚礼 · 女儿出嫁, 生日, 中秋节, 成交致谢…"""
    from kequ.domain.agenda import sources
    from kequ.domain.agenda.suggest import date_kind

    params = item.reason_params
    kind = date_kind(item)
    if kind is not None:
        name = t(f"vocab.date_kind.{kind}", lang)
        label = params.get("label")
        return f"{name} · {label}" if label else name
    if "festival" in params:
        return t(f"festival.{params['festival']}", lang)
    return t(f"reason.occasion.{sources.origin(item.source_key)}", lang)
