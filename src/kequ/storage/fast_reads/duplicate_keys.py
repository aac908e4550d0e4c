"""What the duplicate keys of every customer are made of, in plain SQL: an import's check
for customers the book already has reads it without loading the ORM."""

from __future__ import annotations

from kequ.storage.database import Database


def key_fields(db: Database) -> tuple[list[tuple[int, str, str, str, str]], list[tuple[int, str]]]:
    """(id, name, company, wechat, email) of every customer, and (id, phone), one a number
    (unpacked by SQLite rather than by json in Python), as ``domain.duplicates.key_index`` takes them."""
    with db.reader() as conn:
        customers = conn.execute("SELECT id, name, company, wechat, email FROM customer").fetchall()
        phones = conn.execute("SELECT c.id, p.value FROM customer c, json_each(c.phones) p").fetchall()
    return customers, phones
