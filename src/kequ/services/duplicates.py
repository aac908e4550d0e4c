"""The book's likely duplicates: pairs of customers who look like one person, for
``kequ duplicates`` and the app's Duplicates screen; each pair is one key from merging
(services/merging.py). The pairing itself is kequ.domain.duplicates.likely_pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kequ.services.merging import ID_CHUNK

if TYPE_CHECKING:
    from kequ.domain.duplicates import LikelyPair
    from kequ.storage.database import Database


@dataclass(frozen=True, slots=True)
class DuplicateSide:
    id: int
    name: str
    honorific: str
    company: str
    city: str
    contacts: int

    @property
    def display_name(self) -> str:
        from kequ.domain.values import display_name

        return display_name(self.name, self.honorific)


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two customers who look like one person; ``keep`` is the one with more contacts."""

    keep: DuplicateSide
    drop: DuplicateSide
    by: tuple[str, ...]


def likely_duplicates(db: Database) -> list[DuplicatePair]:
    """The book's likely duplicate pairs (``kequ.domain.duplicates.likely_pairs``), surest
    first, each with the customer that has more contacts on the kept side."""
    import json

    from kequ.domain.duplicates import likely_pairs

    with db.reader() as conn:
        rows = conn.execute("SELECT id, name, honorific, company, city, phones, wechat, email FROM customer").fetchall()
        keyed = (
            (cid, name, company, json.loads(phones) if phones != "[]" else (), wechat, email)
            for cid, name, _, company, _, phones, wechat, email in rows
        )
        pairs = likely_pairs(keyed)
        contacts = _contact_counts(conn, {cid for pair in pairs for cid in (pair.first, pair.second)})
    people = {row[0]: row for row in rows if row[0] in contacts}
    return [_pair(pair, people, contacts) for pair in pairs]


def _contact_counts(conn: Any, ids: set[int]) -> dict[int, int]:
    counts = dict.fromkeys(ids, 0)
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_CHUNK):
        chunk = ordered[start : start + ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT customer_id, count(*) FROM interaction WHERE customer_id IN ({marks}) GROUP BY customer_id"
        counts.update(conn.execute(query, chunk))
    return counts


def _pair(pair: LikelyPair, people: dict[int, tuple[Any, ...]], contacts: dict[int, int]) -> DuplicatePair:
    def side(cid: int) -> DuplicateSide:
        _, name, honorific, company, city, *_ = people[cid]
        return DuplicateSide(cid, name, honorific, company, city, contacts[cid])

    first, second = side(pair.first), side(pair.second)
    if second.contacts > first.contacts:
        first, second = second, first
    return DuplicatePair(first, second, pair.by)
