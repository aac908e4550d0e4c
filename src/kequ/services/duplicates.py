"""The book's likely duplicates: pairs of customers who look like one person, for
``kequ duplicates`` and the app's Duplicates screen; each pair is one key from merging
(services/merging.py). The pairing itself is kequ.domain.duplicates.likely_pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from kequ.storage.database import Database


class DuplicateSide(NamedTuple):
    id: int
    name: str
    honorific: str
    company: str
    city: str

    @property
    def display_name(self) -> str:
        from kequ.domain.values import display_name

        return display_name(self.name, self.honorific)


class DuplicatePair(NamedTuple):
    """Two customers who look like one person; ``keep`` is the one added first (the
    merge screen shows each one's contacts, and swaps them with a key). Named tuples: a
    large book has tens of thousands of pairs."""

    keep: DuplicateSide
    drop: DuplicateSide
    by: tuple[str, ...]


def likely_duplicates(db: Database) -> list[DuplicatePair]:
    """The book's likely duplicate pairs (``kequ.domain.duplicates.likely_pairs``), surest
    first, then by id."""
    from kequ.domain.collector import collector_paused
    from kequ.domain.duplicates import likely_pairs

    with db.reader() as conn, collector_paused():
        rows = conn.execute("SELECT id, name, company, wechat, email, honorific, city FROM customer").fetchall()
        # One row a number, unpacked by SQLite rather than by json in Python.
        phones = conn.execute("SELECT c.id, p.value FROM customer c, json_each(c.phones) p").fetchall()
        pairs = likely_pairs(rows, phones)
        paired = {cid for pair in pairs for cid in pair[:2]}
        sides = {row[0]: DuplicateSide(row[0], row[1], row[5], row[2], row[6]) for row in rows if row[0] in paired}
        return [DuplicatePair(sides[a], sides[b], by) for a, b, by in pairs]
