"""Field trips (出差): whom to see in a city, in what order, and what to write down after.

Pure: plain values in, plain values and text out; no database, no terminal. The services
load what is due and who lives where; this module decides who is worth the trip, orders
the day sheet and writes the day sheet and the trip report as Markdown.

Ranking follows the playbook: an open complaint is best handled face to face; a key
customer needs at least two visits a year (so 180 days without one is a flag); a customer
going cold (冷落) is worth the detour; a birthday or festival during the trip makes the
visit personal. The tier weighs every customer, so among equals the bigger account wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import TIER_WEIGHT, DueItem
from kequ.domain.agenda.suggest import date_kind
from kequ.domain.life_events import is_one_off
from kequ.domain.records import GiftRecord
from kequ.domain.values import Named, colon, weekday_name
from kequ.domain.vocab import DateKind, Tier, TouchKind
from kequ.i18n import language, t
from kequ.inert import inert_text

KEY_VISIT_GAP_DAYS = 180  # two visits a year for key customers (playbook §1)
MAX_TRIP_DAYS = 60
VISIT_MINUTES = 60  # how long a calendar blocks for a visit with a time

# Points for the ranking. A complaint outranks a due visit, which outranks a cold customer;
# the tier (x TIER_POINTS) separates customers with the same reasons.
TIER_POINTS = 10
POINTS: Mapping[str, int] = {
    "complaint": 40,
    "key_unvisited": 30,
    "visit_due": 20,
    "at_risk": 20,
    "birthday": 15,
    "occasion": 8,
    "festival": 5,
}
OTHER_DUE_POINTS = 4  # each other touch owed by the end of the trip
OTHER_DUE_COUNTED = 3  # ... but a long list of small items must not beat a complaint
OVERDUE_CAP_DAYS = 180


class VisitStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class ExpenseCategory(StrEnum):
    TRANSPORT = "transport"
    HOTEL = "hotel"
    MEALS = "meals"
    GIFTS = "gifts"
    OTHER = "other"


class TripFlag(StrEnum):
    """Why a customer stands out for this trip, most pressing first."""

    COMPLAINT = "complaint"
    KEY_UNVISITED = "key_unvisited"
    VISIT_DUE = "visit_due"
    AT_RISK = "at_risk"
    BIRTHDAY = "birthday"
    OCCASION = "occasion"
    FESTIVAL = "festival"


# Kinds a write-up may schedule as the next step.
NEXT_KINDS: tuple[str, ...] = (
    TouchKind.CALL,
    TouchKind.VISIT,
    TouchKind.MESSAGE,
    TouchKind.EMAIL,
    TouchKind.GIFT,
    TouchKind.THANKS,
)


# ------------------------------------------------------------------ plain values


@dataclass(frozen=True, slots=True)
class TripCustomer(Named):
    id: int
    name: str
    tier: str
    city: str = ""
    honorific: str = ""
    company: str = ""
    title: str = ""
    disc: str | None = None
    churned: bool = False
    added_on: date | None = None
    gender: str | None = None  # as stored; kequ.domain.gender guesses from the 称呼


@dataclass(frozen=True, slots=True)
class TripDate:
    """A birthday or other yearly date of a customer that falls during the trip."""

    customer_id: int
    kind: str  # vocab.DateKind
    day: date
    label: str = ""
    mourning: bool = False  # falls in the family's first year after a loss (kequ.domain.life_events)


@dataclass(frozen=True, slots=True)
class Why:
    """One reason as a catalogue key and its values, rendered with ``why_text``."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TripCandidate:
    customer: TripCustomer
    score: int
    flags: tuple[str, ...]
    reasons: tuple[Why, ...]
    due: tuple[DueItem, ...]  # what this customer is owed by the end of the trip
    last_visit: date | None

    @property
    def id(self) -> int:
        return self.customer.id


@dataclass(frozen=True, slots=True)
class TripView:
    id: int
    name: str
    cities: tuple[str, ...]
    start_on: date
    end_on: date
    notes: str = ""
    planned: int = 0
    done: int = 0
    cancelled: int = 0
    expense_cents: int = 0

    @property
    def days(self) -> list[date]:
        return trip_days(self.start_on, self.end_on)


