"""What one captured line was read as: who, what happened, what comes next and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Unread:
    """Something the line says that kequ did not turn into a record: an i18n key and its words."""

    key: str  # under capture.problem.
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Capture:
    """A line read. A field with several values (``customers``, ``next_days``, ``next_times``)
    is a question: the line can mean each of them, and kequ asks rather than picks."""

    text: str  # the line as typed: saved as the note, whole, so nothing misread is lost
    said_on: date
    customers: tuple[int, ...] = ()  # one: the customer; several: ask which
    customer_said: str = ""  # the words that named them ("王总", "wz")
    given: int | None = None  # the customer implied (a profile's); the line naming others asks
    logged_kind: str | None = None  # the contact that happened; None: only a note
    logged_on: date | None = None
    next_kind: str | None = None  # the next step's kind, when the line plans one
    next_days: tuple[date, ...] = ()  # one: the day; several: ask which
    next_said: str = ""  # the words that gave the day ("下周三")
    next_times: tuple[str, ...] = ()  # "HH:MM"; several: ask which
    next_default_kind: bool = False  # no medium was named: a call, as 联系/跟进 are
    unread: tuple[Unread, ...] = ()

    @property
    def customer_id(self) -> int | None:
        return self.customers[0] if len(self.customers) == 1 else None

    @property
    def next_day(self) -> date | None:
        return self.next_days[0] if len(self.next_days) == 1 else None

    @property
    def next_time(self) -> str | None:
        return self.next_times[0] if len(self.next_times) == 1 else None

    @property
    def note(self) -> str:
        return self.text.strip()

    @property
    def has_next(self) -> bool:
        return self.next_kind is not None and bool(self.next_days)

    @property
    def open_questions(self) -> list[str]:
        """What must be chosen before saving: "customer", "day", "time"."""
        asks = []
        if len(self.customers) > 1:
            asks.append("customer")
        if self.next_kind is not None and len(self.next_days) > 1:
            asks.append("day")
        if self.has_next and len(self.next_times) > 1:
            asks.append("time")
        return asks

    def as_json(self) -> dict[str, object]:
        """The shape ``kequ note --json`` prints (after every question is answered)."""
        logged = None
        if self.logged_kind is not None and self.logged_on is not None:
            logged = {"kind": self.logged_kind, "date": self.logged_on.isoformat()}
        upcoming = None
        if self.next_kind is not None and self.next_day is not None:
            upcoming = {"kind": self.next_kind, "date": self.next_day.isoformat(), "time": self.next_time}
        return {"customer_id": self.customer_id, "logged": logged, "next": upcoming, "note": self.note}
