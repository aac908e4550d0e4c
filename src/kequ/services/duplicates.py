"""The book's likely duplicates: pairs of customers who look like one person, for
``kequ duplicates`` and the app's Duplicates screen; each pair is one key from merging
(services/merging.py). The pairing itself is kequ.domain.duplicates.likely_pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from kequ.services.merging import ID_CHUNK

if TYPE_CHECKING:
    from kequ.storage.database import Database


class DuplicateSide(NamedTuple):
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


class DuplicatePair(NamedTuple):
    """Two customers who look like one person; ``keep`` is the one with more contacts.
    Named tuples: a large book has tens of thousands of pairs."""

    keep: DuplicateSide
    drop: DuplicateSide
    by: tuple[str, ...]


def likely_duplicates(db: Database) -> list[DuplicatePair]:
    """The book's likely duplicate pairs (``kequ.domain.duplicates.likely_pairs``), surest
    first, each with the customer that has more contacts on the kept side."""
    from kequ.domain.duplicates import collector_paused, likely_pairs

    with db.reader() as conn, collector_paused():
        rows = conn.execute("SELECT id, name, company, wechat, email, honorific, city FROM customer").fetchall()
        # One row a number, unpacked by SQLite rather than by json in Python.
        phones = conn.execute("SELECT c.id, p.value FROM customer c, json_each(c.phones) p").fetchall()
        pairs = likely_pairs(rows, phones)
        contacts = _contact_counts(conn, {cid for pair in pairs for cid in pair[:2]})
        sides = {
            row[0]: DuplicateSide(row[0], row[1], row[5], row[2], row[6], contacts[row[0]])
            for row in rows
            if row[0] in contacts
        }
        return [
            DuplicatePair(sides[b], sides[a], by)
            if sides[b].contacts > sides[a].contacts
            else DuplicatePair(sides[a], sides[b], by)
            for a, b, by in pairs
        ]


def _contact_counts(conn: Any, ids: set[int]) -> dict[int, int]:
    counts = dict.fromkeys(ids, 0)
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_CHUNK):
        chunk = ordered[start : start + ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT customer_id, count(*) FROM interaction WHERE customer_id IN ({marks}) GROUP BY customer_id"
        counts.update(conn.execute(query, chunk))
    return counts
