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

from kequ.calendar_cn import AnnualDate, festivals_between, occurrences
from kequ.vocab import Tier, TouchKind, TouchStatus

# Playbook defaults: key customers get a call a month and two visits a year.
DEFAULT_CADENCES: Mapping[str, Mapping[str, int]] = {
    Tier.KEY: {TouchKind.CALL: 30, TouchKind.VISIT: 180},
    Tier.POTENTIAL: {TouchKind.CALL: 30},
    Tier.REGULAR: {TouchKind.CALL: 90},
    Tier.TEMPORARY: {},
}
TIER_WEIGHT: Mapping[str, int] = {Tier.KEY: 4, Tier.POTENTIAL: 3, Tier.REGULAR: 2, Tier.TEMPORARY: 1}
# The 0-3-10-20 sequence after a deal: (day, kind, reason key).
DEAL_SEQUENCE: tuple[tuple[int, str, str], ...] = (
    (0, TouchKind.THANKS, "reason.deal_thanks"),
    (3, TouchKind.CALL, "reason.deal_call_3"),
    (10, TouchKind.CALL, "reason.deal_call_10"),
    (20, TouchKind.CALL, "reason.deal_call_20"),
)
AT_RISK_FACTOR = 1.5
GIFT_LEAD_DAYS = 3
# How long a missed occasion stays on the list: a birthday greeting two months late
# does more harm than good, a neglected cadence never expires.
LOOKBACK_DAYS: Mapping[str, int] = {"date": 7, "festival": 3, "deal": 30}


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    id: int
    name: str
    tier: str
    added_on: date
    honorific: str = ""
    disc: str | None = None
    churned: bool = False
    company: str = ""


@dataclass(frozen=True, slots=True)
class DatedEvent:
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


@dataclass(frozen=True)
class Rules:
    cadences: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: DEFAULT_CADENCES)
    # Per-customer overrides: {customer_id: {kind: days}}; 0 switches a rhythm off.
    overrides: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    festival_keys: frozenset[str] = frozenset(
        {
            "new_year", "spring_festival", "lantern", "womens_day", "labour_day", "dragon_boat",
            "qixi", "teachers_day", "mid_autumn", "national_day", "double_ninth", "new_years_eve",
        }
    )  # fmt: skip
    festival_tiers: frozenset[str] = frozenset({Tier.KEY, Tier.POTENTIAL})

    def interval(self, customer: CustomerFacts, kind: str) -> int:
        own = self.overrides.get(customer.id, {})
        if kind in own:
            return own[kind]
        return self.cadences.get(customer.tier, {}).get(kind, 0)

    def kinds(self, customer: CustomerFacts) -> set[str]:
        return set(self.cadences.get(customer.tier, {})) | set(self.overrides.get(customer.id, {}))


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


@dataclass(frozen=True, slots=True)
class DueItem:
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


def is_at_risk(customer: CustomerFacts, last_call: date | None, rules: Rules, today: date) -> bool:
    """Past 1.5x the call rhythm without a call (冷落)."""
    interval = rules.interval(customer, TouchKind.CALL)
    if interval <= 0 or customer.churned:
        return False
    since = last_call or customer.added_on
    return (today - since).days > AT_RISK_FACTOR * interval


def due(data: AgendaInput, rules: Rules, today: date, until: date | None = None) -> list[DueItem]:
    """Everything due on or before ``until`` (default: today), overdue included, ranked."""
    end = until or today
    if end < today:
        raise ValueError("the window must not end before today")
    by_id = {c.id: c for c in data.customers if not c.churned}
    handled = {(h.customer_id, h.source_key, h.occurrence): h for h in data.handled}
    at_risk = {
        c.id for c in by_id.values() if is_at_risk(c, data.last_contact.get((c.id, TouchKind.CALL)), rules, today)
    }
    builder = _Builder(by_id, handled, at_risk, today, end)

    for customer in by_id.values():
        for kind in sorted(rules.kinds(customer)):
            interval = rules.interval(customer, kind)
            if interval <= 0:
                continue
            last = data.last_contact.get((customer.id, kind))
            occurrence = (last + timedelta(days=interval)) if last else customer.added_on
            params = {"days": (today - last).days, "interval": interval} if last else {"interval": interval}
            reason = f"reason.cadence_{kind}" if last else f"reason.never_{kind}"
            builder.add(customer.id, f"cadence:{kind}", occurrence, occurrence, kind, reason, params)

    _add_dates(builder, data.dates, today, end)
    _add_festivals(builder, rules, today, end)
    _add_deals(builder, data.deals, today, end)
    for touch in data.planned:
        params = {"note": touch.reason}
        builder.add(
            touch.customer_id,
            f"manual:{touch.id}",
            touch.due_date,
            touch.due_date,
            touch.kind,
            "reason.planned",
            params,
        )
    return sorted(builder.items, key=_rank)


