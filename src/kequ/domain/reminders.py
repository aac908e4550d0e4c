"""What ``kequ remind`` says about a day: one summary, and an alert before each timed visit.

Pure: the day's agenda items and trip visits in, the texts and the moments they are due out.
What was already said is a set of keys the caller keeps (kequ.services.reminders); a key
names what was said, so a visit moved to another time is announced again at its new time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kequ.domain.agenda import sources
from kequ.domain.values import address_as
from kequ.i18n import t

if TYPE_CHECKING:  # the settings import this module for its defaults: no agenda rules for that
    from kequ.domain.agenda.rules import DueItem

DEFAULT_LEAD_MINUTES = 30
MAX_LEAD_MINUTES = 24 * 60
# How many names the summary lists before it trails off with ……
SUMMARY_NAMES = 5
# A visit alert run late (the laptop was shut) still helps this long after the visit starts.
LATE_GRACE = timedelta(minutes=10)
SUMMARY = "summary"
VISIT = "visit"
TOUCH = "touch"  # a planned touch with a time of day (kequ note 王总 明天下午4点电话)


@dataclass(frozen=True, slots=True)
class TimedVisit:
    """A trip visit on the day, or a planned touch with a time (``source`` TOUCH), as the
    reminder needs it."""

    id: int
    who: str
    day: date
    at: time | None  # None: no time set, so it is in the summary only
    place: str = ""
    purpose: str = ""
    customer_id: int | None = None
    name: str = ""  # the customer's own name, as the book has it (``who`` is as addressed)
    source: str = VISIT  # VISIT: a trip visit; TOUCH: a planned touch, whose agenda item it replaces
    kind: str = "visit"  # the touch's kind: a timed call is alerted as a timed visit is
    item_key: tuple[int, str, date] | None = None  # TOUCH: the agenda item's key (DueItem.key)


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing to do on the day, for scripts (``kequ remind --json``)."""

    customer_id: int | None
    name: str
    kind: str  # vocab.TouchKind: visit, call, gift…
    reason: str  # why, as Today says it; a visit's place and purpose
    time: str | None  # HH:MM for a timed visit
    label: str  # the line the summary lists


@dataclass(frozen=True, slots=True)
class Alert:
    key: str  # what was said, remembered for the day
    kind: str  # SUMMARY or VISIT
    title: str
    body: str
    at: datetime | None  # local, naive: from when it may be said (None: whenever kequ remind runs)
    until: datetime | None = None  # local, naive: after this it is too late to say

    def due(self, now: datetime) -> bool:
        return (self.at is None or now >= self.at) and (self.until is None or now < self.until)


@dataclass(frozen=True, slots=True)
class DayReminders:
    day: date
    labels: tuple[str, ...]  # one short line per thing to do: 彭总 生病住院拜访, 10:00 拜访 朱总
    summary: Alert | None  # None on a day with nothing to do: kequ says nothing
    visits: tuple[Alert, ...]
    entries: tuple[Entry, ...] = ()  # the labels' things, one each, in the same order

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return ((self.summary,) if self.summary else ()) + self.visits


def item_label(item: DueItem, lang: str | None = None) -> str:
    """彭总 生病住院拜访, 朱总 婚礼礼品, 王总 电话: who, and for what when it is an occasion."""
    from kequ.domain.agenda.suggest import date_kind

    who = address_as(item.name, item.honorific)
    kind = t(f"vocab.kind.{item.kind}", lang)
    occasion = ""
    date_of = date_kind(item)
    if date_of is not None:
        occasion = t(f"vocab.date_kind.{date_of}", lang)
    elif sources.origin(item.source_key) == sources.FESTIVAL and "festival" in item.reason_params:
        occasion = t(f"festival.{item.reason_params['festival']}", lang)
    if occasion:
        return t("remind.item_occasion", lang, who=who, occasion=occasion, kind=kind)
    return t("remind.item", lang, who=who, kind=kind)


def visit_label(visit: TimedVisit, lang: str | None = None) -> str:
    if visit.at is None:
        return t("remind.visit_untimed", lang, who=visit.who)
    if visit.source == TOUCH:
        kind = t(f"vocab.kind.{visit.kind}", lang)
        return t("remind.touch_label", lang, at=visit.at.strftime("%H:%M"), kind=kind, who=visit.who)
    return t("remind.visit_label", lang, at=visit.at.strftime("%H:%M"), who=visit.who)


