"""The customer list and its search in plain SQL, over ``customer_search`` (schema step 10).

One query gives the ids of a search in display order (``ordered_ids``); only the rows of the
page shown are then read in full (``rows``). The table's rows made stale by a write (the
triggers of step 10 set ``weight`` to NULL) are filled first (``refresh``): the keys'
sections come from ``kequ.domain.search.search_columns``, so the order and the matches are
exactly those of ``SearchIndex``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence

from kequ.domain.search import Needles, needles, normalise_query, search_columns

_ORDER = "s.weight DESC, s.collation, s.name, s.id"
# The same order, written so that SQLite sorts the rows it has rather than walking the ordering index.
_UNINDEXED_ORDER = "+s.weight DESC, s.collation, s.name, s.id"
# The filters of the Customers screen, as conditions on the customer row ``c``.
_FILTERS = {
    "tier": "c.tier = ?",
    "disc": "c.disc = ?",
    "relation_type": "c.relation_type = ?",
    "city": "c.city = ?",
    "tag": "EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)",
}
ROW_COLUMNS = "id, name, honorific, company, title, city, tier, disc, relation_type, tags, search_keys, phones, churned"


def has_stale(conn: sqlite3.Connection) -> bool:
    """Whether a write left rows to fill (read along a partial index: no scan)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM customer_search WHERE weight IS NULL)").fetchone()[0] == 1


def refresh(conn: sqlite3.Connection) -> int:
    """Fill the rows that a write left stale, in the caller's transaction; how many there were."""
    stale = conn.execute(
        "SELECT s.id, c.search_keys, c.name, c.tier FROM customer_search s JOIN customer c ON c.id = s.id"
        " WHERE s.weight IS NULL"
    ).fetchall()
    if not stale:
        return 0
    # Here, not at the top: the tiers' rules import the calendars, and ``kequ search`` (which
    # imports this module) should not pay for that when nothing is stale.
    from kequ.domain.agenda.rules import TIER_WEIGHT

    filled = []
    for cid, keys, name, tier in stale:
        cols = search_columns(keys or "", name)
        filled.append(
            (
                TIER_WEIGHT.get(tier, 0),
                cols.collation,
                name,
                cols.latin_named,
                cols.latin_others,
                cols.wide_named,
                cols.wide_others,
                cid,
            )
        )
    conn.executemany(
        "UPDATE customer_search SET weight = ?, collation = ?, name = ?, latin_named = ?, latin_others = ?,"
        " wide_named = ?, wide_others = ? WHERE id = ?",
        filled,
    )
    return len(filled)


