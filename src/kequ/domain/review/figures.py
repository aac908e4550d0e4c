"""The review's figures, over plain records: what was done against what was planned,
festival coverage, gift spend, complaints and the calls after each deal.

Pure. Every figure keeps the customers behind it (``who``), so a screen can open them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from kequ.domain.agenda.rules import DEAL_SEQUENCE

WEEKS = 13  # this week and the twelve before
WEEK, MONTH = "week", "month"
DEAL_DAYS: tuple[int, ...] = tuple(day for day, _kind, _reason in DEAL_SEQUENCE)
# A step of the 0-3-10-20 sequence counts as kept if done within this many days of its day.
DEAL_GRACE_DAYS = 2
KEPT, LATE, MISSED, SKIPPED, WAITING = "kept", "late", "missed", "skipped", "waiting"


class Count(NamedTuple):
    """Touches of one kind done (or planned) on one day: the history summed up in SQL."""

    day: date
    kind: str
    n: int


class GiftFact(NamedTuple):
    day: date
    customer_id: int
    cost_cents: int | None


class ComplaintFact(NamedTuple):
    id: int
    customer_id: int
    opened_on: date
    closed_on: date | None
    status: str  # vocab.ComplaintStatus
    cause: str | None


class DealFact(NamedTuple):
    id: int
    customer_id: int
    closed_on: date


class StepDone(NamedTuple):
    """What was done with one step of a deal's sequence (a handled touch ``deal:<id>:<day>``)."""

    deal_id: int
    day: int  # 0, 3, 10 or 20
    status: str  # vocab.TouchStatus: done or skipped
    on: date  # when it was handled


class Greeted(NamedTuple):
    """A festival greeting handled: sent (done) or skipped."""

    festival: str
    day: date
    customer_id: int
    status: str


def week_start(day: date) -> date:
    """The Monday of the week of ``day``."""
    return day - timedelta(days=day.weekday())


def period(today: date, span: str) -> tuple[date, date]:
    """The first and last day of this week (Monday to Sunday) or this calendar month."""
    if span == MONTH:
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    start = week_start(today)
    return start, start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class WeekRow:
    start: date
    done: Mapping[str, int]  # {kind: touches}
    planned: Mapping[str, int]

    @property
    def done_total(self) -> int:
        return sum(self.done.values())

    @property
    def planned_total(self) -> int:
        return sum(self.planned.values())


