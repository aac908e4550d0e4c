"""Plain values handed from the services to the screens and the command line.

Frozen dataclasses, never live ORM objects: a screen can keep one as long as it likes
without a session, a lazy load or a DetachedInstanceError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: int
    name: str
    honorific: str = ""
    company: str = ""
    title: str = ""
    city: str = ""
    tier: str = "regular"
    disc: str | None = None
    relation_type: str | None = None
    ladder: str | None = None
    phones: tuple[str, ...] = ()
    wechat: str = ""
    email: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    churned: bool = False
    added_on: date | None = None

    @property
    def display_name(self) -> str:
        """称呼 first, as a salesperson says it, with the full name beside it."""
        if self.honorific and self.honorific != self.name:
            return f"{self.honorific}（{self.name}）"
        return self.name


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    id: int
    customer_id: int
    kind: str
    happened_at: datetime
    notes: str = ""
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class NewCustomer:
    """What a form or ``kequ add`` hands in; checked by ``kequ.validation``."""

    name: str
    honorific: str = ""
    company: str = ""
    title: str = ""
    phones: tuple[str, ...] = ()
    wechat: str = ""
    email: str = ""
    city: str = ""
    tier: str = "regular"
    disc: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    notes: str = ""