def has_index(conn: sqlite3.Connection) -> bool:
    """Whether the book has the trigram index of the search (not where SQLite lacked it)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_search_fts'").fetchone()
    return found is not None


def _filters_sql(
    filters: Mapping[str, str] | None, among: Collection[int] | None
) -> tuple[str, list[str], list[object]]:
    """(the join, conditions and their parameters) of the filters and ``among``."""
    join, where, params = "", [], []
    for field, value in (filters or {}).items():
        join = " JOIN customer c ON c.id = s.id"
        where.append(_FILTERS[field])
        params.append(value)
    if among is not None:
        where.append("s.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(among)))
    return join, where, params


def _where(
    query: str, filters: Mapping[str, str] | None, among: Collection[int] | None
) -> tuple[str, list[object], str, list[object]]:
    """(FROM and WHERE, their parameters, ORDER BY, its parameters) for a search, as one scan."""
    join, where, params = _filters_sql(filters, among)
    order, order_params = _ORDER, []
    q = normalise_query(query)
    if q:
        found = needles(q)
        named, others = _columns(found)
        where.insert(0, f"(instr({named}, ?) > 0 OR instr({others}, ?) > 0)")
        params = [q, q, *params]
        order = f"{_RANK.format(named=named)}, {_ORDER}"
        order_params = [found.exact, found.written_start, found.start, q]
    sql = f"FROM customer_search s{join}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params, order, order_params


_RANK = (
    "CASE WHEN instr({named}, ?) > 0 THEN 0 WHEN instr({named}, ?) > 0 THEN 1"
    " WHEN instr({named}, ?) > 0 THEN 2 WHEN instr({named}, ?) > 0 THEN 3 ELSE 4 END"
)


def _columns(found: Needles) -> tuple[str, str]:
    return ("s.latin_named", "s.latin_others") if found.latin else ("s.wide_named", "s.wide_others")


def ordered_ids(
    conn: sqlite3.Connection,
    query: str = "",
    filters: Mapping[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    among: Collection[int] | None = None,
) -> list[int]:
    """Customer ids matching ``query`` (as typed), the filters and ``among`` (when given),
    best match first; ``limit`` and ``offset`` give one page of them.

    An empty query lists everyone in display order, read along the ordering index. A page
    of a search is read rank by rank (``_ranked``): through the trigram index where the
    book has it, else along the ordering index until the page is full. The rows must be
    fresh (``refresh``).
    """
    q = normalise_query(query)
    if q and limit is not None and has_index(conn):
        return _ranked(conn, q, filters, among, max(limit, 0), max(offset, 0))
    sql, params, order, order_params = _where(query, filters, among)
    sql = f"SELECT s.id {sql} ORDER BY {order}"
    params += order_params
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else max(limit, 0), max(offset, 0)]
    return [row[0] for row in conn.execute(sql, params)]


# A rank's rows are first looked for among this many rows in display order: where one row
# in 20 or more is of the rank, a page of 100 is found there (a millisecond at 100,000).
_WALK = 2000


def _ranked(
    conn: sqlite3.Connection,
    q: str,
    filters: Mapping[str, str] | None,
    among: Collection[int] | None,
    limit: int,
    offset: int,
) -> list[int]:
    """One page of a search through the trigram index.

    A query of three characters and more: the rows holding each of its trigrams, checked
    with instr, ranked and sorted (a few thousand rows at most at 100,000 customers).

    A shorter query makes no trigram, and may match most of the book: its page is read
    rank after rank (see ``kequ.domain.search``), each rank's rows in display order, until
    the page is full. A rank's rows hold its needle in the named column (the query whole
    between a form's start and end, after a written form's start, after any form's start,
    anywhere) and none of the better ranks' needles. Where the needle has three characters
    (the separators around a form count) the index gives the rows that may hold it; the
    start of a form and one character is looked up as the trigrams that begin with it.
    Otherwise (the query inside a name or in the other fields) the list is walked in
    display order: its first ``_WALK`` rows, and all of it only when those do not fill the page.
    """
    found = needles(q)
    named, others = _columns(found)
    join, conditions, params = _filters_sql(filters, among)
    if len(q) >= 3:
        where = " AND ".join([f"(instr({named}, ?) > 0 OR instr({others}, ?) > 0)", *conditions])
        sql = (
            f"SELECT s.id FROM customer_search_fts f CROSS JOIN customer_search s ON s.id = f.rowid{join}"
            f" WHERE customer_search_fts MATCH ? AND {where}"
            f" ORDER BY {_RANK.format(named=named)}, {_UNINDEXED_ORDER} LIMIT ? OFFSET ?"
        )
        args = [_fts_expression(q), q, q, *params, found.exact, found.written_start, found.start, q, limit, offset]
        return [row[0] for row in conn.execute(sql, args)]
    ranks = (
        (found.exact, f"instr({named}, ?) > 0", [found.exact]),
        (found.written_start, f"instr({named}, ?) > 0 AND instr({named}, ?) = 0", [found.written_start, found.exact]),
        (
            found.start,
            f"instr({named}, ?) > 0 AND instr({named}, ?) = 0 AND instr({named}, ?) = 0",
            [found.start, found.written_start, found.exact],
        ),
        (q, f"instr({named}, ?) > 0 AND instr({named}, ?) = 0", [q, found.start]),
        (q, f"instr({others}, ?) > 0 AND instr({named}, ?) = 0", [q, q]),
    )
    want = offset + limit
    ids: list[int] = []
    for needle, condition, condition_params in ranks:
        if len(ids) >= want:
            break
        where = " AND ".join([condition, *conditions])
        args = [*condition_params, *params]
        expression, many = (_fts_expression(needle), False) if len(needle) >= 3 else _starting(conn, needle, found)
        if expression == "":
            continue  # no row holds it
        if expression is not None and many:
            # A form's start that a good part of the book shares (s, z): the list walked in
            # display order, each row looked up among the index's answer, until the page is full.
            sql = (
                f"SELECT s.id FROM customer_search s{join} WHERE s.id IN"
                f" (SELECT rowid FROM customer_search_fts WHERE customer_search_fts MATCH ?) AND {where}"
                f" ORDER BY {_ORDER} LIMIT ?"
            )
            ids += [row[0] for row in conn.execute(sql, [expression, *args, want - len(ids)])]
            continue
        if expression is not None:
            # From the index to the rows, and the few found sorted (not along the ordering
            # index, asking the index about every row).
            sql = (
                f"SELECT s.id FROM customer_search_fts f CROSS JOIN customer_search s ON s.id = f.rowid{join}"
                f" WHERE customer_search_fts MATCH ? AND {where} ORDER BY {_UNINDEXED_ORDER} LIMIT ?"
            )
            ids += [row[0] for row in conn.execute(sql, [expression, *args, want - len(ids)])]
            continue
        first = (
            f"SELECT s.id FROM (SELECT * FROM customer_search ORDER BY weight DESC, collation, name, id LIMIT ?) s"
            f"{join} WHERE {where} ORDER BY {_ORDER} LIMIT ?"
        )
        got = [row[0] for row in conn.execute(first, [_WALK, *args, want - len(ids)])]
        if len(got) < want - len(ids):
            # Too few among the first rows: this rank's rows in the whole table, sorted.
            sql = f"SELECT s.id FROM customer_search s{join} WHERE {where} ORDER BY {_UNINDEXED_ORDER} LIMIT ?"
            got = [row[0] for row in conn.execute(sql, [*args, want - len(ids)])]
        ids += got
    return ids[offset:want]


# The last character there is: a range from a text to the text followed by it holds every
# term that begins with the text.
_LAST = "\U0010ffff"


def _starting(conn: sqlite3.Connection, needle: str, found: Needles) -> tuple[str | None, bool]:
    """For the start of a form and one character: the index query for the rows with any
    trigram that begins with it ("" when there is none), and whether they are many (more
    than ``_MANY``, counted by the vocabulary). None for other short needles."""
    if needle != found.start:
        return None, False
    terms = conn.execute(_VOCAB_DOCS, (needle, needle + _LAST)).fetchall()
    return " OR ".join(_phrase(term) for term, _docs in terms), sum(docs for _term, docs in terms) > _MANY


_VOCAB = "SELECT term FROM customer_search_vocab WHERE term >= ? AND term < ?"
_VOCAB_DOCS = "SELECT term, doc FROM customer_search_vocab WHERE term >= ? AND term < ?"
# Above this many rows a rank's rows are found walking the list in display order (see
# _ranked) rather than sorted.
_MANY = 5000


def _fts_expression(needle: str) -> str:
    """The index query for the rows whose columns may hold ``needle`` (three characters or
    more): each of its trigrams, as the index keeps no positions."""
    grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
    return " AND ".join(_phrase(gram) for gram in grams)


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string (one trigram: the index's terms are trigrams)."""
    return '"' + text.replace('"', '""') + '"'


