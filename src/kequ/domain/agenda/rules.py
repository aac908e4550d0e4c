"""Who is owed which touch, when, and why: the heart of kequ.

Pure: plain values in, due items out. Nothing recurring is stored. A cadence is due a
fixed interval after the last contact of its kind, dates and festivals are computed for
the window, the post-deal sequence follows the deal's day. Only what the user did with
an occurrence (done, skipped, snoozed) comes in as ``handled``, keyed by
(customer, source key, occurrence date), so nothing is ever due twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from kequ.domain.agenda import sources
from kequ.domain.agenda.first_touches import DEFAULT_FIRST_TOUCH_CAP, FirstTouchPlan, Newcomer, plan_first_touches
from kequ.domain.calendar.holidays import work_calendar
from kequ.domain.calendar.lunar import AnnualDate, festivals_between, occurrences, within_calendar
from kequ.domain.calendar.workdays import WorkCalendar, is_working_day, next_working_day
from kequ.domain.collector import collector_paused
from kequ.domain.gender import RESTRICTED_FESTIVALS, festival_suits
from kequ.domain.life_events import days_between, in_mourning, is_one_off, losses, touch_kind
from kequ.domain.vocab import MAX_LEAD_DAYS, DateKind, Tier, TouchKind, TouchStatus

# Playbook defaults: key customers get a call a month and two visits a year.
# Plain strings, not the enums: these are hashed for every customer on every load, and an
# enum member hashes three times slower than the string it stands for.
DEFAULT_CADENCES: Mapping[str, Mapping[str, int]] = {
    Tier.KEY.value: {TouchKind.CALL.value: 30, TouchKind.VISIT.value: 180},
    Tier.POTENTIAL.value: {TouchKind.CALL.value: 30},
    Tier.REGULAR.value: {TouchKind.CALL.value: 90},
    Tier.TEMPORARY.value: {},
}
_CALL = TouchKind.CALL.value
_COMPLAINT = TouchKind.COMPLAINT.value
_FESTIVAL = TouchKind.FESTIVAL.value
_BEREAVEMENT = DateKind.BEREAVEMENT.value
_BIRTHDAY = DateKind.BIRTHDAY.value
TIER_WEIGHT: Mapping[str, int] = {Tier.KEY: 4, Tier.POTENTIAL: 3, Tier.REGULAR: 2, Tier.TEMPORARY: 1}
# The 0-3-10-20 sequence after a deal: (day, kind, reason key).
DEAL_SEQUENCE: tuple[tuple[int, str, str], ...] = (
    (0, TouchKind.THANKS, "reason.deal_thanks"),
    (3, TouchKind.CALL, "reason.deal_call_3"),
    (10, TouchKind.CALL, "reason.deal_call_10"),
    (20, TouchKind.CALL, "reason.deal_call_20"),
)
AT_RISK_FACTOR = 1.5
# How long a missed occasion stays on the list: a birthday greeting two months late
# does more harm than good, a neglected cadence never expires.
# A life event is rare and its news often comes late: a word of care weeks after still counts.
LOOKBACK_DAYS: Mapping[str, int] = {"date": 7, "life_event": 30, "festival": 3, "deal": 30}
# The festivals and tiers greeted unless the user says otherwise (the playbook's choice;
# the festivals and festival_tiers settings start from these).
DEFAULT_FESTIVALS: tuple[str, ...] = (
    "new_year", "new_years_eve", "spring_festival", "lantern", "womens_day", "labour_day", "dragon_boat",
    "qixi", "teachers_day", "mid_autumn", "national_day", "double_ninth",
)  # fmt: skip
DEFAULT_FESTIVAL_TIERS: tuple[str, ...] = (Tier.KEY.value, Tier.POTENTIAL.value)


class CustomerFacts(NamedTuple):
    """A named tuple, not a frozen dataclass: the reader makes one per customer, 100,000
    of them in a large book, and a frozen dataclass's __init__ costs five times more."""

    id: int
    name: str
    tier: str
    added_on: date
    honorific: str = ""
    disc: str | None = None
    churned: bool = False
    company: str = ""
    gender: str | None = None  # as stored; kequ.domain.gender guesses from the 称呼 when None
    relation_type: str | None = None


