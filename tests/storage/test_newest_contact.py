"""The newest contact of each customer and kind (schema step *_newest_contact), kept by triggers.

After every way a contact is written (logged, corrected, deleted, its customer deleted or
merged, a book loaded from JSON, a backup restored, a sync) the table holds exactly what the
GROUP BY over every contact gives; a book from before the step gets it filled; and the agenda
read through it equals the agenda read from the contacts themselves (the SQL before the
step), on the demo book and on a generated book, over several days and windows.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from kequ.domain.agenda import DAYS_AHEAD
from kequ.domain.records import NewCustomer
from kequ.services.contacts import delete_interaction, log_interaction, update_interaction
from kequ.services.customers import add_customer
from kequ.services.deletion import delete_customer
from kequ.services.merging import merge
from kequ.services.restore import backup_to, restore
from kequ.services.sync import sync
from kequ.storage.database import MIGRATIONS_DIR, migrate, open_database
from kequ.storage.fast_reads import agenda as reads
from tests.conftest import DEMO_TODAY
from tests.services.test_sync import Laptop, Server
from tests.storage.older_book import older_book

STEP = int(next(MIGRATIONS_DIR.glob("*_newest_contact.sql")).name[:4])
# What the agenda read before the step: the newest contact looked for among every contact.
OLD_NEWEST = "(SELECT date(max(happened_at), 'localtime') FROM interaction WHERE customer_id = c.id AND kind = ?)"
OLD_LAST_CONTACT = (
    "SELECT customer_id, kind, date(max(happened_at), 'localtime') FROM interaction GROUP BY customer_id, kind"
)
KINDS = ("call", "visit", "message", "gift", "email")


@pytest.fixture(autouse=True)
def _nothing_kept():
    reads.forget_kept()
    yield
    reads.forget_kept()


def kept(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT customer_id, kind, happened_at FROM newest_contact ORDER BY 1, 2").fetchall()
    finally:
        conn.close()


def grouped(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT customer_id, kind, max(happened_at) FROM interaction GROUP BY customer_id, kind ORDER BY 1, 2"
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def assert_kept(path: Path) -> list[tuple[object, ...]]:
    rows = kept(path)
    assert rows == grouped(path)
    return rows


def _agendas(db, days: list[date]) -> list[object]:
    answers = []
    for day in days:
        for until in (None, day + timedelta(days=DAYS_AHEAD)):
            reads.forget_kept()
            answers.append(reads.agenda_and_plan(db, day, until))
            with db.reader() as conn:  # the rules' kinds only, and every kind without them
                answers.append(reads.read_input(conn, day, reads.read_rules(conn)))
                answers.append(reads.read_input(conn, day))
    return answers


def assert_same_agenda_as_before(db, days: list[date], monkeypatch: pytest.MonkeyPatch) -> None:
    new = _agendas(db, days)
    with monkeypatch.context() as patched:
        patched.setattr(reads, "_NEWEST", OLD_NEWEST)
        patched.setattr(reads, "_LAST_CONTACT", OLD_LAST_CONTACT)
        old = _agendas(db, days)
    assert new == old
    assert any(answer[0] for answer in new[::3])  # something was due: the comparison says something


def generated_book(db, seed: int = 7, size: int = 120) -> None:
    """Customers of every tier, some with rhythms of their own (a kind no tier has among
    them), some churned; contacts of several kinds at random times, ties included."""
    rng = random.Random(seed)
    tiers = ("key", "potential", "regular", "temporary")
    ids = [add_customer(db, NewCustomer(name=f"客户{n}", tier=tiers[n % 4])) for n in range(size)]
    conn = sqlite3.connect(db.path)
    rows = []
    for cid in ids:
        for _ in range(rng.randrange(0, 12)):
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 340))
            rows.append((cid, rng.choice(KINDS), f"{day} {rng.randrange(0, 24):02d}:00:00.000000"))
    rows.append(rows[-1])  # two contacts at the same moment
    conn.executemany(
        "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, '', '')", rows
    )
    for cid in ids[::9]:
        conn.execute("INSERT INTO cadence (customer_id, kind, interval_days) VALUES (?, 'message', 20)", (cid,))
        conn.execute("INSERT INTO cadence (customer_id, kind, interval_days) VALUES (?, 'visit', 45)", (cid,))
    conn.execute("UPDATE customer SET churned = 1 WHERE id IN (?, ?)", (ids[3], ids[10]))
    conn.commit()
    conn.close()


# ---------------------------------------------------------------- the agenda, old read vs new


def test_the_demo_book_has_the_same_agenda_as_before(demo_db, monkeypatch: pytest.MonkeyPatch) -> None:
    assert assert_kept(demo_db.path)
    days = [DEMO_TODAY + timedelta(days=ahead) for ahead in (0, 1, 6, 30, 120)]
    assert_same_agenda_as_before(demo_db, days, monkeypatch)


def test_a_generated_book_has_the_same_agenda_as_before(db, monkeypatch: pytest.MonkeyPatch) -> None:
    generated_book(db)
    assert len(assert_kept(db.path)) > 300
    days = [date(2026, 11, 23) + timedelta(days=ahead) for ahead in (0, 2, 7, 40, 90)]
    assert_same_agenda_as_before(db, days, monkeypatch)


# ---------------------------------------------------------------- the schema step


def test_a_book_from_before_the_step_gets_the_table_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = older_book(path, STEP - 1)
    contacts = [
        (1, "call", "2026-03-01 10:00:00.000000"),
        (1, "call", "2026-05-01 10:00:00.000000"),
        (1, "visit", "2026-04-01 10:00:00.000000"),
        (2, "call", "2026-02-01 10:00:00.000000"),
        (2, "call", "2026-02-01 10:00:00.000000"),
    ]
    conn.executemany(
        "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, '', '')", contacts
    )
    conn.commit()
    conn.close()
    assert migrate(path) == STEP - 1
    assert assert_kept(path) == [
        (1, "call", "2026-05-01 10:00:00.000000"),
        (1, "visit", "2026-04-01 10:00:00.000000"),
        (2, "call", "2026-02-01 10:00:00.000000"),
    ]


# ---------------------------------------------------------------- every write path


def test_logging_correcting_and_deleting_contacts_keeps_it(db) -> None:
    wang = add_customer(db, NewCustomer(name="王芳", tier="key"))
    li = add_customer(db, NewCustomer(name="李强"))
    assert kept(db.path) == []
    first = log_interaction(db, wang, "call", date(2026, 11, 1))
    older = log_interaction(db, wang, "call", date(2026, 10, 1))  # older: the newest stays
    assert [row[:2] for row in assert_kept(db.path)] == [(wang, "call")]
    newer = log_interaction(db, wang, "call", date(2026, 11, 20))
    assert assert_kept(db.path)[0][2].startswith("2026-11-20")
    visit = log_interaction(db, wang, "visit", date(2026, 11, 5))
    log_interaction(db, li, "call", date(2026, 11, 2))
    assert len(assert_kept(db.path)) == 3
    # Moved back before the others: the one before is the newest again.
    update_interaction(db, newer, "call", date(2026, 9, 1))
    assert assert_kept(db.path)[0][2].startswith("2026-11-01")
    # Another kind: the call's newest goes back, the message's appears.
    update_interaction(db, first, "message", date(2026, 11, 1))
    rows = assert_kept(db.path)
    assert (wang, "message") in [row[:2] for row in rows]
    assert next(row for row in rows if row[:2] == (wang, "call"))[2].startswith("2026-10-01")
    # The only visit deleted: no row for it; the newest call deleted: the one before.
    delete_interaction(db, visit)
    delete_interaction(db, older)
    rows = assert_kept(db.path)
    assert (wang, "visit") not in [row[:2] for row in rows]
    assert next(row for row in rows if row[:2] == (wang, "call"))[2].startswith("2026-09-01")


def test_a_contact_moved_to_another_customer_by_sql_keeps_it(db) -> None:
    wang = add_customer(db, NewCustomer(name="王芳"))
    li = add_customer(db, NewCustomer(name="李强"))
    moved = log_interaction(db, wang, "call", date(2026, 11, 10))
    log_interaction(db, wang, "call", date(2026, 11, 1))
    log_interaction(db, li, "call", date(2026, 11, 5))
    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE interaction SET customer_id = ? WHERE id = ?", (li, moved))
    conn.commit()
    conn.close()
    rows = assert_kept(db.path)
    assert [row[2][:10] for row in rows] == ["2026-11-01", "2026-11-10"]


def test_deleting_or_merging_a_customer_keeps_it(db) -> None:
    wang = add_customer(db, NewCustomer(name="王芳"))
    li = add_customer(db, NewCustomer(name="李强"))
    zhao = add_customer(db, NewCustomer(name="赵敏"))
    for cid, day in ((wang, 3), (li, 9), (zhao, 6)):
        log_interaction(db, cid, "call", date(2026, 11, day))
        log_interaction(db, cid, "visit", date(2026, 10, day))
    delete_customer(db, zhao)
    assert {row[0] for row in assert_kept(db.path)} == {wang, li}
    merge(db, wang, li)
    rows = assert_kept(db.path)
    assert [row[:2] for row in rows] == [(wang, "call"), (wang, "visit")]
    assert [row[2][:10] for row in rows] == ["2026-11-09", "2026-10-09"]


def test_a_book_loaded_from_json_and_a_restored_backup_keep_it(db, tmp_path: Path) -> None:
    from kequ.exchange.json_book import dump_tables, load_tables

    generated_book(db, seed=3, size=20)
    source = assert_kept(db.path)
    saved = backup_to(db, tmp_path / "saved.db")
    loaded = open_database(str(tmp_path / "loaded.db"))
    load_tables(loaded, dump_tables(db))
    assert assert_kept(loaded.path) == source
    log_interaction(db, 1, "call", date(2026, 11, 30))
    assert assert_kept(db.path) != source
    restore(db.path, saved)
    assert assert_kept(db.path) == source


def test_a_backup_from_before_the_step_is_restored_with_the_table_filled(db, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = older_book(path, STEP - 1)
    conn.execute(
        "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome)"
        " VALUES (2, 'visit', '2026-06-01 09:00:00.000000', '', '')"
    )
    conn.commit()
    conn.close()
    restore(db.path, path)
    assert assert_kept(db.path) == [(2, "visit", "2026-06-01 09:00:00.000000")]


def test_a_sync_between_two_laptops_keeps_it(tmp_path: Path) -> None:
    server = Server()
    a = open_database(str(tmp_path / "a.db"))
    b = open_database(str(tmp_path / "b.db"))
    wang = add_customer(a, NewCustomer(name="王芳"))
    li = add_customer(a, NewCustomer(name="李强"))
    log_interaction(a, wang, "call", date(2026, 11, 20))
    log_interaction(a, wang, "call", date(2026, 11, 2))
    visit = log_interaction(a, li, "visit", date(2026, 11, 8))
    sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    sync(b, Laptop(server, "ann"), server_url="pg://team", user="ann")
    arrived = assert_kept(b.path)
    assert [(row[1], row[2][:10]) for row in arrived] == [("call", "2026-11-20"), ("visit", "2026-11-08")]
    delete_interaction(a, visit)
    sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    sync(b, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert [row[1] for row in assert_kept(b.path)] == ["call"]
    # Handed to another user: the customer leaves b with their contacts, and their rows.
    uid = sqlite3.connect(b.path).execute("SELECT uid FROM customer WHERE name = '王芳'").fetchone()[0]
    server.transfer(uid, "bob")
    sync(b, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert assert_kept(b.path) == []
