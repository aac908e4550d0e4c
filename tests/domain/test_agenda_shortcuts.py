"""The agenda's shortcuts for large books give exactly what the general path gives.

``due`` makes most rhythm touches in its own loop (customers with nothing handled) rather
than through ``_Builder.add``, and works out a yearly date's days once per date alike (the
same day, lead and kind; a year of birth before the window changes nothing). Each is
checked against the general path on generated books over many days: the same input with a
handled entry for every customer that matches no item (so no customer takes the quick
loop), and each date given its own AnnualDate with its own year (so no answer is shared).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kequ.domain.agenda.rules import (
    AgendaInput,
    CustomerFacts,
    DatedEvent,
    DealFact,
    Handled,
    OpenComplaint,
    PlannedTouch,
    Rules,
    due_and_plan,
)
from kequ.domain.calendar.lunar import AnnualDate

KINDS = ("birthday", "birthday", "anniversary", "other", "wedding", "bereavement", "hospital")
TIERS = ("key", "potential", "regular", "temporary")


def generated_book(seed: int, today: date, size: int = 600) -> AgendaInput:
    """Customers of every tier, contacts, shared and own birthdays (solar, lunar, with and
    without a year, some born this year), life events, deals, complaints, planned touches
    and handled occurrences (done, skipped, snoozed) around ``today``."""
    rng = random.Random(seed)
    customers = [
        CustomerFacts(cid, f"客户{cid % 97}", rng.choice(TIERS), today - timedelta(days=rng.randint(0, 900)))
        for cid in range(1, size + 1)
    ]
    customers += [c._replace(id=c.id + size, churned=True) for c in customers[:20]]
    last = {
        (c.id, kind): today - timedelta(days=rng.randint(0, 400))
        for c in customers
        for kind in ("call", "visit")
        if rng.random() < 0.8
    }
    shared = [AnnualDate(rng.randint(1, 12), rng.randint(1, 28), rng.random() < 0.4) for _ in range(30)]
    dates = []
    for n, c in enumerate(customers):
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(KINDS)
            if kind in ("birthday", "anniversary", "other") and rng.random() < 0.6:
                annual = rng.choice(shared)
            else:
                year = rng.choice([None, 1970, today.year - 2, today.year - 1, today.year])
                annual = AnnualDate(rng.randint(1, 12), rng.randint(1, 30), rng.random() < 0.3, False, year)
                if kind not in ("birthday", "anniversary", "other"):
                    # A life event has its own day in a year near now.
                    day = today + timedelta(days=rng.randint(-40, 20))
                    annual = AnnualDate(day.month, day.day, False, False, day.year)
            lead = rng.choice([0, 0, 1, 3, 7])
            dates.append(DatedEvent(len(dates) + 1, c.id, kind, annual, lead, f"标签{n % 3}"))
    # The last lunar months fall in January and February: a year of birth there decides
    # whether last lunar year's day counts (born the year after, it does not).
    years = (None, 1970, today.year - 1, today.year, today.year + 1)
    for c in customers[:100]:
        annual = AnnualDate(rng.choice((11, 12)), rng.randint(1, 30), True, False, years[c.id % len(years)])
        dates.append(DatedEvent(len(dates) + 1, c.id, "birthday", annual, rng.choice((0, 3))))
    deals = [DealFact(n, c.id, today - timedelta(days=rng.randint(0, 40))) for n, c in enumerate(customers[::7])]
    complaints = [
        OpenComplaint(n, c.id, today - timedelta(days=rng.randint(0, 9)), 2) for n, c in enumerate(customers[::50])
    ]
    planned = [
        PlannedTouch(n, c.id, "call", today + timedelta(days=rng.randint(-3, 9))) for n, c in enumerate(customers[::40])
    ]
    handled = []
    for c in customers[::9]:
        since = last.get((c.id, "call"))
        occurrence = since + timedelta(days=30) if since else c.added_on
        status = rng.choice(["done", "skipped", "snoozed"])
        handled.append(Handled(c.id, "cadence:call", occurrence, status, today + timedelta(days=rng.randint(-2, 5))))
    for event in dates[::11]:
        handled.append(Handled(event.customer_id, f"date:{event.id}", today, "snoozed", today + timedelta(days=1)))
    return AgendaInput(customers, last, dates, deals, handled, planned, complaints)


def no_quick_loop(data: AgendaInput) -> AgendaInput:
    """The same book, every customer with a handled entry that matches no item."""
    decoys = [Handled(c.id, "cadence:none", date(1990, 1, 1), "done", date(1990, 1, 1)) for c in data.customers]
    return AgendaInput(
        data.customers, data.last_contact, data.dates, data.deals, [*data.handled, *decoys], data.planned,
        data.complaints, data.calendar,
    )  # fmt: skip


def nothing_shared(data: AgendaInput) -> AgendaInput:
    """The same book, each date with an AnnualDate of its own (equal, not the same object)."""
    dates = [
        d._replace(annual=AnnualDate(d.annual.month, d.annual.day, d.annual.lunar, d.annual.leap, d.annual.year))
        for d in data.dates
    ]
    return AgendaInput(
        data.customers, data.last_contact, dates, data.deals, data.handled, data.planned, data.complaints,
        data.calendar,
    )  # fmt: skip


def one_date_at_a_time(data: AgendaInput, rules: Rules, today: date, until: date) -> list:
    """Every date's items, each date read in a book of its own (no answer can be reused),
    beside the family's losses (a birthday in the year of mourning is marked) and what was handled."""
    losses = [d for d in data.dates if d.kind == "bereavement"]
    found = []
    for event in data.dates:
        alone = AgendaInput(
            data.customers,
            data.last_contact,
            [event, *(d for d in losses if d is not event)],
            handled=data.handled,
            calendar=data.calendar,
        )
        mine = f"date:{event.id}"
        found += [i for i in due_and_plan(alone, rules, today, until)[0] if i.source_key == mine]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("offset", [0, 17, 45, 80, 150, 220, 300])
@pytest.mark.parametrize("ahead", [0, 7, 30])
def test_the_shortcuts_give_what_the_general_path_gives(seed: int, offset: int, ahead: int) -> None:
    today = date(2026, 11, 23) + timedelta(days=offset)
    until = today + timedelta(days=ahead)
    data = generated_book(seed, today)
    rules = Rules(overrides={3: {"call": 7}, 5: {"visit": 0}, 8: {"visit": 60}})
    items, plan = due_and_plan(data, rules, today, until)
    assert (items, plan) == due_and_plan(no_quick_loop(data), rules, today, until)
    assert (items, plan) == due_and_plan(nothing_shared(data), rules, today, until)
    # The comparison saw rhythm touches of both loops, and dates.
    assert any(i.source_key == "cadence:call" for i in items)
    assert any(i.source_key.startswith("date:") for i in items)


@pytest.mark.parametrize("offset", [0, 45, 60, 75, 130, 250])
def test_each_date_falls_as_it_does_alone(offset: int) -> None:
    today = date(2026, 11, 23) + timedelta(days=offset)
    until = today + timedelta(days=7)
    data = generated_book(4, today, size=150)
    together = [i for i in due_and_plan(data, Rules(), today, until)[0] if i.source_key.startswith("date:")]
    alone = one_date_at_a_time(data, Rules(), today, until)
    assert together
    assert sorted(together, key=lambda i: i.key) == sorted(alone, key=lambda i: i.key)