class DatedEvent(NamedTuple):
    """A named tuple, as CustomerFacts: a large book has tens of thousands of dates, and a
    frozen dataclass's __init__ cost the reader six times more per date."""

    id: int
    customer_id: int
    kind: str  # vocab.DateKind
    annual: AnnualDate
    lead_days: int = 0
    label: str = ""


@dataclass(frozen=True, slots=True)
class DealFact:
    id: int
    customer_id: int
    closed_on: date


@dataclass(frozen=True, slots=True)
class Handled:
    customer_id: int
    source_key: str
    occurrence: date
    status: str  # vocab.TouchStatus
    due_date: date  # where a snoozed item now falls


@dataclass(frozen=True, slots=True)
class PlannedTouch:
    id: int
    customer_id: int
    kind: str
    due_date: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OpenComplaint:
    id: int
    customer_id: int
    opened_on: date
    step: int
    summary: str = ""


@dataclass(frozen=True)
class Rules:
    cadences: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: DEFAULT_CADENCES)
    # Per-customer overrides: {customer_id: {kind: days}}; 0 switches a rhythm off.
    overrides: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    festival_keys: frozenset[str] = frozenset(DEFAULT_FESTIVALS)
    festival_tiers: frozenset[str] = frozenset(DEFAULT_FESTIVAL_TIERS)
    # At most this many customers' first touches a day (the first_touch_cap setting).
    first_touch_cap: int = DEFAULT_FIRST_TOUCH_CAP

    def rhythms(self, customer: CustomerFacts) -> Mapping[str, int]:
        """{kind: interval days} for this customer: the tier's, with their own on top."""
        base = self.cadences.get(customer.tier, {})
        own = self.overrides.get(customer.id)
        return {**base, **own} if own else base

    def interval(self, customer: CustomerFacts, kind: str) -> int:
        return self.rhythms(customer).get(kind, 0)


@dataclass(frozen=True, slots=True)
class AgendaInput:
    customers: Sequence[CustomerFacts]
    # The day of the last interaction per (customer id, kind): the history reduced to
    # what the rules read, so 200,000 interactions cost one GROUP BY, not a scan here.
    last_contact: Mapping[tuple[int, str], date] = field(default_factory=dict)
    dates: Sequence[DatedEvent] = ()
    deals: Sequence[DealFact] = ()
    handled: Sequence[Handled] = ()
    planned: Sequence[PlannedTouch] = ()
    complaints: Sequence[OpenComplaint] = ()
    # Where the steps after a deal may fall; by default the years packaged with kequ.
    calendar: WorkCalendar = field(default_factory=work_calendar)


class DueItem(NamedTuple):
    """One touch owed. A named tuple: the agenda makes tens of thousands of these."""

    customer_id: int
    source_key: str
    occurrence: date
    due: date
    kind: str
    reason_key: str
    reason_params: Mapping[str, object]
    overdue_days: int
    tier: str
    name: str
    honorific: str = ""
    disc: str | None = None
    at_risk: bool = False
    company: str = ""
    gender: str | None = None  # as stored; kequ.domain.gender.known_gender guesses from the 称呼

    @property
    def key(self) -> tuple[int, str, date]:
        return (self.customer_id, self.source_key, self.occurrence)


def last_contacts(history: Iterable[tuple[int, str, date]]) -> dict[tuple[int, str], date]:
    """Reduce (customer id, kind, day) rows to the latest day per customer and kind."""
    latest: dict[tuple[int, str], date] = {}
    for customer_id, kind, day in history:
        slot = (customer_id, kind)
        if slot not in latest or day > latest[slot]:
            latest[slot] = day
    return latest


def beyond_calendar(today: date, until: date | None = None) -> bool:
    """Whether the agenda of ``today``..``until`` looks past the lunar calendar (1901-2099),
    so lunar dates and festivals out there are left out: the caller says so, once."""
    start = today - timedelta(days=max(LOOKBACK_DAYS.values()))
    end = (until or today) + timedelta(days=MAX_LEAD_DAYS)
    return within_calendar(start, end) != (start, end)


def due(data: AgendaInput, rules: Rules, today: date, until: date | None = None) -> list[DueItem]:
    """Everything due on or before ``until`` (default: today), overdue included, ranked.

    Open complaints come first; then overdue occasions (dates, festivals, the steps after a
    deal, planned touches), then overdue rhythm touches, each by lateness x tier weight;
    then the rest by day. A first call or visit falls on the day first_touches gives it.
    """
    return due_and_plan(data, rules, today, until)[0]


