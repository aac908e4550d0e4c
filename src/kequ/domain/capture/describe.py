"""A captured line said back before it is saved: 记一笔：电话 王总 今天 ｜ 下一步：拜访 12月9日（周三）."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from kequ.domain.capture.dates import normalise
from kequ.domain.capture.intent import Book
from kequ.domain.capture.result import Capture, Unread
from kequ.domain.values import month_name, weekday_name
from kequ.i18n import language, t

__all__ = ["day_text", "nobody_text", "preview", "questions", "unread_text"]


def day_text(day: date, today: date, lang: str | None = None, *, relative: bool = True) -> str:
    """今天, 明天, or 12月9日（周三） (with the year when it is not this year's). Not
    ``relative`` (a line said on another day than this one): always the date."""
    lang = lang or language()
    if relative and day == today:
        return t("capture.day.today", lang)
    if relative and day == today + timedelta(days=1):
        return t("capture.day.tomorrow", lang)
    key = "capture.day.date" if day.year == today.year else "capture.day.date_year"
    return t(
        key,
        lang,
        year=day.year,
        month=day.month,
        day=day.day,
        mon=month_name(day.month, "en"),
        weekday=weekday_name(day, lang),
    )


def kind_text(kind: str, lang: str | None = None) -> str:
    return t(f"vocab.kind.{kind}", lang)


def unread_text(item: Unread, lang: str | None = None) -> str:
    params = dict(item.params)
    if "kind" in params:
        params["kind_name"] = kind_text(str(params["kind"]), lang)
    return t(item.key, lang, **params)


def preview(capture: Capture, names: Mapping[int, str], lang: str | None = None, *, today: date | None = None) -> str:
    """One line: what will be logged (or noted), the next step, and what was not understood.
    A line said on another day than ``today`` names its days by their dates, not 今天/明天."""
    lang = lang or language()
    today = today or capture.said_on
    relative = today == capture.said_on
    if capture.customer_id is not None:
        who = names.get(capture.customer_id, f"#{capture.customer_id}")
    elif capture.given is not None and capture.given in capture.customers:
        given = names.get(capture.given, f"#{capture.given}")
        who = t("capture.preview.which_given", lang, said=capture.customer_said, who=given)
    elif capture.customers:
        who = t("capture.preview.which", lang, said=capture.customer_said)
    else:
        who = t("capture.preview.nobody", lang)
    if capture.logged_kind is not None and capture.logged_on is not None:
        first = t(
            "capture.preview.logged",
            lang,
            kind=kind_text(capture.logged_kind, lang),
            who=who,
            day=day_text(capture.logged_on, today, lang, relative=relative),
        )
    elif capture.next_kind is not None and capture.next_days:
        first = t("capture.preview.for", lang, who=who)
    else:
        first = t("capture.preview.note_only", lang, who=who)
    parts = [first]
    if capture.next_kind is not None and capture.next_days:
        days = t("capture.preview.or", lang).join(
            day_text(d, today, lang, relative=relative) for d in capture.next_days
        )
        times = t("capture.preview.or", lang).join(capture.next_times)
        parts.append(
            t(
                "capture.preview.next",
                lang,
                kind=kind_text(capture.next_kind, lang),
                day=days,
                time=f" {times}" if times else "",
            )
        )
    line = t("capture.preview.sep", lang).join(parts)
    if capture.unread:
        what = t("capture.preview.list_sep", lang).join(unread_text(u, lang) for u in capture.unread)
        line += t("capture.preview.unread", lang, what=what)
    return line


def questions(capture: Capture, names: Mapping[int, str], lang: str | None = None, *, app: bool = False) -> list[str]:
    """One line per open question, each listing its choices; ``app``: the question alone, its
    choices listed below it to pick from (and no command line to type)."""
    lang = lang or language()
    sep = t("capture.preview.list_sep", lang)
    asked = []
    for what in capture.open_questions:
        if app and not (what == "customer" and capture.given in capture.customers):
            asked.append(t(f"capture.ask.{what}_app", lang, said=capture.customer_said or capture.next_said))
        elif what == "customer":
            choices = sep.join(f"#{cid} {names.get(cid, '')}".strip() for cid in capture.customers)
            if capture.given is not None and capture.given in capture.customers:
                who = names.get(capture.given, f"#{capture.given}")
                asked.append(t("capture.ask.other", lang, said=capture.customer_said, who=who))
            else:
                asked.append(t("capture.ask.customer", lang, said=capture.customer_said, choices=choices))
        elif what == "day":
            choices = sep.join(
                t("capture.ask.day_choice", lang, iso=d.isoformat(), text=day_text(d, capture.said_on, lang))
                for d in capture.next_days
            )
            asked.append(t("capture.ask.day", lang, said=capture.next_said, choices=choices))
        else:
            times = t("capture.preview.or", lang).join(capture.next_times)
            asked.append(t("capture.ask.time", lang, said=capture.next_said, choices=times))
    return asked


def nobody_text(text: str, book: Book, names: Mapping[int, str], lang: str | None = None, *, app: bool = False) -> str:
    """Why a line names no customer, in one line: 没找到「王总」 and the names it may have
    meant (王总监), or how to name one (in the app, no command line is suggested)."""
    said, close = book.close_to("".join(normalise(text).split()))
    if close:
        sep = t("capture.preview.list_sep", lang)
        choices = sep.join(f"{names.get(cid, '')} #{cid}" for cid in close[:5])
        return t("capture.not_found", lang, said=said, choices=choices, id=close[0])
    return t("capture.no_customer_app" if app else "capture.no_customer", lang)
