"""The nine-step complaint wizard as a pure state machine: no clock, no database, no terminal.

Every transition takes a ``WizardState`` and returns a new one, or raises a
``ComplaintError`` carrying a catalogue key. The screens and the services both drive
this module, so the rules (no skipping ahead, closed or withdrawn means read-only, a close
needs a resolution and a cause) hold however the complaint is edited.

Texts live in ``kequ/locale/complaint.toml``; the ``*_key`` helpers here name them so a
screen never builds a key by hand and a test can check every one exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import NamedTuple

from kequ.domain.calendar.workdays import PLAIN_WEEKENDS, WorkCalendar, next_working_day
from kequ.domain.vocab import COMPLAINT_STEPS, ComplaintCause, ComplaintStatus, Disc, TouchKind

FIRST_STEP = 1
LAST_STEP = COMPLAINT_STEPS
STEPS = tuple(range(FIRST_STEP, LAST_STEP + 1))

# The structured answers a step asks for, in the order a form shows them.
STEP_FIELDS: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {
        6: ("asks", "can_do", "cannot_do", "why_not"),
        7: ("action", "deadline"),
        8: ("declined", "how"),
    }
)
DATE_FIELDS = frozenset({(7, "deadline")})

# Where the customer's personality changes what works; elsewhere one approach fits all.
DISC_TIP_STEPS = (2, 3, 6, 7, 8)
STEP_PARTS = ("title", "why", "say", "avoid")

SATISFACTION_RANGE = range(1, 6)
FOLLOWUP_KINDS = (TouchKind.CALL.value, TouchKind.VISIT.value)
MAX_FOLLOWUP_DAYS = 366
MAX_FOLLOWUPS = 6
_DAY = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")


class ComplaintError(ValueError):
    """A refused move. ``key`` names the text in the catalogue; ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(f"{key} {params}" if params else key)
        self.key = key
        self.params: dict[str, object] = params


class Followup(NamedTuple):
    """One touch planned after closing: ``days_after`` the close, by ``kind`` (call/visit)."""

    days_after: int
    kind: str


# A quick call while the fix is fresh, then a longer contact once things have settled, to
# win the trust back. A customer far away can have the visit changed to a call.
DEFAULT_FOLLOWUPS: tuple[Followup, ...] = (Followup(3, TouchKind.CALL.value), Followup(14, TouchKind.VISIT.value))


@dataclass(frozen=True, slots=True)
class Closure:
    """How a complaint ended, as recorded when it was closed."""

    resolution: str
    satisfaction: int
    cause: str
    followups: tuple[Followup, ...] = ()


def _freeze_notes(notes: Mapping[int, str]) -> Mapping[int, str]:
    # Empty notes are dropped so a state read back from storage equals the one saved.
    return MappingProxyType({int(step): text for step, text in sorted(notes.items()) if text})


def _freeze_data(data: Mapping[int, Mapping[str, str]]) -> Mapping[int, Mapping[str, str]]:
    frozen: dict[int, Mapping[str, str]] = {}
    for step, fields in sorted(data.items()):
        kept = {name: value for name, value in fields.items() if value}
        if kept:
            frozen[int(step)] = MappingProxyType(kept)
    return MappingProxyType(frozen)


@dataclass(frozen=True, slots=True, eq=True)
class WizardState:
    """Where a complaint stands: the step on screen, the furthest reached, what was noted.

    ``current`` is the step being viewed, ``reached`` the furthest step ever opened
    (``current <= reached`` always). Notes and fields are read-only mappings: change them
    only through the transitions below.
    """

    status: str = ComplaintStatus.OPEN.value
    current: int = FIRST_STEP
    reached: int = FIRST_STEP
    notes: Mapping[int, str] = field(default_factory=dict)
    data: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    closure: Closure | None = None

    def __post_init__(self) -> None:
        if self.status not in {s.value for s in ComplaintStatus}:
            raise ComplaintError("complaint.error.bad_status", value=self.status)
        for step in (self.current, self.reached):
            _check_step(step)
        if self.current > self.reached:
            raise ComplaintError("complaint.error.step_ahead", step=self.current, limit=self.reached)
        object.__setattr__(self, "notes", _freeze_notes(self.notes))
        object.__setattr__(self, "data", _freeze_data(self.data))

    @property
    def is_open(self) -> bool:
        return self.status == ComplaintStatus.OPEN.value

    @property
    def is_blank(self) -> bool:
        """Open at step one with no notes and no answers: nothing written in the steps."""
        return self.is_open and self.reached == FIRST_STEP and not self.notes and not self.data

    @property
    def limit(self) -> int:
        """The furthest step that may be opened now: one past the reached step while open."""
        return min(self.reached + 1, LAST_STEP) if self.is_open else self.reached

    @property
    def can_forward(self) -> bool:
        return self.current < self.limit

    @property
    def can_back(self) -> bool:
        return self.current > FIRST_STEP

    def notes_at(self, step: int) -> str:
        return self.notes.get(step, "")

    def field_at(self, step: int, name: str) -> str:
        return self.data.get(step, {}).get(name, "")