def due_by_today(items: Iterable[DueItem], today: date, leads: Mapping[int, int]) -> list[DueItem]:
    """What ``due(data, rules, today)`` gives, picked from the items of a longer window
    (``due(data, rules, today, until)`` for the same data, rules and day), in their order.

    Every item of the shorter window is in the longer one, the same; the longer one adds
    items due after today, and a few due by today that only its reach finds: a coming
    date, festival or step after a deal that was snoozed to a day before it falls. Those
    are left out by the day the shorter window would have to reach: a date's day less its
    lead (``leads``: {date id: lead days}, for the dates among the items), a festival's or
    a step's own day.
    """
    kept: list[DueItem] = []
    for item in items:
        if item.due > today:
            continue
        if item.occurrence > today:
            origin = sources.origin(item.source_key)
            if origin == sources.DATE:
                reach = item.occurrence - timedelta(days=leads.get(int(sources.reference(item.source_key)), 0))
                if reach > today:
                    continue
            elif origin in (sources.FESTIVAL, sources.DEAL):
                continue
        kept.append(item)
    return kept


def due_and_plan(
    data: AgendaInput, rules: Rules, today: date, until: date | None = None
) -> tuple[list[DueItem], FirstTouchPlan]:
    """``due``, and the plan of first touches behind it (for the line Today says about it)."""
    # A hundred thousand items in a large book: without the collector's full passes
    # meanwhile, the time stays linear in the book's size.
    with collector_paused():
        return _due(data, rules, today, until)


def _due(data: AgendaInput, rules: Rules, today: date, until: date | None) -> tuple[list[DueItem], FirstTouchPlan]:
    end = until or today
    if end < today:
        raise ValueError("the window must not end before today")
    by_id = {c.id: c for c in data.customers if not c.churned}
    handled = {(h.customer_id, h.source_key, h.occurrence): h for h in data.handled}
    builder = _Builder(by_id, handled, today, end)
    last_contact = data.last_contact
    at_risk = builder.at_risk
    add = builder.add
    today_ordinal = today.toordinal()
    overrides = rules.overrides
    # Everyone of a tier has the same rhythms unless they have their own: work out each
    # tier's plan once, not once per customer.
    plans: dict[str, _Plan] = {}
    firsts: list[_First] = []
    # Most items are rhythm touches of customers with nothing handled: those are made and
    # banded right here, as _Builder.add would make them, without its general checks.
    touched = {h.customer_id for h in data.handled}
    end_ordinal = end.toordinal()
    ranked = builder.ranked
    banded = ranked.get
    new = _new_item
    for customer in by_id.values():
        cid = customer.id
        if cid in overrides:
            plan = _plan(rules.rhythms(customer))
        else:
            plan = plans.get(customer.tier) or plans.setdefault(customer.tier, _plan(rules.rhythms(customer)))
        call_limit, steps = plan
        # At risk (冷落): past 1.5x the call rhythm without a call, counted from the day
        # added for someone never called.
        risky = False
        if call_limit is not None:
            since = last_contact.get((cid, _CALL)) or customer.added_on
            if today_ordinal - since.toordinal() > call_limit:
                at_risk.add(cid)
                risky = True
        quick = cid not in touched
        for kind, interval, gap, source, since_reason, never_reason in steps:
            last = last_contact.get((cid, kind))
            if not last:
                # Never made: a first touch, given its day below (first_touches).
                firsts.append((customer, kind, interval, source, never_reason))
                continue
            since_ordinal = last.toordinal()
            due_day = since_ordinal + interval
            if quick and kind != _COMPLAINT:
                # Most customers are not due in the window: decide that before building anything.
                if due_day > end_ordinal:
                    continue
                occurrence = last + gap
                overdue = today_ordinal - due_day
                params = {"days": today_ordinal - since_ordinal, "interval": interval}
                tier = customer.tier
                item = new(
                    DueItem,
                    (cid, source, occurrence, occurrence, kind, since_reason, params, overdue if overdue > 0 else 0,
                     tier, customer.name, customer.honorific, customer.disc, risky, customer.company, customer.gender),
                )  # fmt: skip
                weight = _WEIGHT.get(tier, 1)
                order = _OVERDUE - overdue * weight if overdue > 0 else _COMING + due_day * 8 - weight
                band = banded(order)
                if band is None:
                    ranked[order] = [item]
                else:
                    band.append(item)
                continue
            occurrence = last + gap
            if occurrence > end and (cid, source, occurrence) not in handled:
                continue
            params = {"days": today_ordinal - since_ordinal, "interval": interval}
            add(customer, source, occurrence, occurrence, kind, since_reason, params)
    plan = _add_first_touches(builder, firsts, rules, today, data.calendar)

    bereaved = losses((d.customer_id, d.kind, d.annual) for d in data.dates if d.kind == _BEREAVEMENT)
    _add_dates(builder, data.dates, today, end, bereaved)
    _add_festivals(builder, rules, today, end, bereaved)
    _add_deals(builder, data.deals, today, end, data.calendar)
    customers = builder.customers
    for touch in data.planned:
        if (owner := customers.get(touch.customer_id)) is not None:
            params = {"note": touch.reason}
            source = sources.key(sources.MANUAL, touch.id)
            builder.add(owner, source, touch.due_date, touch.due_date, touch.kind, "reason.planned", params)
    # An open complaint stays on the list every day until it is closed.
    for complaint in data.complaints:
        if (owner := customers.get(complaint.customer_id)) is not None:
            days = (today - complaint.opened_on).days
            params = {"step": complaint.step, "days": days, "summary": complaint.summary}
            source = sources.key(sources.COMPLAINT, complaint.id)
            builder.add(owner, source, complaint.opened_on, today, _COMPLAINT, "reason.complaint", params)
    # Sorting the bands' keys, then each band's few items, beats sorting one list of
    # 100,000 items: most comparisons there were ties on the first field.
    items: list[DueItem] = []
    for order in sorted(ranked):
        band = ranked[order]
        if len(band) > 1:
            band.sort(key=_BY_NAME)
        items += band
    return items, plan


