"""One line of the customer list: what ``kequ search`` prints and the Customers screen shows.

Apart from ``kequ.domain.records`` (which still names it): defining those ten frozen
dataclasses took 10 ms of every ``kequ search``, which needs this one alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One line of the customer list, with what its filters need."""

    id: int
    name: str
    honorific: str
    company: str
    title: str
    city: str
    tier: str
    disc: str | None
    relation_type: str | None
    tags: tuple[str, ...]
    search_keys: str
    last_contact: date | None
    at_risk: bool
    has_due: bool
    phones: tuple[str, ...] = ()
    churned: bool = False  # lost (流失): still listed and found, marked
