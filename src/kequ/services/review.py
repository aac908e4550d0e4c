"""The weekly review and relationship health: read once, figured by kequ.domain.review.

``review`` is what the Review screen and ``kequ review`` show; ``health_of`` is one
customer's score with its parts and trend (``kequ health``); ``all_health`` and
``contacts_between`` feed the 周报 workbook (kequ.exchange.review_report).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from kequ.domain.review import figures
from kequ.domain.review.figures import (
    WEEK,
    WEEKS,
    ComplaintFigures,
    DealFollowUp,
    FestivalCoverage,
    GiftSpend,
    WeekRow,
)
from kequ.domain.review.health import COOLING_FACTOR, NO_RHYTHM_DAYS, YEAR_DAYS, Health, Trend, cooling, score, trend
from kequ.domain.vocab import Tier
from kequ.storage.database import Database
from kequ.storage.fast_reads import review as read
from kequ.storage.fast_reads.agenda import read_rules

# Festivals shown in the coverage figure: those of the period and of this many days before it.
FESTIVAL_LOOKBACK_DAYS = 60


@dataclass(frozen=True, slots=True)
class Cooling:
    customer_id: int
    health: Health
    trend: Trend


@dataclass(frozen=True, slots=True)
class Review:
    today: date
    span: str  # figures.WEEK or figures.MONTH
    start: date
    end: date
    weeks: Sequence[WeekRow]  # this week and the twelve before, oldest first
    done: Mapping[str, int]  # {kind: touches} in the period
    planned: Mapping[str, int]
    cooling: Sequence[Cooling]  # key customers cooling, coldest first
    festivals: Sequence[FestivalCoverage]
    gifts: GiftSpend  # in the period
    gifts_by_month: Mapping[str, int]  # the last twelve months
    complaints: ComplaintFigures
    deals: Sequence[DealFollowUp]
    names: Mapping[int, tuple[str, str, str]]  # {customer id: (name, honorific, company)}

    def shown(self, customer_id: int) -> str:
        name, honorific, _company = self.names.get(customer_id, (str(customer_id), "", ""))
        return f"{name}（{honorific}）" if honorific and honorific != name else name

    def as_json(self) -> dict[str, object]:
        def person(cid: int) -> dict[str, object]:
            name, honorific, company = self.names.get(cid, ("", "", ""))
            return {"id": cid, "name": name, "honorific": honorific, "company": company}

        return {
            "date": self.today.isoformat(),
            "period": {"span": self.span, "start": self.start.isoformat(), "end": self.end.isoformat()},
            "done": {"total": sum(self.done.values()), "by_kind": dict(self.done)},
            "planned": {"total": sum(self.planned.values()), "by_kind": dict(self.planned)},
            "weeks": [
                {"start": w.start.isoformat(), "done": dict(w.done), "planned": dict(w.planned)} for w in self.weeks
            ],
            "cooling": [
                {
                    **person(c.customer_id),
                    "score": c.health.score,
                    "trend": c.trend.as_json(),
                    "days_since": c.health.days_since,
                    "rhythm": c.health.rhythm_days,
                }
                for c in self.cooling
            ],
            "festivals": [f.as_json() for f in self.festivals],
            "gifts": {
                "count": self.gifts.count,
                "total_cents": self.gifts.total,
                "unpriced": self.gifts.unpriced,
                "by_month": dict(self.gifts_by_month),
                "by_customer": [{**person(cid), "cents": cents} for cid, cents in self.gifts.by_customer.items()],
            },
            "complaints": {
                "opened": len(self.complaints.opened),
                "closed": len(self.complaints.closed),
                "still_open": len(self.complaints.still_open),
                "causes": dict(self.complaints.causes),
            },
            "deals": [
                {
                    "deal": d.deal_id,
                    **person(d.customer_id),
                    "closed_on": d.closed_on.isoformat(),
                    "steps": {str(k): v for k, v in d.steps.items()},
                    "kept": d.kept,
                }
                for d in self.deals
            ],
        }


def _sum_kinds(rows: Sequence[figures.Count], start: date, end: date) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        if start <= row.day <= end:
            out[row.kind] = out.get(row.kind, 0) + row.n
    return out


def review(db: Database, today: date, span: str = WEEK) -> Review:
    """Everything the Review screen shows, read in one pass of set-based queries: the
    figures of the period (``review_figures``) with the cooling key customers
    (``cooling_customers``) put in."""
    shown = review_figures(db, today, span)
    cold, names = cooling_customers(db, today)
    return with_cooling(shown, cold, names)


def with_cooling(shown: Review, cold: Sequence[Cooling], names: Mapping[int, tuple[str, str, str]]) -> Review:
    """The figures of ``review_figures`` with the cooling customers and their names added."""
    return replace(shown, cooling=cold, names={**shown.names, **names})


def review_figures(db: Database, today: date, span: str = WEEK) -> Review:
    """The review without its cooling customers (``cooling`` empty, ``names`` only the
    customers of the gifts and deals): what the screen shows first, while the cooling
    key customers, a third of the time at 100,000 customers, are read beside it."""
    start, end = figures.period(today, span)
    first = min(figures.week_start(today) - timedelta(weeks=WEEKS - 1), start)
    last = max(end, figures.week_start(today) + timedelta(days=6))
    with db.reader() as conn:
        read.prepare(conn)
        rules = read_rules(conn)
        done = read.done_counts(conn, first, last)
        lost = read.lost_customers(conn)
        planned = read.rhythm_planned(conn, rules, first, last, lost)
        planned += read.manual_planned(conn, first, last)
        planned += read.date_planned(conn, first, last, lost)
        festival_days = read.festival_days(rules, first, last)
        owed = read.festival_owed(conn, rules, {key for key, _day in festival_days}, lost)
        planned += [figures.Count(day, "festival", len(owed[key])) for key, day in festival_days]
        deals, steps = read.deals(conn, first - timedelta(days=20), end)
        for deal in deals:
            for offset, kind, _reason in figures.DEAL_SEQUENCE:
                planned.append(figures.Count(deal.closed_on + timedelta(days=offset), str(kind), 1))
        oldest = start - timedelta(days=FESTIVAL_LOOKBACK_DAYS)
        shown_festivals = [(k, d) for k, d in festival_days if oldest <= d <= end]
        coverage = figures.festival_coverage(shown_festivals, owed, read.greeted(conn, first))
        period_gifts = read.gifts(conn, start, end)
        gifts_by_month = read.gift_months(conn, end - timedelta(days=YEAR_DAYS), end)
        complaints = figures.complaint_figures(read.complaints(conn), start, end)
        follow_ups = [d for d in figures.deal_follow_ups(deals, steps, today) if d.closed_on >= start - timedelta(20)]
        spend = figures.gift_spend(period_gifts, start, end)
        names = read.names(conn, set(spend.by_customer) | {d.customer_id for d in follow_ups})
    return Review(
        today,
        span,
        start,
        end,
        figures.weekly(done, planned, today),
        _sum_kinds(done, start, end),
        _sum_kinds(planned, start, end),
        [],
        coverage,
        spend,
        gifts_by_month,
        complaints,
        follow_ups,
        names,
    )


def cooling_customers(db: Database, today: date) -> tuple[list[Cooling], dict[int, tuple[str, str, str]]]:
    """The key customers cooling on ``today``, coldest first, and their names: the same
    whatever the period shown."""
    with db.reader() as conn:
        read.prepare(conn)
        rules = read_rules(conn)
        # Cooling needs the last contact past 1.5 x the rhythm: only those key customers are read and scored.
        lasts = read.last_contacts(conn, rules, today, "c.tier = ? AND NOT c.churned", (Tier.KEY.value,))
        overdue = [
            cid
            for cid, last_day, rhythm in lasts
            if (today - last_day).days > COOLING_FACTOR * (rhythm or NO_RHYTHM_DAYS)
        ]
        cold = []
        for history in read.histories_of(conn, rules, today, overdue):
            health = score(history, today)
            change = trend(history, today, now=health)
            if cooling(health, change):
                cold.append(Cooling(history.customer_id, health, change))
        cold.sort(key=lambda c: (c.trend.change, c.health.score, c.customer_id))
        names = read.names(conn, (c.customer_id for c in cold))
    return cold, names


def health_of(db: Database, customer_id: int, today: date) -> tuple[Health, Trend]:
    with db.reader() as conn:
        rules = read_rules(conn)
        (history,) = read.histories(conn, rules, today, "c.id = ?", (customer_id,))
    return score(history, today), trend(history, today)


def health_scores(db: Database, today: date, ids: Sequence[int] | None = None) -> dict[int, int]:
    """{customer id: health score} of the customers ``ids``, or of everyone: what the
    Customers list shows and sorts by (a lost customer scores 0).

    Every history is read and scored: about half a second for 10,000 customers, several
    seconds for 100,000, so a screen asks for it in a worker of its own."""
    with db.reader() as conn:
        read.prepare(conn)
        rules = read_rules(conn)
        histories = read.histories(conn, rules, today) if ids is None else read.histories_of(conn, rules, today, ids)
    return {history.customer_id: score(history, today).score for history in histories}


def all_health(db: Database, today: date) -> list[tuple[Health, Trend]]:
    """Every customer's health, lowest first: the 周报's 客户健康 sheet."""
    with db.reader() as conn:
        rules = read_rules(conn)
        histories = read.histories(conn, rules, today)
    scored = []
    for history in histories:
        health = score(history, today)
        scored.append((health, trend(history, today, now=health)))
    scored.sort(key=lambda pair: (pair[0].score, pair[0].customer_id))
    return scored


def customers_touched(db: Database, start: date, end: date, kind: str | None = None) -> list[int]:
    """The customers behind a count of touches done."""
    with db.reader() as conn:
        return read.touched(conn, start, end, kind)


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One contact of the period, as the 周报's 跟进记录 sheet lists it."""

    day: date
    customer_id: int
    name: str
    company: str
    kind: str
    note: str
    outcome: str
    next_step: tuple[date, str, str] | None  # (day, kind, reason) of their next planned touch


def contacts_between(db: Database, start: date, end: date) -> list[ContactLine]:
    with db.reader() as conn:
        rows = read.contacts(conn, start, end)
        following = read.next_planned(conn, (row[1] for row in rows))
    return [ContactLine(*row, following.get(row[1])) for row in rows]


def names_of(db: Database, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    with db.reader() as conn:
        return read.names(conn, ids)