# (at-risk limit in days or None, [(kind, interval, gap, source key, reason since, reason never)])
_Plan = tuple[float | None, list[tuple[str, int, timedelta, str, str, str]]]
# A rhythm touch never made: (customer, kind, interval, source key, reason key).
_First = tuple[CustomerFacts, str, int, str, str]


def _add_first_touches(
    builder: _Builder, firsts: list[_First], rules: Rules, today: date, calendar: WorkCalendar
) -> FirstTouchPlan:
    """Each customer's first touches on the working day ``plan_first_touches`` gives them.

    The occurrence stays the day they were added: that is what a done, skipped or snoozed
    first call is kept under, so it holds whatever day the plan moves it to. One already
    handled is left to what the user did and takes no one's place in the plan.
    """
    handled = builder.handled
    waiting: dict[int, Newcomer] = {}
    for customer, _kind, interval, source, _reason in firsts:
        cid = customer.id
        added = customer.added_on
        if handled and (cid, source, added) in handled:
            continue
        latest = added + timedelta(days=interval)
        known = waiting.get(cid)
        if known is None or latest < known.latest:
            waiting[cid] = _new_item(Newcomer, (cid, customer.tier, added, latest))
    # The same working days as every other date kequ books: no weekend, no day off, yes a 调休 Saturday.
    plan = plan_first_touches(
        waiting.values(), today, rules.first_touch_cap, partial(is_working_day, calendar=calendar)
    )
    days = plan.days
    end = builder.end
    add = builder.add
    for customer, kind, interval, source, reason in firsts:
        added = customer.added_on
        day = days.get(customer.id)
        if day is None:  # handled: done, skipped or snoozed under the day added
            add(customer, source, added, added, kind, reason, {"interval": interval})
        elif day <= end:  # most of a large import falls after the window
            add(customer, source, added, day, kind, reason, {"interval": interval})
    return plan


def _plan(rhythms: Mapping[str, int]) -> _Plan:
    """The cadence steps of one set of rhythms, with everything the loop needs made once."""
    call = rhythms.get(_CALL, 0)
    steps = [
        (kind, interval, timedelta(days=interval), *(_CADENCE_KEYS.get(kind) or _cadence_keys(kind)))
        for kind, interval in rhythms.items()
        if interval > 0
    ]
    return (AT_RISK_FACTOR * call if call > 0 else None), steps


def _cadence_keys(kind: str) -> tuple[str, str, str]:
    """Source key and the two reason keys of a cadence (since the last contact / never)."""
    return (sources.key(sources.CADENCE, kind), f"reason.cadence_{kind}", f"reason.never_{kind}")