@dataclass(frozen=True, slots=True)
class VisitView:
    id: int
    trip_id: int
    customer_id: int
    customer_name: str  # as the salesperson says it: 王总（王建国）
    company: str
    day: date
    time: str | None
    place: str = ""
    purpose: str = ""
    bring: str = ""
    status: str = VisitStatus.PLANNED.value
    learned: str = ""
    needs: str = ""
    competitors: str = ""
    next_step: str = ""
    next_on: date | None = None
    next_kind: str | None = None
    interaction_id: int | None = None
    disc: str | None = None
    tier: str = Tier.REGULAR.value
    trip_name: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone else at the customer's company, and the part they play in a purchase."""

    id: int
    name: str
    title: str = ""
    role: str | None = None  # vocab.CompanyRole


@dataclass(frozen=True, slots=True)
class VisitPlan:
    """Everything to have in mind before knocking on the door."""

    visit: VisitView
    title: str = ""
    role: str | None = None
    phones: tuple[str, ...] = ()
    wechat: str = ""
    people: tuple[Person, ...] = ()
    gifts_given: tuple[GiftRecord, ...] = ()
    gift_ideas: tuple[str, ...] = ()
    approach: str = ""
    last_contacts: tuple[tuple[date, str, str], ...] = ()  # (day, kind, notes), newest first


@dataclass(frozen=True, slots=True)
class ExpenseView:
    id: int
    trip_id: int
    day: date
    amount_cents: int
    category: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class GiftGiven:
    customer_name: str
    day: date
    item: str
    cost_cents: int | None = None


@dataclass(frozen=True, slots=True)
class TripSummary:
    trip: TripView
    visits: tuple[VisitView, ...]
    gifts: tuple[GiftGiven, ...] = ()
    expenses: tuple[ExpenseView, ...] = ()

    @property
    def done(self) -> list[VisitView]:
        return [v for v in day_sheet(self.visits) if v.status == VisitStatus.DONE]

    @property
    def next_steps(self) -> list[VisitView]:
        return [v for v in self.done if v.next_step or v.next_on]

    @property
    def by_category(self) -> dict[str, int]:
        """Cents per category, in the fixed category order, only those with spending."""
        totals = dict.fromkeys((c.value for c in ExpenseCategory), 0)
        for expense in self.expenses:
            totals[expense.category] = totals.get(expense.category, 0) + expense.amount_cents
        return {category: cents for category, cents in totals.items() if cents}

    @property
    def total_cents(self) -> int:
        return sum(e.amount_cents for e in self.expenses)


# ------------------------------------------------------------------ small rules


def trip_days(start: date, end: date) -> list[date]:
    if end < start:
        return []
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


_TIME = re.compile(r"^(\d{1,2})(?:[:：.](\d{2})|点(?:(\d{1,2})分?|(半))?)?$")


def parse_time(text: str) -> str | None:
    """A visit time as "HH:MM"; blank means none. Accepts 9:30, 09:30, 9：30, 9点, 9点半, 14点15.

    Raises ValueError for anything else, so the form can say what it expects.
    """
    raw = text.strip().replace(" ", "")
    if not raw:
        return None
    match = _TIME.match(raw)
    if not match:
        raise ValueError(raw)
    hour = int(match.group(1))
    minute = 30 if match.group(4) else int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(raw)
    return f"{hour:02d}:{minute:02d}"


def _sheet_key(visit: VisitView) -> tuple[date, bool, str, int]:
    # A visit without a time goes after the timed ones of its day: it fits in somewhere.
    return (visit.day, visit.time is None, visit.time or "", visit.id)


def day_sheet(visits: Iterable[VisitView], include_cancelled: bool = False) -> list[VisitView]:
    """Visits ordered by day, then time (untimed last), then when they were planned."""
    kept = (v for v in visits if include_cancelled or v.status != VisitStatus.CANCELLED)
    return sorted(kept, key=_sheet_key)


def free_day(wanted: date, taken: Iterable[date]) -> date:
    """The first day on or after ``wanted`` not in ``taken``: one planned touch per day and source."""
    busy = set(taken)
    day = wanted
    while day in busy:
        day += timedelta(days=1)
    return day


# ------------------------------------------------------------------ ranking


