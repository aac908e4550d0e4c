"""The laptop's side of sync on real SQLite files: uids, the outbox the triggers fill,
pending changes as the contract's dicts, what the server answered, and applying pulls."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kequ.domain.records import NewCustomer
from kequ.services.contacts import delete_interaction, log_interaction
from kequ.services.customers import add_customer, update_field
from kequ.services.gifts import add_gift
from kequ.services.settings import set_setting
from kequ.storage.database import migrate, open_database
from kequ.storage.sync import local, outbox
from tests.storage.older_book import older_book

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def book(tmp_path: Path, name: str = "a.db"):
    return open_database(str(tmp_path / name))


def recording(db) -> sqlite3.Connection:
    conn = connect(db.path)
    with local.transaction(conn):
        outbox.start_recording(conn)
    return conn


def test_the_upgrade_gives_every_existing_row_its_own_uid(tmp_path: Path) -> None:
    path = tmp_path / "v12.db"
    older_book(path, 12).close()
    assert migrate(path) == 12
    conn = connect(path)
    uids = [row[0] for row in conn.execute("SELECT uid FROM customer ORDER BY id")]
    assert len(uids) == 2 and len(set(uids)) == 2 and all(UUID.match(uid) for uid in uids)
    # Nothing is recorded before the first sync: a book never synced keeps no outbox.
    assert conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE customer SET uid = ? WHERE id = 2", (uids[0],))


def test_rows_written_by_the_app_get_a_uid_and_a_given_uid_is_kept(tmp_path: Path) -> None:
    db = book(tmp_path)
    cid = add_customer(db, NewCustomer(name="王芳"))
    log_interaction(db, cid, "call", date(2026, 11, 20), "谈了报价")
    conn = connect(db.path)
    assert UUID.match(conn.execute("SELECT uid FROM customer").fetchone()[0])
    assert UUID.match(conn.execute("SELECT uid FROM interaction").fetchone()[0])
    conn.execute(
        "INSERT INTO trip (name, cities, start_on, end_on, notes, created_at, uid)"
        " VALUES ('苏州', '[]', '2026-12-01', '2026-12-02', '', '2026-11-23 01:00:00', 'given-uid')"
    )
    assert conn.execute("SELECT uid FROM trip").fetchone()[0] == "given-uid"


def test_the_first_sync_queues_every_row_parents_first_as_contract_dicts(tmp_path: Path) -> None:
    db = book(tmp_path)
    cid = add_customer(db, NewCustomer(name="王芳", phones=("13912345678",), tags=("老客户",)))
    log_interaction(db, cid, "visit", date(2026, 11, 20), "送样品")
    add_gift(db, cid, date(2026, 11, 21), "茶叶", 30000)
    conn = recording(db)
    batch = outbox.pending(conn)
    tables = [change["table"] for change in batch.changes]
    assert tables[:3] == ["customer", "interaction", "gift"]
    customer, contact, gift = batch.changes[:3]
    uid = conn.execute("SELECT uid FROM customer").fetchone()[0]
    assert customer["uid"] == uid and customer["customer_uid"] == uid and customer["op"] == "put"
    assert customer["fields"]["phones"] == ["13912345678"] and customer["fields"]["tags"] == ["老客户"]
    assert customer["fields"]["churned"] is False and "id" not in customer["fields"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", customer["at"])
    assert customer["at"] == customer["fields"]["updated_at"]
    assert contact["customer_uid"] == uid and contact["fields"]["customer_uid"] == uid
    assert "customer_id" not in contact["fields"] and contact["fields"]["touchpoint_uid"] is None
    assert contact["fields"]["happened_at"].endswith("Z") and contact["fields"]["notes"] == "送样品"
    assert gift["fields"]["given_on"] == "2026-11-21" and gift["fields"]["cost_cents"] == 30000
    assert outbox.pending(conn, after=batch.last).changes == []
    # Recording once is enough: a second start queues nothing more.
    with local.transaction(conn):
        assert outbox.start_recording(conn) == 0


def test_a_customer_update_sends_only_the_changed_fields_at_its_updated_at(tmp_path: Path) -> None:
    db = book(tmp_path)
    cid = add_customer(db, NewCustomer(name="王芳"))
    conn = recording(db)
    with local.transaction(conn):
        outbox.settle(conn, outbox.pending(conn), [conn.execute("SELECT uid FROM customer").fetchone()[0]], [])
    assert outbox.waiting(conn) == 0
    update_field(db, cid, "city", "苏州")
    update_field(db, cid, "company", "苏州精密机械")
    (change,) = outbox.pending(conn).changes
    assert set(change["fields"]) == {"city", "company", "search_keys"}
    assert change["fields"]["city"] == "苏州"
    updated = conn.execute("SELECT updated_at FROM customer").fetchone()[0]
    assert change["at"].replace("T", " ").removesuffix("Z") == updated


def test_deleting_a_customer_leaves_tombstones_that_name_it(tmp_path: Path) -> None:
    from kequ.services.deletion import delete_customer

    db = book(tmp_path)
    cid = add_customer(db, NewCustomer(name="王芳"))
    iid = log_interaction(db, cid, "call", date(2026, 11, 20))
    log_interaction(db, cid, "call", date(2026, 11, 21))
    conn = recording(db)
    uid = conn.execute("SELECT uid FROM customer").fetchone()[0]
    with local.transaction(conn):
        outbox.settle(conn, outbox.pending(conn), [r[0] for r in conn.execute("SELECT row_uid FROM sync_outbox")], [])
    delete_interaction(db, iid)
    delete_customer(db, cid)
    changes = outbox.pending(conn).changes
    assert [(c["table"], c["op"]) for c in changes] == [
        ("interaction", "delete"),
        ("interaction", "delete"),
        ("customer", "delete"),
    ]
    assert {c["customer_uid"] for c in changes} == {uid}
    assert conn.execute("SELECT count(*) FROM sync_gone").fetchone()[0] == 0


def test_a_refused_change_stays_with_its_reason_and_conflicts_are_kept(tmp_path: Path) -> None:
    db = book(tmp_path)
    add_customer(db, NewCustomer(name="王芳"))
    add_customer(db, NewCustomer(name="李强"))
    conn = recording(db)
    wang, li = [row[0] for row in conn.execute("SELECT uid FROM customer ORDER BY id")]
    batch = outbox.pending(conn)
    conflict = {"table": "customer", "uid": wang, "field": "city", "mine": "苏州", "theirs": "杭州", "their_at": "x"}
    with local.transaction(conn):
        outbox.settle(conn, batch, [], [(li, "not_yours")], [conflict])
    assert outbox.waiting(conn) == 1
    assert outbox.refused(conn) == [("customer", li, "not_yours", "李强")]
    (kept,) = local.conflicts(conn)
    assert (kept.customer, kept.field, kept.mine, kept.theirs) == ("王芳", "city", "苏州", "杭州")
    # Tried again next time.
    assert [c["uid"] for c in outbox.pending(conn).changes] == [li]


def test_a_put_of_a_row_deleted_since_is_skipped_and_its_tombstone_goes(tmp_path: Path) -> None:
    db = book(tmp_path)
    cid = add_customer(db, NewCustomer(name="王芳"))
    conn = recording(db)
    iid = log_interaction(db, cid, "call", date(2026, 11, 20))
    delete_interaction(db, iid)
    batch = outbox.pending(conn)
    assert [(c["table"], c["op"]) for c in batch.changes] == [("customer", "put"), ("interaction", "delete")]


def copy_to(source: sqlite3.Connection, target: sqlite3.Connection) -> local.Applied:
    batch = outbox.pending(source)
    with local.transaction(target):
        return local.apply(target, batch.changes)


def test_pulled_rows_arrive_with_their_links_and_do_not_go_back_up(tmp_path: Path) -> None:
    a = book(tmp_path, "a.db")
    cid = add_customer(a, NewCustomer(name="王芳", tags=("老客户",)))
    log_interaction(a, cid, "visit", date(2026, 11, 20), "送样品")
    set_setting(a, "festivals", ["spring_festival"])
    b = book(tmp_path, "b.db")
    set_setting(b, "festivals", ["mid_autumn"])
    conn_a, conn_b = recording(a), recording(b)
    with local.transaction(conn_b):
        outbox.settle(
            conn_b, outbox.pending(conn_b), [r[0] for r in conn_b.execute("SELECT row_uid FROM sync_outbox")], []
        )
    applied = copy_to(conn_a, conn_b)
    assert applied.added == 3 and not applied.failed and not applied.waiting_parent
    row = conn_b.execute("SELECT id, name, tags, uid FROM customer").fetchone()
    assert row[1:] == ("王芳", '["老客户"]', conn_a.execute("SELECT uid FROM customer").fetchone()[0])
    assert conn_b.execute("SELECT customer_id, notes FROM interaction").fetchall() == [(row[0], "送样品")]
    # The same key's setting takes the pulled value, not a second row.
    assert conn_b.execute("SELECT key, value FROM setting").fetchall() == [("festivals", '["spring_festival"]')]
    assert outbox.waiting(conn_b) == 0
    # Applying the same changes again (a sync cut short, pulled twice) changes nothing.
    again = copy_to(conn_a, conn_b)
    assert again.added == 0 and conn_b.execute("SELECT count(*) FROM interaction").fetchone()[0] == 1


def test_local_changes_not_yet_pushed_win_over_a_pull_field_by_field(tmp_path: Path) -> None:
    a = book(tmp_path, "a.db")
    cid = add_customer(a, NewCustomer(name="王芳"))
    conn_a = recording(a)
    b = book(tmp_path, "b.db")
    conn_b = recording(b)
    copy_to(conn_a, conn_b)
    bid = conn_b.execute("SELECT id FROM customer").fetchone()[0]
    with local.transaction(conn_a):
        outbox.settle(
            conn_a, outbox.pending(conn_a), [r[0] for r in conn_a.execute("SELECT row_uid FROM sync_outbox")], []
        )
    update_field(a, cid, "city", "杭州")
    update_field(a, cid, "title", "总经理")
    update_field(b, bid, "city", "苏州")  # not yet pushed from b
    applied = copy_to(conn_a, conn_b)
    assert applied.kept_local
    assert conn_b.execute("SELECT city, title FROM customer").fetchone() == ("苏州", "总经理")


def test_contacts_only_append_and_a_tombstone_deletes(tmp_path: Path) -> None:
    a = book(tmp_path, "a.db")
    cid = add_customer(a, NewCustomer(name="王芳"))
    log_interaction(a, cid, "call", date(2026, 11, 20), "第一次")
    conn_a, conn_b = recording(a), recording(book(tmp_path, "b.db"))
    changes = outbox.pending(conn_a).changes
    with local.transaction(conn_b):
        local.apply(conn_b, changes)
    contact = next(c for c in changes if c["table"] == "interaction")
    edited = {**contact, "fields": {**contact["fields"], "notes": "改过"}}
    with local.transaction(conn_b):
        local.apply(conn_b, [edited])
    assert conn_b.execute("SELECT notes FROM interaction").fetchone()[0] == "第一次"
    customer = changes[0]
    tombstone = {"table": "customer", "uid": customer["uid"], "op": "delete", "at": customer["at"]}
    with local.transaction(conn_b):
        assert local.apply(conn_b, [tombstone]).deleted == 1
    assert conn_b.execute("SELECT count(*) FROM interaction").fetchone()[0] == 0


def test_a_row_whose_customer_is_not_here_waits_and_one_the_book_refuses_is_reported(tmp_path: Path) -> None:
    conn = recording(book(tmp_path))
    orphan = {
        "table": "gift",
        "uid": "6f1c2a57-0000-4000-8000-000000000001",
        "op": "put",
        "at": "2026-11-23T01:00:00.000000Z",
        "customer_uid": "6f1c2a57-0000-4000-8000-000000000002",
        "fields": {"customer_uid": "6f1c2a57-0000-4000-8000-000000000002", "given_on": "2026-11-20", "item": "茶"},
    }
    with local.transaction(conn):
        applied = local.apply(conn, [orphan])
    assert applied.waiting_parent == [orphan] and applied.added == 0
    blank = {"table": "trip", "uid": "6f1c2a57-0000-4000-8000-000000000003", "op": "put", "fields": {"name": " "}}
    with local.transaction(conn):
        applied = local.apply(conn, [blank])
    assert [change for change, _ in applied.failed] == [blank]


def test_a_customer_no_longer_visible_leaves_unless_it_has_changes_here(tmp_path: Path) -> None:
    db = book(tmp_path)
    wang = add_customer(db, NewCustomer(name="王芳"))
    log_interaction(db, wang, "call", date(2026, 11, 20))
    li = add_customer(db, NewCustomer(name="李强"))
    add_customer(db, NewCustomer(name="张伟"))
    conn = recording(db)
    with local.transaction(conn):
        outbox.settle(conn, outbox.pending(conn), [r[0] for r in conn.execute("SELECT row_uid FROM sync_outbox")], [])
    log_interaction(db, li, "visit", date(2026, 11, 22), "刚拜访，还没同步")
    zhang_uid = conn.execute("SELECT uid FROM customer WHERE name = '张伟'").fetchone()[0]
    with local.transaction(conn):
        dropped = local.drop_invisible(conn, {zhang_uid})
    assert dropped.removed == ["王芳"] and dropped.kept == ["李强"]
    assert [r[0] for r in conn.execute("SELECT name FROM customer ORDER BY id")] == ["李强", "张伟"]
    assert conn.execute("SELECT count(*) FROM interaction").fetchone()[0] == 1
    # Taking a customer off the laptop is not a deletion to push.
    assert [c["table"] for c in outbox.pending(conn).changes] == ["interaction"]