_CADENCE_KEYS = {kind.value: _cadence_keys(kind.value) for kind in TouchKind}


# Per date kind, looked up once per kind rather than per date: (one-off?, the touch when
# reminded ahead, the touch on the day), as kequ.domain.life_events decides them.
_DATE_KINDS = {k.value: (is_one_off(k.value), touch_kind(k.value, 1), touch_kind(k.value, 0)) for k in DateKind}
_YEARLY = _DATE_KINDS[DateKind.OTHER.value]  # a kind this version does not know: a yearly date


def _add_dates(
    builder: _Builder, dates: Sequence[DatedEvent], today: date, end: date, bereaved: Mapping[int, list[date]]
) -> None:
    start = today - timedelta(days=LOOKBACK_DAYS["date"])
    once_start = today - timedelta(days=LOOKBACK_DAYS["life_event"])
    date_kinds = _DATE_KINDS.get
    customers = builder.customers
    # Thousands of customers share a birthday (the reader hands them one AnnualDate): the
    # days a date falls on in the window are worked out once per date, lead and kind of
    # date, and most of them fall on none.
    falls: dict[tuple[object, ...], list[date]] = {}
    born_before = start.year - 1  # occurrences looks no earlier than the year before the window's
    for event in dates:
        annual = event.annual
        lead = event.lead_days
        once, early, on_the_day = date_kinds(event.kind, _YEARLY)
        slot = (id(annual), lead, once, event.kind if once else "")
        found = falls.get(slot)
        if found is None:
            # A year of birth before the window's first lunar or solar year changes nothing:
            # 10月18日 falls on the same days for everyone born before.
            year = annual.year if annual.year is not None and annual.year >= born_before else None
            alike = (annual.month, annual.day, annual.lunar, annual.leap, year, lead, once, event.kind if once else "")
            found = falls.get(alike) if not once else None
            if found is None:
                # A life event falls once, in its own year; a birthday every year. Either way the
                # key is (date id, the day), so what was done or snoozed stays handled.
                last = end + timedelta(days=lead)
                if once:
                    found = days_between(event.kind, annual, once_start, last)
                elif annual.lunar:
                    # Lunar dates are known for 1901-2099 only: a window past an end keeps the rest.
                    covered = within_calendar(start, last)
                    found = occurrences(annual, *covered) if covered else []
                else:
                    found = occurrences(annual, start, last)
                falls[alike] = found
            falls[slot] = found
        if not found:
            continue
        customer = customers.get(event.customer_id)
        if customer is None:
            continue
        kind = early if lead > 0 else on_the_day
        # A birthday in the year of mourning is still remembered, quietly (kequ.domain.agenda.suggest).
        mourned = bereaved.get(event.customer_id) if event.kind == _BIRTHDAY else None
        for occurrence in found:
            params = {"annual": annual, "days_left": (occurrence - today).days, "label": event.label}
            if mourned and in_mourning(mourned, occurrence):
                params["mourning"] = True
            reason = f"reason.date_{event.kind}"
            due_on = occurrence - timedelta(days=lead)
            builder.add(customer, sources.key(sources.DATE, event.id), occurrence, due_on, kind, reason, params)


def _add_festivals(builder: _Builder, rules: Rules, today: date, end: date, bereaved: Mapping[int, list[date]]) -> None:
    covered = within_calendar(today - timedelta(days=LOOKBACK_DAYS["festival"]), end)
    coming = [f for f in festivals_between(*covered) if f.key in rules.festival_keys] if covered else []
    if not coming:
        return
    greeted = [c for c in builder.customers.values() if c.tier in rules.festival_tiers]
    for festival in coming:
        params = {"festival": festival.key, "days_left": (festival.date - today).days}
        source = sources.key(sources.FESTIVAL, festival.key)
        # 妇女节 for women only, 七夕 only among family and friends (kequ.domain.gender).
        suited = (
            greeted
            if festival.key not in RESTRICTED_FESTIVALS
            else [c for c in greeted if festival_suits(festival.key, c.gender, c.honorific, c.relation_type)]
        )
        for customer in suited:
            # No festive greeting to a family in its first year of mourning (life_events).
            if customer.id in bereaved and in_mourning(bereaved[customer.id], festival.date):
                continue
            builder.add(customer, source, festival.date, festival.date, _FESTIVAL, "reason.festival", params)