def weekly(done: Iterable[Count], planned: Iterable[Count], today: date, weeks: int = WEEKS) -> list[WeekRow]:
    """Touches done and planned per week and kind, oldest week first, this week last."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    last = week_start(today) + timedelta(days=6)
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    tables: list[dict[date, Counter[str]]] = []
    for counts in (done, planned):
        table: dict[date, Counter[str]] = {s: Counter() for s in starts}
        for count in counts:
            if first <= count.day <= last and count.n:
                table[week_start(count.day)][count.kind] += count.n
        tables.append(table)
    return [WeekRow(s, dict(tables[0][s]), dict(tables[1][s])) for s in starts]


def rhythm_due(last_contacts: Iterable[Count], rhythm_days: Mapping[str, int]) -> list[Count]:
    """Planned by the rhythms: each contact of a kind puts the next one due a rhythm later.

    ``last_contacts`` are contacts counted by (day, kind) for customers of one rhythm
    (``rhythm_days``: {kind: days}, 0 or absent = none)."""
    planned = []
    for count in last_contacts:
        days = rhythm_days.get(count.kind, 0)
        if days > 0:
            planned.append(Count(count.day + timedelta(days=days), count.kind, count.n))
    return planned


@dataclass(frozen=True, slots=True)
class FestivalCoverage:
    festival: str
    day: date
    sent: tuple[int, ...]
    skipped: tuple[int, ...]
    left: tuple[int, ...]

    def as_json(self) -> dict[str, object]:
        counts = {"sent": len(self.sent), "skipped": len(self.skipped), "left": len(self.left)}
        return {"festival": self.festival, "date": self.day.isoformat(), **counts}


def festival_coverage(
    festivals: Iterable[tuple[str, date]], owed: Mapping[str, Sequence[int]], greeted: Iterable[Greeted]
) -> list[FestivalCoverage]:
    """Per festival: whom it was sent to, who was skipped, and who is left of those owed one.

    ``owed`` gives, per festival key, the customers owed a greeting (the agenda's festival
    rules); a greeting sent to someone not owed one still counts as sent."""
    handled: dict[tuple[str, date], dict[int, str]] = {}
    for g in greeted:
        handled.setdefault((g.festival, g.day), {})[g.customer_id] = g.status
    rows = []
    for key, day in festivals:
        status = handled.get((key, day), {})
        sent = tuple(cid for cid, s in status.items() if s == "done")
        skipped = tuple(cid for cid, s in status.items() if s == "skipped")
        left = tuple(cid for cid in owed.get(key, ()) if cid not in status or status[cid] not in ("done", "skipped"))
        rows.append(FestivalCoverage(key, day, sent, skipped, left))
    return rows


@dataclass(frozen=True, slots=True)
class GiftSpend:
    by_month: Mapping[str, int]  # {"2026-11": cents}
    by_customer: Mapping[int, int]  # {customer id: cents}, largest first
    count: int
    unpriced: int  # gifts with no cost written down

    @property
    def total(self) -> int:
        return sum(self.by_month.values())


def gift_spend(gifts: Iterable[GiftFact], start: date, end: date) -> GiftSpend:
    months: Counter[str] = Counter()
    customers: Counter[int] = Counter()
    count = unpriced = 0
    for gift in gifts:
        if not start <= gift.day <= end:
            continue
        count += 1
        cost = gift.cost_cents
        if cost is None:
            unpriced += 1
            cost = 0
        months[gift.day.strftime("%Y-%m")] += cost
        customers[gift.customer_id] += cost
    by_customer = dict(sorted(customers.items(), key=lambda item: (-item[1], item[0])))
    return GiftSpend(dict(sorted(months.items())), by_customer, count, unpriced)


@dataclass(frozen=True, slots=True)
class ComplaintFigures:
    opened: tuple[int, ...]  # complaint ids opened in the period
    closed: tuple[int, ...]  # closed in the period
    still_open: tuple[int, ...]  # open at the end of the period, whenever opened
    causes: Mapping[str, int]  # {cause: complaints opened in the period}; "" = not said
    customers: Mapping[int, int] = field(default_factory=dict)  # {complaint id: customer id}


def complaint_figures(complaints: Iterable[ComplaintFact], start: date, end: date) -> ComplaintFigures:
    opened, closed, still_open = [], [], []
    causes: Counter[str] = Counter()
    owners: dict[int, int] = {}
    for c in complaints:
        if c.status == "withdrawn":
            continue
        owners[c.id] = c.customer_id
        if start <= c.opened_on <= end:
            opened.append(c.id)
            causes[c.cause or ""] += 1
        if c.closed_on is not None and start <= c.closed_on <= end:
            closed.append(c.id)
        if c.opened_on <= end and (c.closed_on is None or c.closed_on > end):
            still_open.append(c.id)
    return ComplaintFigures(tuple(opened), tuple(closed), tuple(still_open), dict(causes.most_common()), owners)


@dataclass(frozen=True, slots=True)
class DealFollowUp:
    deal_id: int
    customer_id: int
    closed_on: date
    steps: Mapping[int, str]  # {0|3|10|20: KEPT, LATE, MISSED, SKIPPED or WAITING}

    @property
    def kept(self) -> bool:
        """Every step that is due by now was done in time."""
        return all(s in (KEPT, WAITING) for s in self.steps.values())


def deal_follow_ups(deals: Iterable[DealFact], steps: Iterable[StepDone], today: date) -> list[DealFollowUp]:
    """For each deal, whether its 0-3-10-20 touches were kept: done within the grace days of
    their day (kept), done after (late), skipped, not done and past the grace (missed), or
    not yet due (waiting). Newest deal first."""
    handled = {(s.deal_id, s.day): s for s in steps}
    grace = timedelta(days=DEAL_GRACE_DAYS)
    rows = []
    for deal in deals:
        result: dict[int, str] = {}
        for offset in DEAL_DAYS:
            day = deal.closed_on + timedelta(days=offset)
            step = handled.get((deal.id, offset))
            if step is not None and step.status == "skipped":
                result[offset] = SKIPPED
            elif step is not None and step.status == "done":
                result[offset] = KEPT if step.on <= day + grace else LATE
            else:
                result[offset] = WAITING if today <= day + grace else MISSED
        rows.append(DealFollowUp(deal.id, deal.customer_id, deal.closed_on, result))
    rows.sort(key=lambda r: (r.closed_on, r.deal_id), reverse=True)
    return rows