def count(
    conn: sqlite3.Connection,
    query: str = "",
    filters: Mapping[str, str] | None = None,
    among: Collection[int] | None = None,
) -> int:
    """How many customers ``ordered_ids`` would list without a limit."""
    q = normalise_query(query)
    if len(q) >= 3 and has_index(conn):
        found = needles(q)
        named, others = _columns(found)
        join, conditions, params = _filters_sql(filters, among)
        where = " AND ".join([f"(instr({named}, ?) > 0 OR instr({others}, ?) > 0)", *conditions])
        sql = (
            f"SELECT count(*) FROM customer_search_fts f CROSS JOIN customer_search s ON s.id = f.rowid{join}"
            f" WHERE customer_search_fts MATCH ? AND {where}"
        )
        return conn.execute(sql, [_fts_expression(q), q, q, *params]).fetchone()[0]
    if len(q) == 2 and not filters and among is None and has_index(conn):
        # Every place two characters are written starts a trigram (a separator ends every
        # column), and a query is in a customer's columns of its own script whenever it is in
        # any of them: the rows with any trigram that begins with it are exactly the matches.
        terms = [row[0] for row in conn.execute(_VOCAB, (q, q + _LAST))]
        if not terms:
            return 0
        expression = " OR ".join(_phrase(term) for term in terms)
        sql = "SELECT count(*) FROM customer_search_fts WHERE customer_search_fts MATCH ?"
        return conn.execute(sql, [expression]).fetchone()[0]
    sql, params, _order, _order_params = _where(query, filters, among)
    return conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0]


def rows(conn: sqlite3.Connection, ids: Sequence[int]) -> list[tuple[object, ...]]:
    """The list's columns of these customers (``ROW_COLUMNS``) and their last contact (UTC
    text, or None), in no particular order."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    last = dict(
        conn.execute(
            f"SELECT customer_id, max(happened_at) FROM interaction WHERE customer_id IN ({marks})"
            " GROUP BY customer_id",
            list(ids),
        ).fetchall()
    )
    found = conn.execute(f"SELECT {ROW_COLUMNS} FROM customer WHERE id IN ({marks})", list(ids)).fetchall()
    return [(*row, last.get(row[0])) for row in found]


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """How many customers the book holds, and how many of them are lost."""
    total, lost = conn.execute("SELECT count(*), coalesce(sum(churned <> 0), 0) FROM customer").fetchone()
    return total, lost


def value_counts(conn: sqlite3.Connection, fields: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per filter field, how many customers hold each value (tags: each tag)."""
    out: dict[str, dict[str, int]] = {}
    for field in fields:
        if field == "tag":
            sql = "SELECT j.value, count(*) FROM customer c, json_each(c.tags) j GROUP BY j.value"
        else:
            sql = f"SELECT {_column(field)}, count(*) FROM customer GROUP BY {_column(field)}"
        out[field] = {value: n for value, n in conn.execute(sql) if value is not None}
    return out


def _column(field: str) -> str:
    if field not in ("tier", "disc", "relation_type", "city"):
        raise ValueError(field)
    return field
