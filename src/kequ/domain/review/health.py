"""Relationship health: 0-100 per customer, as named parts that add up to the score.

Pure. Each part has its points, its most and a reason (a catalogue key with its
parameters), so a screen can say why 王总 has 42. The parts and their weights:

* recency (40): the last contact against the customer's call rhythm: full within one
  rhythm, nothing at three rhythms or more (a customer without a rhythm is measured
  against ``NO_RHYTHM_DAYS``);
* regularity (25): how much of the last twelve months (or since they were added) was
  covered, each contact covering one rhythm after it;
* greetings (10): festivals and birthdays greeted of those owed in the last twelve months;
* gifts (5): gifts given in the last twelve months;
* complaints (10): full unless a complaint is open, five points off for each;
* standing (10): tier and stage, what the relationship already is.

A lost customer (流失) scores 0, with one part saying so. ``trend`` compares the score
``TREND_DAYS`` ago with today's, from the same history cut at that day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kequ.domain.vocab import Stage, Tier
from kequ.i18n import t

YEAR_DAYS = 365
TREND_DAYS = 28
NO_RHYTHM_DAYS = 90  # a customer without a call rhythm is measured as a regular one
COOLING_FACTOR = 1.5  # past 1.5 x their rhythm (the agenda's at-risk line)
POINTS: Mapping[str, int] = {
    "recency": 40,
    "regularity": 25,
    "greetings": 10,
    "gifts": 5,
    "complaints": 10,
    "standing": 10,
}
PARTS: tuple[str, ...] = tuple(POINTS)
_TIER_POINTS = {Tier.KEY.value: 5, Tier.POTENTIAL.value: 4, Tier.REGULAR.value: 3, Tier.TEMPORARY.value: 1}
_STAGE_POINTS = {Stage.EXISTING.value: 5, Stage.NEW.value: 3, Stage.PROSPECT.value: 1}
_OPEN_COMPLAINT_COST = 5
_GIFT_POINTS = 3  # per gift, up to the part's most


@dataclass(frozen=True, slots=True)
class Occasion:
    """A festival or birthday owed a greeting on ``day``; ``greeted_on`` when it was."""

    day: date
    greeted_on: date | None = None


@dataclass(frozen=True, slots=True)
class ComplaintSpan:
    opened_on: date
    closed_on: date | None = None  # None while open; a withdrawn one is not given at all


@dataclass(frozen=True, slots=True)
class History:
    """What the score of one customer reads. Dates may run past the day scored: they are cut."""

    customer_id: int
    tier: str
    stage: str
    added_on: date
    rhythm_days: int  # the call rhythm; 0 when they have none
    contacts: Sequence[date] = ()  # days of contact of any kind
    occasions: Sequence[Occasion] = ()
    gifts: Sequence[date] = ()
    complaints: Sequence[ComplaintSpan] = ()
    churned: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    name: str  # one of PARTS, or "lost"
    points: int
    most: int
    reason: str  # a catalogue key
    params: Mapping[str, object] = field(default_factory=dict)

    def label(self, lang: str | None = None) -> str:
        """最近联系, 投诉 …: the part's name as shown."""
        return t(f"health.part.{self.name}", lang)

    def explain(self, lang: str | None = None) -> str:
        """上次联系在 45 天前，节奏 30 天: why the part has its points."""
        params = dict(self.params)
        if self.name == "standing":
            params["tier_name"] = t(f"vocab.tier.{params['tier']}", lang)
            params["stage_name"] = t(f"health.stage.{params['stage']}", lang)
        return t(self.reason, lang, **params)

    def as_json(self) -> dict[str, object]:
        return {"points": self.points, "most": self.most, "reason": self.reason, "text": self.explain()}


@dataclass(frozen=True, slots=True)
class Health:
    customer_id: int
    score: int
    parts: tuple[Part, ...]
    days_since: int | None  # since the last contact; None if never
    rhythm_days: int

    @property
    def overdue_factor(self) -> float:
        """Days since the last contact in rhythms (1.0 = just due); from the day added if never."""
        return (self.days_since or 0) / (self.rhythm_days or NO_RHYTHM_DAYS)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


@dataclass(frozen=True, slots=True)
class Trend:
    before: int
    now: int

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"

    def as_json(self) -> dict[str, object]:
        return {"before": self.before, "now": self.now, "change": self.change, "direction": self.direction}