def rank_for_trip(
    customers: Sequence[TripCustomer],
    due_items: Sequence[DueItem],
    last_visit: Mapping[int, date],
    dates_in_trip: Sequence[TripDate],
    start: date,
    end: date,
    today: date,
) -> list[TripCandidate]:
    """Every (not churned) customer given, best worth a visit on this trip first.

    ``due_items`` is the agenda up to the end of the trip; ``last_visit`` the day of each
    customer's latest logged visit; ``dates_in_trip`` the yearly dates falling in the trip.
    """
    if end < start:
        raise ValueError("a trip must not end before it starts")
    # Flags are judged from the first day a visit can still happen.
    judged_on = max(start, today)
    wanted = {c.id for c in customers if not c.churned}
    owed: dict[int, list[DueItem]] = {}
    for item in due_items:
        if item.customer_id in wanted:
            owed.setdefault(item.customer_id, []).append(item)
    dates: dict[int, list[TripDate]] = {}
    for event in dates_in_trip:
        if event.customer_id in wanted and start <= event.day <= end:
            dates.setdefault(event.customer_id, []).append(event)

    ranked: list[tuple[int, int, str, int, TripCandidate]] = []
    for customer in customers:
        if customer.churned:
            continue
        items = owed.get(customer.id, [])
        last = last_visit.get(customer.id)
        flags: dict[str, Why] = {}
        others = 0
        overdue_visit = 0
        for item in items:
            if item.kind == TouchKind.COMPLAINT:
                flags.setdefault(TripFlag.COMPLAINT, Why("trip.why.complaint", dict(item.reason_params)))
            elif item.kind == TouchKind.VISIT and (kind := date_kind(item)) is not None:
                # 探望: a visit owed to an illness, not to the rhythm, and said so.
                params = {"day": item.occurrence, "label": item.reason_params.get("label", ""), "kind": kind}
                flags.setdefault(TripFlag.OCCASION, Why("trip.why.care", params))
            elif item.kind == TouchKind.VISIT:
                overdue_visit = max(overdue_visit, item.overdue_days)
                flags.setdefault(TripFlag.VISIT_DUE, _visit_why(last, judged_on))
            elif item.kind == TouchKind.FESTIVAL and start <= item.occurrence <= end:
                params = {"festival": item.reason_params.get("festival", ""), "day": item.occurrence}
                flags.setdefault(TripFlag.FESTIVAL, Why("trip.why.festival", params))
            elif sources.origin(item.source_key) != sources.DATE:  # dates in the trip are counted below
                others += 1
            if item.at_risk:
                flags.setdefault(TripFlag.AT_RISK, Why("trip.why.at_risk"))
        if customer.tier == Tier.KEY:
            since = last or customer.added_on
            if since is None or (judged_on - since).days >= KEY_VISIT_GAP_DAYS:
                days = None if last is None else (judged_on - last).days
                key = "trip.why.key_never" if days is None else "trip.why.key_unvisited"
                flags[TripFlag.KEY_UNVISITED] = Why(key, {"days": days or 0})
                # The same fact as a due visit: say it once, in the stronger words.
                flags.pop(TripFlag.VISIT_DUE, None)
        for event in sorted(dates.get(customer.id, []), key=lambda e: e.day):
            if event.kind == DateKind.BIRTHDAY and event.mourning:
                # 守孝: no birthday wishes this year; a visit that day is one of care.
                flags.setdefault(TripFlag.OCCASION, Why("trip.why.birthday_mourning", {"day": event.day}))
            elif event.kind == DateKind.BIRTHDAY:
                flags.setdefault(TripFlag.BIRTHDAY, Why("trip.why.birthday", {"day": event.day}))
            else:
                params = {"day": event.day, "label": event.label, "kind": event.kind}
                flags.setdefault(TripFlag.OCCASION, Why("trip.why.occasion", params))

        weight = TIER_WEIGHT.get(customer.tier, 1)
        score = weight * TIER_POINTS + sum(POINTS[f] for f in flags)
        score += min(overdue_visit, OVERDUE_CAP_DAYS) // 6
        score += min(others, OTHER_DUE_COUNTED) * OTHER_DUE_POINTS
        order = [f for f in TripFlag if f in flags]
        reasons = [flags[f] for f in order]
        if others:
            reasons.append(Why("trip.why.other_due", {"count": others}))
        if not reasons:
            # Nothing pressing: say how long it has been, which is what decides a detour.
            if last is None:
                reasons.append(Why("trip.why.no_visit_yet"))
            else:
                reasons.append(Why("trip.why.last_visit", {"days": (judged_on - last).days}))
        candidate = TripCandidate(
            customer=customer,
            score=score,
            flags=tuple(str(f) for f in order),
            reasons=tuple(reasons),
            due=tuple(items),
            last_visit=last,
        )
        ranked.append((-score, -weight, customer.name, customer.id, candidate))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked]