def _add_deals(builder: _Builder, deals: Sequence[DealFact], today: date, end: date, calendar: WorkCalendar) -> None:
    """The 0-3-10-20 steps. The calls fall on the next working day when their day is a
    weekend or a day off; the thanks stays on the deal's own day, a day both sides worked.
    The occurrence (the key of what was done) stays the step's own day either way."""
    oldest = today - timedelta(days=LOOKBACK_DAYS["deal"])
    steps = [(offset, timedelta(days=offset), str(kind), reason) for offset, kind, reason in DEAL_SEQUENCE]
    for deal in deals:
        customer = builder.customers.get(deal.customer_id)
        if customer is None or deal.closed_on > end:
            continue
        for offset, gap, kind, reason in steps:
            occurrence = deal.closed_on + gap
            if oldest <= occurrence <= end:
                due_on = next_working_day(occurrence, calendar) if offset else occurrence
                params = {"day": offset, "closed_on": deal.closed_on}
                builder.add(
                    customer, sources.key(sources.DEAL, deal.id, offset), occurrence, due_on, kind, reason, params
                )


class _Builder:
    """Collects items, applying what was handled and the window in one place."""

    __slots__ = ("at_risk", "customers", "end", "handled", "ranked", "today", "today_ordinal")

    def __init__(
        self,
        customers: Mapping[int, CustomerFacts],
        handled: Mapping[tuple[int, str, date], Handled],
        today: date,
        end: date,
    ) -> None:
        self.customers = customers
        self.handled = handled
        self.at_risk: set[int] = set()
        self.today = today
        self.today_ordinal = today.toordinal()
        self.end = end
        # {order: [item]}: banded as they are made. Bands hold the items themselves:
        # a ranking tuple per item cost more to allocate than the sort saved.
        self.ranked: dict[int, list[DueItem]] = {}

    def add(
        self,
        customer: CustomerFacts,
        source_key: str,
        occurrence: date,
        due_on: date,
        kind: str,
        reason_key: str,
        params: Mapping[str, object],
    ) -> None:
        customer_id = customer.id
        handled = self.handled
        if handled:
            done = handled.get((customer_id, source_key, occurrence))
            if done is not None:
                if done.status not in _STILL_OPEN:
                    return
                due_on = done.due_date
        if due_on > self.end:
            return
        due_day = due_on.toordinal()
        overdue = self.today_ordinal - due_day
        # tuple.__new__ straight away: DueItem(...) would go through a Python-level __new__.
        item = _new_item(
            DueItem,
            (
                customer_id,
                source_key,
                occurrence,
                due_on,
                kind,
                reason_key,
                params,
                overdue if overdue > 0 else 0,
                customer.tier,
                customer.name,
                customer.honorific,
                customer.disc,
                customer_id in self.at_risk,
                customer.company,
                customer.gender,
            ),
        )
        # Overdue first by lateness x tier weight; then by day, heavier tiers first; then name.
        # One integer carries bucket and order, so most comparisons stop at the first field.
        weight = _WEIGHT.get(customer.tier, 1)
        if kind == _COMPLAINT:  # above everything else, oldest first
            order = occurrence.toordinal()
        elif overdue > 0:
            # A late birthday wish, wedding gift or hospital visit loses its moment day by
            # day; a late rhythm call can still be made tomorrow. Occasions go first.
            order = (_OVERDUE if source_key.startswith(_RHYTHM) else _OCCASION) - overdue * weight
        else:
            order = _COMING + due_day * 8 - weight
        band = self.ranked.get(order)
        if band is None:
            self.ranked[order] = [item]
        else:
            band.append(item)


# Rank bands: complaints (ordinal days) < overdue occasions < overdue rhythm < coming;
# each band far above the last.
_OCCASION = 1 << 36
_OVERDUE = 1 << 40
_RHYTHM = f"{sources.CADENCE}:"
_COMING = 1 << 44
_STILL_OPEN = frozenset({TouchStatus.SNOOZED.value, TouchStatus.PLANNED.value})
_new_item = tuple.__new__
# Within a band: by name, then source key; the sort is stable, so the order made breaks the last ties.
_BY_NAME = itemgetter(DueItem._fields.index("name"), DueItem._fields.index("source_key"))
_WEIGHT = {str(tier): weight for tier, weight in TIER_WEIGHT.items()}