def _alert_title(visit: TimedVisit, at: str, minutes: int, lang: str | None) -> str:
    if visit.source == TOUCH:
        kind = t(f"vocab.kind.{visit.kind}", lang)
        return t("remind.touch_title", lang, at=at, kind=kind, who=visit.who, minutes=minutes)
    return t("remind.visit_title", lang, at=at, who=visit.who, minutes=minutes)


def summary_text(labels: Sequence[str], lang: str | None = None, shown: int = SUMMARY_NAMES) -> str:
    """今天 6 项：彭总 生病住院拜访、朱总 婚礼礼品……"""
    if not labels:
        return t("remind.summary_none", lang)
    listed = t("remind.list_sep", lang).join(labels[:shown])
    more = t("remind.more", lang) if len(labels) > shown else ""
    return t("remind.summary", lang, count=len(labels), items=listed, more=more)


def plan_day(
    items: Iterable[DueItem],
    visits: Iterable[TimedVisit],
    day: date,
    lead_minutes: int = DEFAULT_LEAD_MINUTES,
    summary_from: time | None = None,
    lang: str | None = None,
) -> DayReminders:
    """The day's summary (visits first, by time, then the agenda in its order) and one alert
    ``lead_minutes`` before each timed visit. ``summary_from``: not before this time of day.
    A timed planned touch (``source`` TOUCH) is listed and alerted as a timed visit is, in
    place of its agenda item."""
    from kequ.domain.agenda.reasons import reason_text

    day_visits = sorted((v for v in visits if v.day == day), key=lambda v: (v.at is None, v.at or time(), v.id))
    timed = {v.item_key for v in day_visits if v.item_key is not None}
    rest = [item for item in items if item.key not in timed]
    entries = [
        Entry(v.customer_id, v.name, v.kind, _visit_details(v, lang), _clock(v.at), visit_label(v, lang))
        for v in day_visits
    ] + [Entry(i.customer_id, i.name, i.kind, reason_text(i, lang), None, item_label(i, lang)) for i in rest]
    labels = tuple(entry.label for entry in entries)
    summary = None
    if labels:
        summary = Alert(
            key=f"{SUMMARY}:{day.isoformat()}",
            kind=SUMMARY,
            title=t("remind.summary_title", lang, count=len(labels)),
            body=summary_text(labels, lang),
            at=datetime.combine(day, summary_from) if summary_from else None,
        )
    lead = timedelta(minutes=lead_minutes)
    alerts = []
    for visit in day_visits:
        if visit.at is None:
            continue
        start = datetime.combine(day, visit.at)
        details = _visit_details(visit, lang)
        alerts.append(
            Alert(
                key=f"{visit.source}:{visit.id}:{day.isoformat()}T{visit.at.strftime('%H:%M')}",
                kind=VISIT,
                title=_alert_title(visit, visit.at.strftime("%H:%M"), lead_minutes, lang),
                body=details or t("remind.visit_body", lang),
                at=start - lead,
                until=start + LATE_GRACE,
            )
        )
    return DayReminders(day, labels, summary, tuple(alerts), tuple(entries))


def _visit_details(visit: TimedVisit, lang: str | None) -> str:
    """人民医院、探望: where and what for, as far as anyone said."""
    return t("remind.list_sep", lang).join(part for part in (visit.place, visit.purpose) if part)


def _clock(at: time | None) -> str | None:
    return at.strftime("%H:%M") if at else None


def to_say(plan: DayReminders, now: datetime, said: Iterable[str]) -> list[Alert]:
    """What is due at ``now`` (local, naive) and not yet said today."""
    done = set(said)
    return [alert for alert in plan.alerts if alert.key not in done and alert.due(now)]


def parse_clock(text: str) -> time:
    """08:30 / 8:30 / 8点半 as a time of day; ValueError otherwise."""
    from kequ.domain.trips import parse_time

    found = parse_time(text)
    if found is None:
        raise ValueError(text)
    hour, minute = found.split(":")
    return time(int(hour), int(minute))
