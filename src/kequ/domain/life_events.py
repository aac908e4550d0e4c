"""Life events (人生大事): what kequ does when a customer marries, moves, falls ill...

The playbook asks the salesperson to show care beyond the business: congratulate on a
wedding, a baby, a child's exam, a promotion, a move or an opening; visit or call on
illness or bereavement. Each is a one-off date with its year (``vocab.ONE_OFF_DATE_KINDS``);
``LIFE_EVENTS`` below is the one table of how kequ answers each kind: the touch, how many
days ahead, and the tone of the message.

Pure: plain values in and out, no database, no terminal.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kequ.domain.calendar.lunar import AnnualDate, lunar_to_solar, occurrences
from kequ.domain.values import whole_number
from kequ.domain.vocab import MAX_LEAD_DAYS, ONE_OFF_DATE_KINDS, DateKind, TouchKind
from kequ.errors import KequError

# The two tones; each is also the template occasion that speaks in it.
CONGRATULATIONS = "congratulations"
CONDOLENCE = "condolence"


@dataclass(frozen=True, slots=True)
class LifeEventRule:
    touch: str  # vocab.TouchKind: what the salesperson does
    lead_days: int  # how many days before the event it is due, unless the user says otherwise
    tone: str  # CONGRATULATIONS or CONDOLENCE: never 恭喜 to someone who is grieving


LIFE_EVENTS: Mapping[str, LifeEventRule] = {
    # A wedding gift (贺礼、红包) is prepared and sent before the day, not after it.
    DateKind.WEDDING.value: LifeEventRule(TouchKind.GIFT.value, 5, CONGRATULATIONS),
    # The news of a baby comes after the birth: a small gift for the child, right away.
    DateKind.BABY.value: LifeEventRule(TouchKind.GIFT.value, 0, CONGRATULATIONS),
    # A child's exam result or admission: a warm message on the day, without pressure.
    DateKind.EXAM.value: LifeEventRule(TouchKind.MESSAGE.value, 0, CONGRATULATIONS),
    # A promotion deserves a personal call the same day: it also opens the new role.
    DateKind.PROMOTION.value: LifeEventRule(TouchKind.CALL.value, 0, CONGRATULATIONS),
    # 乔迁: a plant or a useful gift should arrive on the day, so it is ordered ahead.
    DateKind.RELOCATION.value: LifeEventRule(TouchKind.GIFT.value, 3, CONGRATULATIONS),
    # 开业、新项目: the flower basket (花篮) is booked a few days before the opening.
    DateKind.NEW_PROJECT.value: LifeEventRule(TouchKind.GIFT.value, 3, CONGRATULATIONS),
    # Illness: go and see them (探望) as soon as you hear; a message alone is too little.
    DateKind.ILLNESS.value: LifeEventRule(TouchKind.VISIT.value, 0, CONDOLENCE),
    # Bereavement: a call at once, in person rather than a forwarded text.
    DateKind.BEREAVEMENT.value: LifeEventRule(TouchKind.CALL.value, 0, CONDOLENCE),
}
if set(LIFE_EVENTS) != set(ONE_OFF_DATE_KINDS):  # a kind added to one list and not the other
    raise RuntimeError("LIFE_EVENTS and vocab.ONE_OFF_DATE_KINDS must name the same kinds")

_ONE_OFF = frozenset(ONE_OFF_DATE_KINDS)

# 守孝: a family that has lost someone does not celebrate the festivals of the first year,
# the Spring Festival above all; a 节日快乐 sent to them in that year hurts. Their festival
# greetings are held back for this long after the loss (the care call is not).
MOURNING_DAYS = 365


def is_one_off(kind: str) -> bool:
    """A life event happens once; birthdays, anniversaries and other dates recur yearly."""
    return kind in _ONE_OFF


def default_lead(kind: str) -> int:
    """Days ahead to be reminded when the user does not say: the table's, or 0 for yearly dates."""
    rule = LIFE_EVENTS.get(kind)
    return rule.lead_days if rule else 0


def parse_lead(text: str) -> int:
    """Days ahead to be reminded, as typed in the date dialog or ``kequ event --lead``: a
    whole number up to MAX_LEAD_DAYS, or a KequError saying so."""
    days = whole_number(text)
    if days is None or days > MAX_LEAD_DAYS:
        raise KequError("input.bad_lead", value=text, limit=MAX_LEAD_DAYS)
    return days


def touch_kind(kind: str, lead_days: int) -> str:
    """The touch a date asks for.

    A life event's comes from the table. A yearly date reminded ahead of time means a gift
    to prepare; on the day itself, a message.
    """
    rule = LIFE_EVENTS.get(kind)
    if rule is not None:
        return rule.touch
    return TouchKind.GIFT.value if lead_days > 0 else TouchKind.MESSAGE.value


def tone_of(kind: str) -> str | None:
    """CONGRATULATIONS or CONDOLENCE for a life event; None for a yearly date."""
    rule = LIFE_EVENTS.get(kind)
    return rule.tone if rule else None


def one_off_day(annual: AnnualDate) -> date | None:
    """The Gregorian day a one-off event falls on, or None for a row without a usable year.

    Never raises: one odd stored row must not break the agenda.
    """
    year = annual.year
    if year is None:
        return None
    try:
        if annual.lunar:
            return lunar_to_solar(year, annual.month, annual.day, annual.leap)
        # Entry refuses 2月29日 in a common year; an imported one falls on the 28th.
        return date(year, annual.month, min(annual.day, calendar.monthrange(year, annual.month)[1]))
    except ValueError:
        return None


def days_between(kind: str, annual: AnnualDate, start: date, end: date) -> list[date]:
    """The days a date of this kind falls on with ``start <= day <= end``: every year's
    occurrence for a yearly date, the event's own day (if in range) for a one-off."""
    if kind in _ONE_OFF:
        day = one_off_day(annual)
        return [day] if day is not None and start <= day <= end else []
    return occurrences(annual, start, end)


def losses(dates: Iterable[tuple[int, str, AnnualDate]]) -> dict[int, list[date]]:
    """{customer id: the days of their family's bereavements} from (customer, kind, date) rows."""
    out: dict[int, list[date]] = {}
    for customer_id, kind, annual in dates:
        if kind == DateKind.BEREAVEMENT.value and (day := one_off_day(annual)) is not None:
            out.setdefault(customer_id, []).append(day)
    return out


def in_mourning(their_losses: Iterable[date], day: date) -> bool:
    """Whether ``day`` falls in the first year after one of these losses (the day itself included)."""
    return any(0 <= (day - loss).days < MOURNING_DAYS for loss in their_losses)


# An illness or a loss colours every visit around it, not only the care visit itself: 探病 is
# not the moment for new products or a fishing stool. From a little before (an operation
# already booked) to some weeks after.
CARE_BEFORE_DAYS = 30
CARE_AFTER_DAYS = 60


def needs_care(events: Iterable[tuple[str, AnnualDate]], day: date) -> bool:
    """Whether a visit on ``day`` should come as care rather than business, given the
    customer's dates as (kind, date): an illness or a loss close enough to it."""
    for kind, annual in events:
        if tone_of(kind) != CONDOLENCE:
            continue
        when = one_off_day(annual)
        if when is not None and -CARE_BEFORE_DAYS <= (day - when).days <= CARE_AFTER_DAYS:
            return True
    return False