def score(history: History, today: date) -> Health:
    """The health of one relationship on ``today``, from what had happened by then."""
    contacts = sorted(d for d in history.contacts if d <= today)
    last = contacts[-1] if contacts else None
    days_since = (today - last).days if last else None
    if history.churned:
        lost = Part("lost", 0, 100, "health.reason.lost")
        return Health(history.customer_id, 0, (lost,), days_since, history.rhythm_days)
    rhythm = history.rhythm_days or NO_RHYTHM_DAYS
    parts = (
        _recency(history, today, last, rhythm),
        _regularity(history, today, contacts, rhythm),
        _greetings(history, today),
        _gifts(history, today),
        _complaints(history, today),
        _standing(history),
    )
    return Health(history.customer_id, sum(p.points for p in parts), parts, days_since, history.rhythm_days)


def trend(history: History, today: date, days: int = TREND_DAYS, now: Health | None = None) -> Trend:
    """The score ``days`` ago against today's (``now``: today's, when already scored)."""
    current = now if now is not None else score(history, today)
    return Trend(score(history, today - timedelta(days=days)).score, current.score)


def cooling(health: Health, trend: Trend) -> bool:
    """Cooling (变冷): the score is falling and the last contact is past 1.5 x their rhythm."""
    return trend.change < 0 and health.overdue_factor > COOLING_FACTOR


def _recency(history: History, today: date, last: date | None, rhythm: int) -> Part:
    most = POINTS["recency"]
    since = last or history.added_on
    days = max(0, (today - since).days)
    ratio = days / rhythm
    # Full within one rhythm, falling to nothing at three.
    points = most if ratio <= 1 else max(0, round(most * (3 - ratio) / 2))
    if last is None:
        reason = "health.reason.never"
    elif not history.rhythm_days:
        reason = "health.reason.recency_no_rhythm"
    else:
        reason = "health.reason.recency"
    return Part("recency", points, most, reason, {"days": days, "rhythm": rhythm})


def _regularity(history: History, today: date, contacts: list[date], rhythm: int) -> Part:
    """The share of the window that some contact covered (each covers ``rhythm`` days after it).

    The window is the last year, or the time since they were added; the day added covers
    a rhythm too (nobody is late with a customer the day they arrive)."""
    most = POINTS["regularity"]
    start = max(today - timedelta(days=YEAR_DAYS), history.added_on)
    span = (today - start).days
    if span <= 0:
        return Part("regularity", most, most, "health.reason.too_new", {})
    # Counted in day numbers (date.toordinal): a contact covers up to ``rhythm`` days from
    # the later of its day and the end of what was covered before (never before ``start``).
    last = today.toordinal()
    covered_until = start.toordinal()
    covered = 0
    for day in sorted([history.added_on.toordinal(), *(d.toordinal() for d in contacts)]):
        begin = day if day > covered_until else covered_until
        end = min(day + rhythm, last)
        if end > begin:
            covered += end - begin
            covered_until = end
    share = covered / span
    missed = span - covered
    return Part("regularity", round(most * share), most, "health.reason.regularity", {"missed": missed, "span": span})


def _greetings(history: History, today: date) -> Part:
    most = POINTS["greetings"]
    start = today - timedelta(days=YEAR_DAYS)
    owed = [o for o in history.occasions if start < o.day <= today]
    if not owed:
        return Part("greetings", most, most, "health.reason.no_occasions", {})
    greeted = sum(1 for o in owed if o.greeted_on is not None and o.greeted_on <= today)
    points = round(most * greeted / len(owed))
    return Part("greetings", points, most, "health.reason.greetings", {"greeted": greeted, "owed": len(owed)})


def _gifts(history: History, today: date) -> Part:
    most = POINTS["gifts"]
    start = today - timedelta(days=YEAR_DAYS)
    given = sum(1 for d in history.gifts if start < d <= today)
    return Part("gifts", min(most, given * _GIFT_POINTS), most, "health.reason.gifts", {"count": given})


def _complaints(history: History, today: date) -> Part:
    most = POINTS["complaints"]
    opened = [c for c in history.complaints if c.opened_on <= today]
    still_open = sum(1 for c in opened if c.closed_on is None or c.closed_on > today)
    if still_open:
        points = max(0, most - _OPEN_COMPLAINT_COST * still_open)
        return Part("complaints", points, most, "health.reason.complaints_open", {"count": still_open})
    if opened:
        return Part("complaints", most, most, "health.reason.complaints_closed", {"count": len(opened)})
    return Part("complaints", most, most, "health.reason.no_complaints", {})


def _standing(history: History) -> Part:
    points = _TIER_POINTS.get(history.tier, 1) + _STAGE_POINTS.get(history.stage, 1)
    params = {"tier": history.tier, "stage": history.stage}
    return Part("standing", points, POINTS["standing"], "health.reason.standing", params)