def _visit_why(last: date | None, judged_on: date) -> Why:
    if last is None:
        return Why("trip.why.never_visited")
    return Why("trip.why.visit_due", {"days": (judged_on - last).days})


# ------------------------------------------------------------------ texts


def day_label(day: date, lang: str | None = None) -> str:
    """11-24 周二 / 11-24 Tue."""
    return f"{day:%m-%d} {weekday_name(day, lang)}"


def paren(text: str, lang: str | None = None) -> str:
    return t("trip.paren", lang, text=text)


def money(cents: int) -> str:
    return f"¥{cents / 100:,.2f}"


def why_text(why: Why, lang: str | None = None) -> str:
    lang = lang or language()
    params = dict(why.params)
    if "festival" in params:
        params["festival"] = t(f"festival.{params['festival']}", lang)
    if isinstance(params.get("day"), date):
        params["day"] = day_label(params["day"], lang)  # type: ignore[arg-type]
    if params.get("label") == "":
        # A life event is named by its kind (婚礼, 生病住院); an unlabelled yearly date is an anniversary.
        kind = str(params.get("kind", ""))
        params["label"] = t(f"vocab.date_kind.{kind if is_one_off(kind) else 'anniversary'}", lang)
    return t(why.key, lang, **params)


def flag_label(flag: str, lang: str | None = None) -> str:
    return t(f"trip.flag.{flag}", lang)


def _inline(text: str) -> str:
    """One line of Markdown from user text: line breaks would start new blocks."""
    return " ".join(text.split())


def _role(role: str | None, lang: str) -> str:
    return t(f"vocab.company_role.{role}", lang) if role else ""


def person_text(person: Person, lang: str | None = None) -> str:
    """李经理（李娜）：采购经理，采购者: who they are and what part they play in buying."""
    lang = lang or language()
    about = t("trip.comma", lang).join(x for x in (person.title, _role(person.role, lang)) if x)
    return f"{_inline(person.name)}{colon(lang)}{about}" if about else _inline(person.name)


def _when(visit: VisitView, lang: str) -> str:
    return visit.time or t("trip.sheet.any_time", lang)


def _plan_lines(plan: VisitPlan, lang: str) -> list[str]:
    visit = plan.visit
    lines: list[tuple[str, str]] = [
        ("trip.sheet.place", visit.place),
        ("trip.sheet.phone", "、".join(plan.phones)),
        ("trip.sheet.purpose", visit.purpose),
        ("trip.sheet.bring", visit.bring),
    ]
    people = t("trip.semicolon", lang).join(person_text(p, lang) for p in plan.people)
    lines.append(("trip.sheet.people", people))
    given = "、".join(_inline(g.item) + paren(f"{g.given_on:%Y-%m}", lang) for g in plan.gifts_given)
    lines.append(("trip.sheet.gifts_given", given or t("trip.sheet.no_gifts", lang)))
    lines.append(("trip.sheet.gift_ideas", "、".join(plan.gift_ideas)))
    lines.append(("trip.sheet.approach", plan.approach))
    if plan.last_contacts:
        day, kind, notes = plan.last_contacts[0]
        lines.append(("trip.sheet.last_contact", f"{day.isoformat()} {t(f'vocab.kind.{kind}', lang)} {notes}".strip()))
    return [f"- **{t(key, lang)}**{colon(lang)}{_inline(value)}" for key, value in lines if value.strip()]


