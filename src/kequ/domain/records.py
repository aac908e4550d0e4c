"""Plain values handed from the services to the screens and the command line.

Frozen dataclasses, never live ORM objects: a screen can keep one as long as it likes
without a session, a lazy load or a DetachedInstanceError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kequ.domain.customer_row import CustomerRow as CustomerRow  # where it was first defined
from kequ.domain.values import Named


@dataclass(frozen=True, slots=True)
class CustomerRecord(Named):
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
    gender: str | None = None  # as stored: None when not said (kequ.domain.gender guesses)
    # When the row was last changed: an edit started from this version is refused if the
    # row has changed since (another window, another command).
    version: datetime | None = None


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
    """What a form or ``kequ add`` hands in; checked by ``kequ.domain.validation``."""

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
    # An imported address book holds customers already won; the new-customer form says prospect.
    stage: str = "existing"
    gender: str | None = None  # "female", "male" or not said (女/男/f/m are accepted and cleaned)


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    """Everything the profile shows and edits about one customer."""

    base: CustomerRecord
    company_role: str | None = None
    stage: str = "existing"
    district: str = ""
    address: str = ""
    ford_family: str = ""
    ford_occupation: str = ""
    ford_recreation: str = ""
    ford_dreams: str = ""
    interests: str = ""
    source: str = ""
    churn_reason: str = ""  # a ChurnReason value while lost (流失); older books may hold free text
    churn_note: str = ""
    churned_on: date | None = None


@dataclass(frozen=True, slots=True)
class DateView:
    id: int
    kind: str
    label: str
    month: int
    day: int
    lunar: bool
    leap: bool
    year: int | None
    lead_days: int
    next_on: date | None  # the next occurrence from today; a life event's own day, even if past


@dataclass(frozen=True, slots=True)
class GiftRecord:
    id: int
    given_on: date
    item: str
    cost_cents: int | None
    occasion: str
    reaction: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    id: int
    opened_on: date
    status: str
    step: int
    summary: str
    cause: str | None


@dataclass(frozen=True, slots=True)
class Colleague:
    id: int
    name: str
    honorific: str
    title: str
    company_role: str | None


@dataclass(frozen=True, slots=True)
class ProfileView:
    detail: CustomerDetail
    timeline: tuple[InteractionRecord, ...]
    contacts_per_month: tuple[int, ...]  # the last 12 months, oldest first
    dates: tuple[DateView, ...]
    gifts: tuple[GiftRecord, ...]
    complaints: tuple[ComplaintSummary, ...]
    colleagues: tuple[Colleague, ...]
    interaction_count: int
    book_gift_cents_this_year: int = 0