def _check_step(step: object) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or step not in STEPS:
        raise ComplaintError("complaint.error.bad_step", step=step, last=LAST_STEP)
    return step


def check_open(state: WizardState) -> None:
    """Refuse any change to a complaint that is closed or withdrawn."""
    if state.status == ComplaintStatus.WITHDRAWN.value:
        raise ComplaintError("complaint.error.withdrawn")
    if not state.is_open:
        raise ComplaintError("complaint.error.closed")


def _check_reachable(state: WizardState, step: object) -> int:
    number = _check_step(step)
    if number > state.limit:
        raise ComplaintError("complaint.error.step_ahead", step=number, limit=state.limit)
    return number


def start() -> WizardState:
    """A new complaint, open at step one with nothing written yet."""
    return WizardState()


def forward(state: WizardState) -> WizardState:
    if state.current >= LAST_STEP:
        raise ComplaintError("complaint.error.no_next_step")
    return goto(state, state.current + 1)


def back(state: WizardState) -> WizardState:
    if state.current <= FIRST_STEP:
        raise ComplaintError("complaint.error.no_previous_step")
    return replace(state, current=state.current - 1)


def goto(state: WizardState, step: int) -> WizardState:
    """Open ``step``: any step already reached, or the next one; never further ahead."""
    number = _check_reachable(state, step)
    return replace(state, current=number, reached=max(state.reached, number))


def edit_notes(state: WizardState, step: int, text: str) -> WizardState:
    """Replace the notes of ``step``; writing at the next step counts as reaching it."""
    check_open(state)
    number = _check_reachable(state, step)
    notes = {**state.notes, number: text}
    return replace(state, notes=notes, reached=max(state.reached, number))


def check_field(step: int, name: str, value: str) -> str:
    """The value to store for one structured field, or a ComplaintError saying why not."""
    number = _check_step(step)
    allowed = STEP_FIELDS.get(number, ())
    if not allowed:
        raise ComplaintError("complaint.error.no_fields", step=number)
    if name not in allowed:
        raise ComplaintError("complaint.error.unknown_field", step=number, field=name, options="/".join(allowed))
    if (number, name) in DATE_FIELDS:
        return _check_iso_date(value)
    return value