def _add_dates(builder: _Builder, dates: Sequence[DatedEvent], today: date, end: date) -> None:
    start = today - timedelta(days=LOOKBACK_DAYS["date"])
    for event in dates:
        if event.customer_id not in builder.customers:
            continue
        kind = TouchKind.GIFT if event.lead_days > 0 else TouchKind.MESSAGE
        for occurrence in occurrences(event.annual, start, end + timedelta(days=event.lead_days)):
            params = {"annual": event.annual, "days_left": (occurrence - today).days, "label": event.label}
            reason = f"reason.date_{event.kind}"
            due_on = occurrence - timedelta(days=event.lead_days)
            builder.add(event.customer_id, f"date:{event.id}", occurrence, due_on, kind, reason, params)


def _add_festivals(builder: _Builder, rules: Rules, today: date, end: date) -> None:
    start = today - timedelta(days=LOOKBACK_DAYS["festival"])
    coming = [f for f in festivals_between(start, end) if f.key in rules.festival_keys]
    if not coming:
        return
    greeted = [c for c in builder.customers.values() if c.tier in rules.festival_tiers]
    for festival in coming:
        params = {"festival": festival.key, "days_left": (festival.date - today).days}
        for customer in greeted:
            source = f"festival:{festival.key}"
            builder.add(
                customer.id, source, festival.date, festival.date, TouchKind.FESTIVAL, "reason.festival", params
            )


def _add_deals(builder: _Builder, deals: Sequence[DealFact], today: date, end: date) -> None:
    oldest = today - timedelta(days=LOOKBACK_DAYS["deal"])
    for deal in deals:
        for offset, kind, reason in DEAL_SEQUENCE:
            occurrence = deal.closed_on + timedelta(days=offset)
            if oldest <= occurrence <= end:
                params = {"day": offset, "closed_on": deal.closed_on}
                source = f"deal:{deal.id}:{offset}"
                builder.add(deal.customer_id, source, occurrence, occurrence, kind, reason, params)


class _Builder:
    """Collects items, applying what was handled and the window in one place."""

    def __init__(
        self,
        customers: Mapping[int, CustomerFacts],
        handled: Mapping[tuple[int, str, date], Handled],
        at_risk: set[int],
        today: date,
        end: date,
    ) -> None:
        self.customers = customers
        self.handled = handled
        self.at_risk = at_risk
        self.today = today
        self.end = end
        self.items: list[DueItem] = []

    def add(
        self,
        customer_id: int,
        source_key: str,
        occurrence: date,
        due_on: date,
        kind: str,
        reason_key: str,
        params: Mapping[str, object],
    ) -> None:
        customer = self.customers.get(customer_id)
        if customer is None:
            return
        done = self.handled.get((customer_id, source_key, occurrence))
        if done is not None:
            if done.status != TouchStatus.SNOOZED and done.status != TouchStatus.PLANNED:
                return
            due_on = done.due_date
        if due_on > self.end:
            return
        self.items.append(
            DueItem(
                customer_id=customer_id,
                source_key=source_key,
                occurrence=occurrence,
                due=due_on,
                kind=kind,
                reason_key=reason_key,
                reason_params=params,
                overdue_days=max(0, (self.today - due_on).days),
                tier=customer.tier,
                name=customer.name,
                honorific=customer.honorific,
                disc=customer.disc,
                at_risk=customer_id in self.at_risk,
                company=customer.company,
            )
        )


def _rank(item: DueItem) -> tuple[int, int, int, str, str]:
    """Overdue first by lateness x tier weight; then by day, heavier tiers first."""
    weight = TIER_WEIGHT.get(item.tier, 1)
    if item.overdue_days > 0:
        return (0, -item.overdue_days * weight, 0, item.name, item.source_key)
    return (1, item.due.toordinal(), -weight, item.name, item.source_key)
