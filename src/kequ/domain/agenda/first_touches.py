"""First touches: when each customer nobody has called or visited yet gets their turn.

An import of ten thousand rows would otherwise put ten thousand "还没通过电话" on today's
list. Instead each such customer's first call (and first visit, for key customers) gets
one working day of its own, starting today:

* key customers first, then potential, then regular (then any other tier with a rhythm);
  within a tier, who was added earlier, then the lower id;
* at most ``cap`` customers a day (the ``first_touch_cap`` setting);
* never later than their rhythm would put it: a regular customer's first call falls within
  90 days of being added, a key customer's within 30. Where the cap cannot keep that promise
  (10,000 customers cannot all be called within their rhythm at 15 a day), the fewest
  customers a day that can keep it are planned every day instead, and the plan says so.

Pure and deterministic: the same customers on the same day give the same plan. Nothing is
stored; tomorrow's plan starts from whoever is still waiting tomorrow, so a first call not
made today simply comes back first in line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from kequ.i18n import t

DEFAULT_FIRST_TOUCH_CAP = 15
MAX_FIRST_TOUCH_CAP = 500
# Key customers first: the playbook's order of who matters most.
TIER_ORDER: Mapping[str, int] = {"key": 0, "potential": 1, "regular": 2, "temporary": 3}
_OTHER_TIER = len(TIER_ORDER)
_SATURDAY = 5


class Newcomer(NamedTuple):
    """A customer still owed a first touch, and the last day their rhythm allows for it."""

    customer_id: int
    tier: str
    added_on: date
    latest: date  # added_on + the shortest interval among the touches never made


@dataclass(frozen=True, slots=True)
class FirstTouchPlan:
    """The day of each newcomer's first touches, and what the Today line says about them."""

    days: Mapping[int, date] = field(default_factory=dict)  # customer id → day
    cap: int = DEFAULT_FIRST_TOUCH_CAP  # the setting
    per_day: int = DEFAULT_FIRST_TOUCH_CAP  # what is planned a day: the cap, or more where rhythms need it
    today: int = 0  # customers planned for the day asked about
    later: int = 0  # customers planned on later working days
    late: int = 0  # already past their rhythm: due on the day it ran out, not spread

    @property
    def planned(self) -> int:
        return self.today + self.later


def weekday_only(day: date) -> bool:
    """Monday to Friday. A stand-in until the holiday calendar (调休 included) decides."""
    return day.weekday() < _SATURDAY


def _working_days(start: date, last: date, is_working_day: Callable[[date], bool]) -> list[int]:
    """The ordinals of the working days from ``start`` to ``last``, both included."""
    days = []
    day = start
    one = timedelta(days=1)
    while day <= last:
        if is_working_day(day):
            days.append(day.toordinal())
        day += one
    return days


def first_working_day(today: date, is_working_day: Callable[[date], bool] = weekday_only) -> date:
    """``today`` if it is a working day, else the next one (within a month: always so)."""
    day = today
    for _ in range(31):
        if is_working_day(day):
            return day
        day += timedelta(days=1)
    return today  # a calendar with no working day at all: plan from today rather than never


def _needed(groups: list[tuple[int, list[int]]], cap: int) -> int:
    """The fewest a day (at least ``cap``) so that, taken in this order, each customer's day
    is no later than their last allowed working day. At ``c`` a day the customer in place i
    is on working day i // c, within w when c > i / (w + 1); in a group the last one decides."""
    per_day = cap
    position = 0
    for last_index, ids in groups:
        position += len(ids)
        least = (position - 1) // (last_index + 1) + 1
        if least > per_day:
            per_day = least
    return per_day


def plan_first_touches(
    newcomers: Iterable[Newcomer],
    today: date,
    cap: int = DEFAULT_FIRST_TOUCH_CAP,
    is_working_day: Callable[[date], bool] = weekday_only,
) -> FirstTouchPlan:
    """Each newcomer's first-touch day, from ``today`` (or the next working day) on."""
    cap = max(1, cap)
    # An import adds thousands on one day in a few tiers: they are handled in groups of the
    # same tier, day added and deadline, each group in the order of its ids.
    groups: dict[tuple[int, int, date], list[int]] = {}
    for customer_id, tier, added_on, latest in newcomers:
        slot = (TIER_ORDER.get(tier, _OTHER_TIER), added_on.toordinal(), latest)
        found = groups.get(slot)
        if found is None:
            groups[slot] = [customer_id]
        else:
            found.append(customer_id)
    if not groups:
        return FirstTouchPlan(cap=cap, per_day=cap)
    start = first_working_day(today, is_working_day)
    calendar = _working_days(start, max(latest for _, _, latest in groups), is_working_day)
    days: dict[int, date] = {}
    # Tier, then day added, then deadline; with the index of the last working day each
    # group's rhythm allows (-1: none left, already late).
    ordered: list[tuple[tuple[int, int, date], int, list[int]]] = []
    for slot in sorted(groups):
        ids = groups[slot]
        ids.sort()
        last_index = bisect_right(calendar, slot[2].toordinal()) - 1
        if last_index < 0:
            days.update(dict.fromkeys(ids, slot[2]))  # due since the day the rhythm ran out
        else:
            ordered.append((slot, last_index, ids))
    late = len(days)
    spread = [(last_index, ids) for _, last_index, ids in ordered]
    per_day = _needed(spread, cap)
    if per_day > cap:
        # The tiers' order cannot keep every rhythm at this cap. Soonest deadline first (tier
        # order among equals) needs the fewest a day of any order; use it if it needs fewer.
        by_deadline = [(last_index, ids) for slot, last_index, ids in sorted(ordered, key=lambda g: (g[1], g[0]))]
        needed = _needed(by_deadline, cap)
        if needed < per_day:
            spread, per_day = by_deadline, needed
    queue = [customer_id for _, ids in spread for customer_id in ids]
    first = date.fromordinal
    for index in range(0, len(queue), per_day):
        days.update(dict.fromkeys(queue[index : index + per_day], first(calendar[index // per_day])))
    on_today = min(per_day, len(queue)) if start == today else 0
    return FirstTouchPlan(days, cap, per_day, on_today, len(queue) - on_today, late)


def plan_line(plan: FirstTouchPlan, lang: str | None = None) -> str:
    """What Today says about the plan: "新客户：今天安排 15 位首次联系，其余 812 位已排到后面的工作日";
    empty when nobody is waiting for a first touch."""
    if not plan.planned:
        return ""
    if plan.today:
        line = t("today.first_today", lang, n=plan.today)
        if plan.later:
            line += t("today.first_later", lang, n=plan.later)
    else:
        line = t("today.first_none_today", lang, n=plan.later)
    if plan.per_day > plan.cap:
        line += t("today.first_raised", lang, cap=plan.cap, per_day=plan.per_day)
    return line