def day_sheet_markdown(trip: TripView, day: date, plans: Sequence[VisitPlan], lang: str | None = None) -> str:
    """The day's visits in order, each with what to know and bring: print it or send it to a phone."""
    lang = lang or language()
    ordered = sorted(plans, key=lambda p: _sheet_key(p.visit))
    out = [
        f"# {t('trip.sheet.title', lang, name=_inline(trip.name), day=day_label(day, lang))}",
        "",
        t("trip.sheet.subtitle", lang, cities="、".join(trip.cities), start=trip.start_on, end=trip.end_on),
        "",
    ]
    shown = [p for p in ordered if p.visit.day == day and p.visit.status != VisitStatus.CANCELLED]
    if not shown:
        out += [t("trip.sheet.empty", lang), ""]
    for number, plan in enumerate(shown, start=1):
        visit = plan.visit
        head = f"## {number}. {_when(visit, lang)} {_inline(visit.customer_name)}"
        if visit.company:
            head += f" · {_inline(visit.company)}"
        if plan.title:
            head += f" · {_inline(plan.title)}"
        if visit.status == VisitStatus.DONE:
            head += paren(t("trip.status.done", lang), lang)
        out += [head, "", *_plan_lines(plan, lang), ""]
    # Sent to a phone or printed: no text from the database may carry an escape there.
    return inert_text("\n".join(out).rstrip(), multiline=True) + "\n"


def report_markdown(summary: TripSummary, lang: str | None = None) -> str:
    """After the trip: whom you saw, what you learned, what comes next, what it cost."""
    lang = lang or language()
    trip = summary.trip
    visits = summary.visits
    done = summary.done
    counts = {s: sum(1 for v in visits if v.status == s) for s in VisitStatus}
    out = [
        f"# {t('trip.report.title', lang, name=_inline(trip.name))}",
        "",
        t("trip.sheet.subtitle", lang, cities="、".join(trip.cities), start=trip.start_on, end=trip.end_on),
        "",
        t(
            "trip.report.counts",
            lang,
            done=counts[VisitStatus.DONE],
            planned=counts[VisitStatus.PLANNED],
            cancelled=counts[VisitStatus.CANCELLED],
        ),
        "",
        f"## {t('trip.report.visits', lang)}",
        "",
    ]
    if not done:
        out += [t("trip.report.no_visits", lang), ""]
    for visit in done:
        head = f"### {_inline(visit.customer_name)}"
        if visit.company:
            head += f" · {_inline(visit.company)}"
        head += f" · {day_label(visit.day, lang)} {visit.time or ''}".rstrip()
        out += [head, ""]
        for key, value in (
            ("trip.write_up.learned", visit.learned),
            ("trip.write_up.needs", visit.needs),
            ("trip.write_up.competitors", visit.competitors),
            ("trip.write_up.next_step", _next_text(visit, lang)),
        ):
            if value.strip():
                out.append(f"- **{t(key, lang)}**{colon(lang)}{_inline(value)}")
        out.append("")
    out += [f"## {t('trip.report.next_steps', lang)}", ""]
    steps = summary.next_steps
    out += [f"- {_inline(v.customer_name)}{colon(lang)}{_inline(_next_text(v, lang))}" for v in steps] or [
        t("trip.report.none", lang)
    ]
    out += ["", f"## {t('trip.report.gifts', lang)}", ""]
    out += [
        f"- {g.day.isoformat()} {_inline(g.customer_name)}{colon(lang)}{_inline(g.item)}"
        + (f" {money(g.cost_cents)}" if g.cost_cents is not None else "")
        for g in summary.gifts
    ] or [t("trip.report.none", lang)]
    out += ["", f"## {t('trip.report.expenses', lang)}", ""]
    if summary.expenses:
        out += [f"| {t('trip.col.category', lang)} | {t('trip.col.amount', lang)} |", "| --- | ---: |"]
        out += [
            f"| {t(f'trip.category.{category}', lang)} | {money(cents)} |"
            for category, cents in summary.by_category.items()
        ]
        out.append(f"| **{t('trip.report.total', lang)}** | **{money(summary.total_cents)}** |")
    else:
        out.append(t("trip.report.none", lang))
    return inert_text("\n".join(out).rstrip(), multiline=True) + "\n"


def _next_text(visit: VisitView, lang: str) -> str:
    text = visit.next_step
    if visit.next_on:
        kind = t(f"vocab.kind.{visit.next_kind}", lang) if visit.next_kind else ""
        when = f"{visit.next_on.isoformat()} {kind}".strip()
        text = text + paren(when, lang) if text else when
    return text
