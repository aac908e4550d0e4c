"""Notes search in plain SQL: FTS5's trigram index for words of three characters and more,
its vocabulary for words of two.

The trigram tokenizer indexes every run of three characters, so a word of three or more is
a phrase of its trigrams: exactly the texts holding it. A two-character word makes no
trigram of its own; but every place it occurs starts one (each text is indexed with a space
after it, schema step 7), so the texts holding it are those with any trigram that begins
with it: ``note_vocab`` lists them in order, found by range, and the query asks for any of
them. No scan of the texts either way, and no false hit.

Where this SQLite has no trigram tokenizer the book has no index (kequ.storage.database):
the texts are then read one by one (``instr``), slower but the same hits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from kequ.domain.notes import NoteHit, phrase

# The last character there is: a range from a word to the word followed by it holds
# every term that begins with the word.
_LAST = "\U0010ffff"
# Per source: (record id, customer id, local day, contact kind, complaint step) of some ids.
_DETAILS = {
    "customer": "SELECT id, id, date(updated_at, 'localtime'), NULL, NULL FROM customer WHERE id IN ({})",
    "interaction": (
        "SELECT id, customer_id, date(happened_at, 'localtime'), kind, NULL FROM interaction WHERE id IN ({})"
    ),
    "complaint": "SELECT id, customer_id, date(opened_at, 'localtime'), NULL, NULL FROM complaint WHERE id IN ({})",
    "complaint_step": (
        "SELECT s.id, c.customer_id, date(s.updated_at, 'localtime'), NULL, s.step"
        " FROM complaint_step s JOIN complaint c ON c.id = s.complaint_id WHERE s.id IN ({})"
    ),
    "visit": "SELECT id, customer_id, day, NULL, NULL FROM trip_visit WHERE id IN ({})",
    "deal": "SELECT id, customer_id, closed_on, NULL, NULL FROM deal WHERE id IN ({})",
}


def has_index(conn: sqlite3.Connection) -> bool:
    """Whether the book has the trigram index (not where SQLite lacked the tokenizer)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'note_fts'").fetchone()
    return found is not None


def match_expression(conn: sqlite3.Connection, terms: list[str]) -> str | None:
    """The FTS5 query for texts holding every term; None when a two-character term occurs
    nowhere (so nothing can match)."""
    parts = []
    for term in terms:
        if len(term) >= 3:
            parts.append(phrase(term))
            continue
        starts = [row[0] for row in conn.execute(_VOCAB, (term, term + _LAST))]
        if not starts:
            return None
        parts.append("(" + " OR ".join(phrase(start) for start in starts) + ")")
    return " AND ".join(parts)


_VOCAB = "SELECT term FROM note_vocab WHERE term >= ? AND term < ?"


def matching_notes(conn: sqlite3.Connection, terms: list[str], limit: int) -> list[tuple[int, str, int, str]]:
    """(note id, source, record id, text) of the newest ``limit`` texts holding every term."""
    if has_index(conn):
        expression = match_expression(conn, terms)
        if expression is None:
            return []
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (expression, limit)
            )
        ]
        marks = ", ".join("?" * len(ids))
        found = conn.execute(f"SELECT id, source, ref_id, body FROM note_text WHERE id IN ({marks})", ids).fetchall()
        return sorted(found, reverse=True)
    # No index: every text read. lower() folds the letters A-Z as the index would.
    where = " AND ".join("instr(lower(body), ?) > 0" for _ in terms)
    return conn.execute(
        f"SELECT id, source, ref_id, body FROM note_text WHERE {where} ORDER BY id DESC LIMIT ?", (*terms, limit)
    ).fetchall()


def _by_source(rows: Iterable[tuple[int, str, int, str]]) -> dict[str, list[int]]:
    wanted: dict[str, list[int]] = {}
    for _note, source, ref, _body in rows:
        wanted.setdefault(source, []).append(ref)
    return wanted


def search_notes(conn: sqlite3.Connection, terms: list[str], limit: int = 50) -> list[NoteHit]:
    """The newest texts holding every term (newest written first), with who and when."""
    rows = matching_notes(conn, terms, limit)
    details: dict[tuple[str, int], tuple[int, str | None, str | None, int | None]] = {}
    for source, refs in _by_source(rows).items():
        sql = _DETAILS.get(source)
        if sql is None:
            continue
        for ref, customer_id, day, kind, step in conn.execute(sql.format(", ".join("?" * len(refs))), refs):
            details[source, ref] = (customer_id, day, kind, step)
    customer_ids = sorted({found[0] for found in details.values()})
    names = {
        cid: (name, honorific)
        for cid, name, honorific in conn.execute(
            f"SELECT id, name, honorific FROM customer WHERE id IN ({', '.join('?' * len(customer_ids))})",
            customer_ids,
        )
    }
    hits = []
    for note_id, source, ref, body in rows:
        found = details.get((source, ref))
        if found is None or found[0] not in names:
            continue
        customer_id, day, kind, step = found
        name, honorific = names[customer_id]
        when = date.fromisoformat(str(day)[:10]) if day else None
        hits.append(NoteHit(note_id, source, ref, customer_id, name, honorific, when, body, kind, step))
    return hits
