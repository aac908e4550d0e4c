"""A trip's day sheet and report, as files: Markdown to read, iCalendar for a phone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from kequ.domain.trips import (
    VISIT_MINUTES,
    TripView,
    VisitPlan,
    VisitStatus,
    VisitView,
    day_label,
    day_sheet_markdown,
    report_markdown,
)
from kequ.errors import KequError
from kequ.exchange.export import UID_DOMAIN
from kequ.i18n import language, t
from kequ.services.trips import day_plan, trip_summary
from kequ.storage import clock
from kequ.storage.database import Database


def export_day_sheet(db: Database, trip_id: int, day: date, fmt: str = "md", lang: str | None = None) -> str:
    """The day's plan as Markdown to read, or as iCalendar to put into a phone's calendar."""
    lang = lang or language()
    if fmt not in ("md", "ics"):
        raise KequError("input.bad_choice", field="format", value=fmt, options="md/ics")
    view, visits, plans = day_plan(db, trip_id, day, lang)
    if fmt == "ics":
        # Cancelled visits go out as CANCELLED: a calendar that took the earlier export drops them.
        return _ics(view, day, visits, plans, lang)
    return day_sheet_markdown(view, day, list(plans.values()), lang)


def visit_uid(visit_id: int) -> str:
    """Stable across exports, so importing a newer sheet updates the events instead of doubling them."""
    return f"kequ-visit-{visit_id}@{UID_DOMAIN}"


def _ics(trip: TripView, day: date, visits: Sequence[VisitView], plans: dict[int, VisitPlan], lang: str) -> str:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//kequ//kequ trips//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("trip.ics.calname", lang, name=trip.name, day=day_label(day, lang)))
    stamp = clock.now().replace(microsecond=0)
    for visit in visits:
        event = Event()
        event.add("uid", visit_uid(visit.id))
        event.add("dtstamp", stamp)
        if visit.time:
            hour, minute = (int(x) for x in visit.time.split(":"))
            # Floating local time: 10:00 at the customer's, wherever the phone thinks it is.
            begin = datetime.combine(visit.day, time(hour, minute))
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=VISIT_MINUTES))
        else:
            event.add("dtstart", visit.day)
            event.add("dtend", visit.day + timedelta(days=1))
        who = f"{visit.customer_name} · {visit.company}" if visit.company else visit.customer_name
        event.add("summary", t("trip.ics.summary", lang, who=who))
        if visit.place:
            event.add("location", visit.place)
        plan = plans.get(visit.id)
        lines = [visit.purpose, visit.bring and f"{t('trip.sheet.bring', lang)}：{visit.bring}"]
        if plan is not None:
            lines += [plan.phones and f"{t('trip.sheet.phone', lang)}：{'、'.join(plan.phones)}", plan.approach]
        description = "\n".join(line for line in lines if line)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if visit.status == VisitStatus.CANCELLED else "CONFIRMED")
        event.add("categories", [t("trip.ics.category", lang)])
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def export_report(db: Database, trip_id: int, lang: str | None = None) -> str:
    return report_markdown(trip_summary(db, trip_id), lang or language())