def _check_iso_date(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    # A Chinese input method often types full-width digits and dashes: NFKC folds them.
    match = _DAY.match(unicodedata.normalize("NFKC", text))
    try:
        if match is None:
            raise ValueError(text)
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise ComplaintError("complaint.error.bad_deadline", value=text) from None


def set_field(state: WizardState, step: int, name: str, value: str) -> WizardState:
    """Set one structured answer (steps 6-8); an empty value clears it."""
    check_open(state)
    number = _check_reachable(state, step)
    cleaned = check_field(number, name, value)
    data = {s: dict(fields) for s, fields in state.data.items()}
    data.setdefault(number, {})[name] = cleaned
    return replace(state, data=data, reached=max(state.reached, number))


def check_followups(plan: Iterable[tuple[int, str]]) -> tuple[Followup, ...]:
    """The follow-up plan as ``Followup`` values, or a ComplaintError naming the bad entry."""
    checked: list[Followup] = []
    for entry in plan:
        try:
            days, kind = entry
        except (TypeError, ValueError):
            raise ComplaintError("complaint.error.bad_followup_days", value=entry, max=MAX_FOLLOWUP_DAYS) from None
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_FOLLOWUP_DAYS:
            raise ComplaintError("complaint.error.bad_followup_days", value=days, max=MAX_FOLLOWUP_DAYS)
        if kind not in FOLLOWUP_KINDS:
            raise ComplaintError("complaint.error.bad_followup_kind", value=kind, options="/".join(FOLLOWUP_KINDS))
        checked.append(Followup(days, kind))
    if len(checked) > MAX_FOLLOWUPS:
        raise ComplaintError("complaint.error.too_many_followups", max=MAX_FOLLOWUPS)
    return tuple(checked)


def followup_dates(
    closed_on: date,
    plan: Iterable[tuple[int, str]] = DEFAULT_FOLLOWUPS,
    calendar: WorkCalendar = PLAIN_WEEKENDS,
    taken: Collection[date] = (),
) -> list[tuple[date, str]]:
    """The days the follow-ups are booked on, earliest first (ties keep the plan's order).

    Each lands on the first working day on or after its day that holds no other planned
    touch of the customer (``taken``; one per day), the follow-ups of this plan included:
    what the close dialog shows is what closing books.
    """
    checked = sorted(check_followups(plan), key=lambda f: f.days_after)
    busy = set(taken)
    booked: list[tuple[date, str]] = []
    for followup in checked:
        day = next_working_day(closed_on + timedelta(days=followup.days_after), calendar, busy)
        busy.add(day)
        booked.append((day, followup.kind))
    return booked


def close(
    state: WizardState,
    resolution: str,
    satisfaction: int,
    cause: str,
    followups: Iterable[tuple[int, str]] = DEFAULT_FOLLOWUPS,
) -> WizardState:
    """Close an open complaint; may happen at any step once the customer is satisfied."""
    check_open(state)
    text = resolution.strip()
    if not text:
        raise ComplaintError("complaint.error.no_resolution")
    if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or satisfaction not in SATISFACTION_RANGE:
        raise ComplaintError("complaint.error.bad_satisfaction", value=satisfaction)
    causes = [c.value for c in ComplaintCause]
    if cause not in causes:
        raise ComplaintError("complaint.error.bad_cause", value=cause or "", options="/".join(causes))
    plan = check_followups(followups)
    closure = Closure(resolution=text, satisfaction=satisfaction, cause=cause, followups=plan)
    return replace(state, status=ComplaintStatus.CLOSED.value, closure=closure)


def withdraw(state: WizardState) -> WizardState:
    """Withdraw an open complaint (撤销): the customer took it back, or it was opened by
    mistake. Nothing was resolved, so there is no closure: no satisfaction, no cause, no
    follow-ups, and it never counts as handled."""
    check_open(state)
    return replace(state, status=ComplaintStatus.WITHDRAWN.value, closure=None)


def resume(
    status: str,
    reached: int,
    notes: Mapping[int, str],
    data: Mapping[int, Mapping[str, str]],
    *,
    current: int | None = None,
    resolution: str = "",
    satisfaction: int | None = None,
    cause: str | None = None,
) -> WizardState:
    """The state rebuilt from stored values, showing the step reached unless told otherwise.

    A step with something written counts as reached even if the stored step lags behind
    (an import, an older version), so nothing recorded ends up out of reach.
    """
    _check_step(reached)
    written = [s for s, text in notes.items() if text] + [s for s, fields in data.items() if any(fields.values())]
    for step in written:
        _check_step(step)
    furthest = max([reached, *written])
    closure = None
    if status == ComplaintStatus.CLOSED.value and satisfaction is not None and cause is not None:
        closure = Closure(resolution=resolution, satisfaction=satisfaction, cause=cause)
    return WizardState(
        status=status,
        current=furthest if current is None else current,
        reached=furthest,
        notes=notes,
        data=data,
        closure=closure,
    )


# Catalogue keys. Screens ask these helpers rather than spelling keys themselves.


def step_key(step: int, part: str) -> str:
    """``part`` is one of STEP_PARTS: title, why (meaning and reason), say, avoid."""
    if part not in STEP_PARTS:
        raise ValueError(f"unknown step text part: {part}")
    return f"complaint.step.{_check_step(step)}.{part}"


def disc_tip_key(step: int, disc: str | None) -> str | None:
    """The tip for this personality at this step, or None where the type changes nothing."""
    if disc not in {d.value for d in Disc} or _check_step(step) not in DISC_TIP_STEPS:
        return None
    return f"complaint.step.{step}.disc.{disc}"


def field_key(name: str) -> str:
    return f"complaint.field.{name}"


def cause_key(cause: str) -> str:
    return f"complaint.cause.{ComplaintCause(cause).value}"


def satisfaction_key(score: int) -> str:
    if score not in SATISFACTION_RANGE:
        raise ValueError(f"satisfaction out of range: {score}")
    return f"complaint.satisfaction.{score}"


def status_key(status: str) -> str:
    return f"complaint.status.{ComplaintStatus(status).value}"


def text_keys() -> Iterator[str]:
    """Every catalogue key the helpers above can produce."""
    for step in STEPS:
        for part in STEP_PARTS:
            yield step_key(step, part)
        for disc in Disc:
            key = disc_tip_key(step, disc.value)
            if key is not None:
                yield key
    for fields in STEP_FIELDS.values():
        yield from (field_key(name) for name in fields)
    yield from (cause_key(c.value) for c in ComplaintCause)
    yield from (satisfaction_key(score) for score in SATISFACTION_RANGE)
    yield from (status_key(s.value) for s in ComplaintStatus)


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    """One line of the complaint list."""

    id: int
    customer_id: int
    customer_name: str
    opened_on: date
    age_days: int  # open: days since opened; closed: days it took to close
    status: str
    step: int
    summary: str
    cause: str | None
    closed_on: date | None
    satisfaction: int | None
