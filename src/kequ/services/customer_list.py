"""The customer list: every customer with what the filters and the search need.

Imported by ``kequ search``: the agenda (and SQLAlchemy with it) is imported only where the
marks are worked out, so a search starts as fast as the command line itself.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kequ.domain.customer_row import CustomerRow
from kequ.storage.database import Database


def search_customers(db: Database, query: str, limit: int | None = None) -> list[CustomerRow]:
    """The command line's search: the same query and ranking as the Customers screen, and
    only the rows found are read (at risk and owed are not worked out: it does not show them)."""
    from kequ.storage.fast_reads import customers as reads

    _fresh(db)
    with db.reader() as conn:
        ids = reads.ordered_ids(conn, query, None, limit)
        found = _rows_in(conn, ids, None)
    return [found[i] for i in ids if i in found]


# ----------------------------------------------------------------- the list, read a page at a time


@dataclass(frozen=True)
class Flags:
    """Who is owed a touch and who is at risk: the agenda of the whole book, read apart
    because at 100,000 customers it takes a second, and the first page must not wait."""

    owed: frozenset[int]
    risky: frozenset[int]

    def __repr__(self) -> str:
        # Short: Textual names a worker by the repr of its arguments, on the UI thread at every
        # keystroke, and a set of 100,000 ids took 40 ms to write out.
        return f"Flags(owed={len(self.owed)}, risky={len(self.risky)})"


def _fresh(db: Database) -> None:
    """Fill the search rows that writes left stale (all of them once, after the upgrade)."""
    from kequ.storage.fast_reads import customers as reads

    with db.reader() as conn:
        stale = reads.has_stale(conn)
    if stale:
        with db.session() as session:
            reads.refresh(session.connection().connection.driver_connection)


def find_ids(
    db: Database,
    query: str = "",
    filters: Mapping[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    among: Collection[int] | None = None,
) -> list[int]:
    """Ids of the customers matching ``query``, the filters and ``among`` (when given), in the
    Customers screen's order (the ranking of ``kequ.domain.search``): one query on the stored
    search columns; ``limit`` and ``offset`` for one page."""
    from kequ.storage.fast_reads import customers as reads

    _fresh(db)
    with db.reader() as conn:
        return reads.ordered_ids(conn, query, filters, limit, offset, among)


def find_page(
    db: Database,
    query: str,
    filters: Mapping[str, str] | None,
    among: Collection[int] | None,
    page: int,
    size: int,
) -> tuple[list[int], int]:
    """One page of ``find_ids`` and how many there are in all (a COUNT, not the whole list)."""
    _fresh(db)
    with db.reader() as conn:
        ids, total, _rows = _page_in(conn, query, filters, among, page, size, None, with_rows=False)
    assert total is not None
    return ids, total


class Searcher:
    """The Customers search's own reader, kept open while the screen lives: each keystroke's
    query then finds the pages it read for the last one in SQLite's cache (a fresh connection
    read customer_search and its index again from the file: three times the CPU at 100,000
    customers). One search at a time on it: a worker whose keystroke was overtaken finishes
    its statement before the next one starts."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def page(
        self,
        query: str,
        filters: Mapping[str, str] | None,
        among: Collection[int] | None,
        page: int,
        size: int,
        flags: Flags | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        counted: bool = True,
    ) -> tuple[list[int], int | None, dict[int, CustomerRow]]:
        """``find_page`` and the page's rows (``rows_by_id``), through the kept connection;
        nothing (no ids, 0) when ``cancelled()`` holds once the connection is free. Not
        ``counted``, how many there are in all is None where it takes a COUNT (``count``)."""
        from kequ.storage.fast_reads import customers as reads

        with self._lock:
            if cancelled():
                return [], 0, {}
            conn = self._connection()
            if reads.has_stale(conn):
                _fresh(self.db)
            return _page_in(conn, query, filters, among, page, size, flags, with_rows=True, counted=counted)

    def count(
        self,
        query: str,
        filters: Mapping[str, str] | None,
        among: Collection[int] | None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> int | None:
        """How many customers ``page`` would list on all its pages, through the kept
        connection; None when ``cancelled()`` holds once the connection is free."""
        from kequ.storage.fast_reads import customers as reads

        with self._lock:
            if cancelled():
                return None
            return reads.count(self._connection(), query, filters, among)

    def counts(self) -> tuple[int, int]:
        """``book_counts`` through the kept connection."""
        from kequ.storage.fast_reads import customers as reads

        with self._lock:
            return reads.counts(self._connection())

    def health(self, today: date, ids: Sequence[int]) -> dict[int, int]:
        """The health scores of these customers (``services.review.health_scores``) through
        the kept connection: a new one for each page's scores cost more than the scores."""
        from kequ.domain.review.health import score
        from kequ.storage.fast_reads import review as read
        from kequ.storage.fast_reads.agenda import read_rules

        if not ids:
            return {}
        with self._lock:
            conn = self._connection()
            rules = read_rules(conn)
            histories = read.histories_of(conn, rules, today, ids)
        return {history.customer_id: score(history, today).score for history in histories}

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self.db.kept_reader()
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _page_in(
    conn: sqlite3.Connection,
    query: str,
    filters: Mapping[str, str] | None,
    among: Collection[int] | None,
    page: int,
    size: int,
    flags: Flags | None,
    with_rows: bool,
    counted: bool = True,
) -> tuple[list[int], int | None, dict[int, CustomerRow]]:
    from kequ.storage.fast_reads import customers as reads

    ids = reads.ordered_ids(conn, query, filters, size, page * size, among)
    total: int | None = None
    if len(ids) < size and (ids or page == 0):
        total = page * size + len(ids)  # the last page: the count needs no second pass
    elif counted:
        total = reads.count(conn, query, filters, among)
    return ids, total, _rows_in(conn, ids, flags) if with_rows else {}


def rows_by_id(db: Database, ids: Sequence[int], flags: Flags | None = None) -> dict[int, CustomerRow]:
    """The list rows of these customers only; at risk and owed from ``flags`` when known."""
    with db.reader() as conn:
        return _rows_in(conn, ids, flags)


def _rows_in(conn: sqlite3.Connection, ids: Sequence[int], flags: Flags | None) -> dict[int, CustomerRow]:
    from kequ.storage.fast_reads import customers as reads

    found = reads.rows(conn, ids)
    owed = flags.owed if flags else frozenset()
    risky = flags.risky if flags else frozenset()
    return {
        cid: CustomerRow(
            id=cid,
            name=name,
            honorific=honorific,
            company=company,
            title=title,
            city=city,
            tier=tier,
            disc=disc,
            relation_type=relation,
            tags=tuple(json.loads(tags) if tags else ()),
            search_keys=keys,
            last_contact=_utc(last).astimezone().date() if last else None,
            at_risk=cid in risky,
            has_due=cid in owed,
            phones=tuple(json.loads(phones) if phones else ()),
            churned=bool(churned),
        )
        for cid, name, honorific, company, title, city, tier, disc, relation, tags, keys, phones, churned, last in found
    }


def _utc(text: str) -> datetime:
    """A stored timestamp (naive UTC text, as the models write it) as an aware datetime."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def book_counts(db: Database) -> tuple[int, int]:
    """How many customers, and how many of them are lost."""
    from kequ.storage.fast_reads import customers as reads

    with db.reader() as conn:
        return reads.counts(conn)


def filter_counts(db: Database, fields: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per filter, how many customers hold each value, most first."""
    from kequ.storage.fast_reads import customers as reads

    with db.reader() as conn:
        found = reads.value_counts(conn, fields)
    return {field: dict(sorted(values.items(), key=lambda kv: -kv[1])) for field, values in found.items()}


def customer_flags(db: Database, today: date | None = None) -> Flags:
    """Owed and at risk, from the agenda of the whole book as Today reads it (the user's
    holiday files and first touches included): the ⚠ and the check boxes of the list.

    Read from Today's window, cut at today: the agenda Today has just read (kept while the
    book is unchanged) answers at once instead of a second read of the whole book.
    """
    from kequ.storage import clock
    from kequ.storage.fast_reads.agenda import owed_today

    owed = owed_today(db, today or clock.today())
    return Flags(
        owed=frozenset(item.customer_id for item in owed),
        risky=frozenset(item.customer_id for item in owed if item.at_risk),
    )


def customer_rows(db: Database, today: date | None = None) -> list[CustomerRow]:
    """Every customer's list row, in the list's order, with the agenda's marks: the whole
    book at once (the Customers screen reads a page at a time instead)."""
    ids = find_ids(db)
    found = rows_by_id(db, ids, customer_flags(db, today))
    return [found[i] for i in ids]
