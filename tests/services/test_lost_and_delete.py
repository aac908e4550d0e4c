"""Lost customers and deleting one, against a real SQLite file: what leaves the work lists,
what search still finds, and that a deletion takes every row of theirs and nobody else's."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from kequ.domain.records import GiftRecord, NewCustomer
from kequ.services.agenda import agenda
from kequ.services.complaints import open_or_resume, save_notes
from kequ.services.contacts import log_interaction, record_deal
from kequ.services.customer_list import customer_rows, search_customers
from kequ.services.customers import add_customer, add_date
from kequ.services.deletion import OWNED, delete_customer, owned_rows, what_goes
from kequ.services.gifts import add_gift, delete_gift, gifts_of, update_gift
from kequ.services.greetings import greet_list, upcoming_festivals
from kequ.services.lost import mark_lost, reason_of, win_back
from kequ.services.merging import customer_references
from kequ.services.profile import load_profile
from kequ.services.trips import add_visit, candidates, plan_trip, write_up
from kequ.storage.backups import list_backups
from tests.conftest import DEMO_TODAY
from tests.helpers import refused, stored

TODAY = DEMO_TODAY  # 2026-11-23


@pytest.fixture
def two(db) -> tuple[int, int]:
    """王总 and 李姐: key customers in 苏州, 王总's birthday in three days."""
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总", company="恒瑞机械", city="苏州", tier="key"))
    li = add_customer(db, NewCustomer(name="李娜", honorific="李姐", company="华星科技", city="苏州", tier="key"))
    add_date(db, wang, "1975-11-26", lunar=False)
    return wang, li


def _ids(items: list) -> set[int]:
    return {getattr(i, "customer_id", getattr(i, "id", None)) for i in items}


# ------------------------------------------------------------------ lost


@pytest.mark.parametrize(
    ("typed", "key"),
    [("价格", "price"), ("price", "price"), ("换了供应商", "supplier"), ("倒闭/转行", "closed"), ("倒闭", "closed"),
     ("联系不上", "unreachable"), ("Cannot be reached", "unreachable"), ("其他", "other"), (" ＰＲＩＣＥ ", "price")],
)  # fmt: skip
def test_a_reason_is_read_from_its_label_in_either_language_or_its_key(typed: str, key: str) -> None:
    assert reason_of(typed) == key


def test_an_unknown_reason_is_refused_with_the_choices() -> None:
    error = refused("lost.bad_reason", reason_of, "便宜")
    assert "价格" in error.message() and "unreachable" in error.message()


def test_a_lost_customer_leaves_today_reminders_greetings_and_trips_and_comes_back_in_one_step(db, two) -> None:
    wang, li = two
    window = TODAY + timedelta(days=7)
    trip = plan_trip(db, "", ["苏州"], TODAY, TODAY + timedelta(days=2))
    before = agenda(db, TODAY, window)
    # 王总 is due (a first call, his birthday in three days), and so is 李姐.
    assert wang in _ids(before) and li in _ids(before)
    assert any(i.customer_id == wang and i.source_key.startswith("date:") for i in before)
    assert _ids(greet_list(db, "spring_festival", 2027, TODAY)) >= {wang, li}
    assert {wang, li} <= _ids(candidates(db, trip, TODAY))
    festivals_before = {f.key: f.total for f in upcoming_festivals(db, TODAY, days=120)}

    record = mark_lost(db, wang, "price", "去了本地的供应商")
    assert record.churned

    after = agenda(db, TODAY, window)
    assert wang not in _ids(after) and li in _ids(after)
    assert wang not in _ids(greet_list(db, "spring_festival", 2027, TODAY))
    assert li in _ids(greet_list(db, "spring_festival", 2027, TODAY))
    assert wang not in _ids(candidates(db, trip, TODAY)) and li in _ids(candidates(db, trip, TODAY))
    festivals_after = {f.key: f.total for f in upcoming_festivals(db, TODAY, days=120)}
    assert festivals_after["spring_festival"] == festivals_before["spring_festival"] - 1

    # Still in the book: found by search (pinyin initials too), listed and counted, marked.
    assert [r.id for r in search_customers(db, "wz")] == [wang]
    assert [(r.id, r.churned) for r in search_customers(db, "王建国")] == [(wang, True)]
    rows = {r.id: r for r in customer_rows(db, TODAY)}
    assert len(rows) == 2 and rows[wang].churned and not rows[li].churned
    assert not rows[wang].has_due
    detail = load_profile(db, wang, TODAY).detail
    assert (detail.churn_reason, detail.churn_note, detail.churned_on) == ("price", "去了本地的供应商", TODAY)

    back = win_back(db, wang)
    assert not back.churned
    assert wang in _ids(agenda(db, TODAY, window))
    assert wang in _ids(greet_list(db, "spring_festival", 2027, TODAY))
    assert wang in _ids(candidates(db, trip, TODAY))
    assert stored(db.path, "SELECT churned, churn_reason, churn_note, churned_on FROM customer WHERE id = ?", wang) == [
        (0, "", "", None)
    ]


def test_marking_again_corrects_the_reason_and_note_and_keeps_the_day_it_happened(db, two) -> None:
    wang, _li = two
    first = TODAY - timedelta(days=10)
    mark_lost(db, wang, "unreachable", "电话停机", day=first)
    mark_lost(db, wang, "closed", "工厂关了")
    assert stored(db.path, "SELECT churn_reason, churn_note, churned_on FROM customer WHERE id = ?", wang) == [
        ("closed", "工厂关了", first.isoformat())
    ]


def test_losing_or_winning_back_a_customer_who_is_not_there_is_refused(db) -> None:
    refused("customer.no_id", mark_lost, db, 404, "price")
    refused("customer.no_id", win_back, db, 404)


# ------------------------------------------------------------------ delete


def _everything_for(db, cid: int, trip: int, day: date) -> None:
    """One row of every kind a customer can own, through the use cases where there is one."""
    log_interaction(db, cid, "call", day - timedelta(days=3), "聊了报价")
    add_date(db, cid, "1980-03-08", lunar=False)
    add_gift(db, cid, day - timedelta(days=60), "西湖龙井", 36000, "中秋")
    record_deal(db, cid, day - timedelta(days=5), 1280000, "框架协议")
    # A complaint is stored with the first thing written to it.
    save_notes(db, open_or_resume(db, cid, day).ref, 1, "客户很生气，先听完")
    visit = add_visit(db, trip, cid, day - timedelta(days=1))
    # A write-up logs the visit (an interaction the visit points at) and plans a touch.
    write_up(db, visit, "准备扩产", "", "", "发报价", day + timedelta(days=3), "call", today=day)
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute(
            "INSERT INTO cadence (customer_id, tier, kind, interval_days) VALUES (?, NULL, 'call', 14)", (cid,)
        )
    conn.close()


def _table_counts(db) -> dict[str, int]:
    conn = sqlite3.connect(db.path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # The notes index (note_*) is derived from the rows counted here; the test checks
        # what it holds by what it finds.
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in tables
            if not name.startswith("note_")
        }
    finally:
        conn.close()


def test_deleting_a_customer_removes_every_row_of_theirs_and_nothing_else_after_a_backup(db, two) -> None:
    wang, li = two
    trip = plan_trip(db, "", ["苏州"], TODAY - timedelta(days=2), TODAY + timedelta(days=2))
    for cid in (wang, li):
        _everything_for(db, cid, trip, TODAY)
    referred = add_customer(db, NewCustomer(name="赵敏", honorific="赵总"))
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute("UPDATE customer SET referrer_id = ? WHERE id = ?", (wang, referred))
    conn.close()

    owned = owned_rows(db, wang)
    # Every table a customer's rows live in holds some of 王总's (his birthday makes two dates).
    assert owned == {
        "interaction": 2, "important_date": 2, "gift": 1, "deal": 1, "complaint": 1,
        "touchpoint": 1, "cadence": 1, "trip_visit": 1,
    }  # fmt: skip
    assert what_goes(owned).startswith("2 条联系记录、2 个日期、1 份礼品")
    before = _table_counts(db)
    # Each of those tables holds exactly the same for 李姐 (less his birthday), so the count
    # of every table after is the count before less 王总's rows and nothing else.
    assert before["complaint_step"] == 2 and before["trip"] == 1

    backup = delete_customer(db, wang)

    after = _table_counts(db)
    expected = dict(before)
    for table, n in owned.items():
        expected[table] -= n
    expected["customer"] -= 1
    expected["complaint_step"] -= 1  # his complaint's step went with the complaint
    expected["customer_search"] -= 1  # and his search row with him (schema step 10's trigger)
    expected["newest_contact"] -= 2  # and his newest call and visit (schema step 15's triggers)
    for indexed in ("customer_search_fts", "customer_search_fts_docsize"):
        if indexed in expected:  # and that row's entry in its trigram index, where SQLite has one
            expected[indexed] -= 1
    assert after == expected
    assert stored(db.path, "SELECT count(*) FROM customer WHERE id = ?", wang) == [(0,)]
    for table in owned:
        assert stored(db.path, f"SELECT count(*) FROM {table} WHERE customer_id = ?", wang) == [(0,)]
    assert owned_rows(db, li) == {**owned, "important_date": 1}
    # His words left the notes index with him; hers are still found.
    assert stored(db.path, "SELECT count(*) FROM note_text WHERE body LIKE '%聊了报价%'") == [(1,)]
    # Who he referred is still there, without a referrer; the trip stays for 李姐's visit.
    assert stored(db.path, "SELECT name, referrer_id FROM customer WHERE id = ?", referred) == [("赵敏", None)]
    assert stored(db.path, "SELECT count(*) FROM trip") == [(1,)]

    # The backup was taken before: it holds 王总 and every row of his.
    assert backup.is_file() and backup in list_backups(db.path) and "before-delete" in backup.name
    old = sqlite3.connect(backup)
    try:
        assert old.execute("SELECT name FROM customer WHERE id = ?", (wang,)).fetchall() == [("王建国",)]
        assert old.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (wang,)).fetchone() == (2,)
        assert {name: old.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in before} == before
    finally:
        old.close()


def test_what_a_deletion_counts_is_every_table_that_refers_to_a_customer() -> None:
    """OWNED is written out (for the order its words are said in); the models' foreign keys,
    which merging walks, are the truth: a table added later must be counted here too.
    Customers they referred are not theirs: they stay, without the referrer."""
    referring = {table for table, _column in customer_references()}
    assert set(OWNED) == referring - {"customer"}
    assert "customer" in referring


def test_deleting_a_customer_who_is_not_there_takes_no_backup(db) -> None:
    refused("customer.no_id", delete_customer, db, 404)
    assert [p for p in list_backups(db.path) if "before-delete" in p.name] == []


def test_without_a_backup_nothing_is_deleted(db, two, monkeypatch: pytest.MonkeyPatch) -> None:
    import kequ.storage.backups

    wang, _li = two

    def full_disk(path: Path, reason: str) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kequ.storage.backups, "make_backup", full_disk)
    with pytest.raises(OSError):
        delete_customer(db, wang)
    assert stored(db.path, "SELECT count(*) FROM customer WHERE id = ?", wang) == [(1,)]


# ------------------------------------------------------------------ gifts


def test_a_gift_is_corrected_field_by_field_and_deleted(db, two) -> None:
    wang, _li = two
    tea = add_gift(db, wang, TODAY - timedelta(days=60), "西湖龙井", 36000, "中秋")
    wine = add_gift(db, wang, TODAY - timedelta(days=30), "红酒", 50000, "生日")
    day = TODAY - timedelta(days=59)
    update_gift(db, GiftRecord(tea, day, "明前龙井 250g", 39900, "中秋节", "liked", "很喜欢，说下次还要"))
    assert stored(
        db.path, "SELECT given_on, item, cost_cents, occasion, reaction, note FROM gift WHERE id = ?", tea
    ) == [(day.isoformat(), "明前龙井 250g", 39900, "中秋节", "liked", "很喜欢，说下次还要")]
    # Renamed to what he already received: refused as a new gift would be, unless insisted on.
    with refused("gift.repeat"):
        update_gift(db, GiftRecord(tea, day, "红酒", None, "", "unknown", ""))
    update_gift(db, GiftRecord(tea, day, "红酒", None, "", "unknown", ""), allow_repeat=True)
    assert stored(db.path, "SELECT item, cost_cents FROM gift WHERE id = ?", tea) == [("红酒", None)]
    # Keeping its own name is no repeat of itself.
    update_gift(db, GiftRecord(wine, TODAY - timedelta(days=30), "红酒", 52000, "生日", "neutral", ""))
    with refused("gift.empty_item"):
        update_gift(db, GiftRecord(wine, TODAY, "  ", None, "", "unknown", ""))
    delete_gift(db, tea)
    assert [g.id for g in gifts_of(db, wang)] == [wine]
    delete_gift(db, tea)  # already gone: not an error
    with refused("gift.gone"):
        update_gift(db, GiftRecord(tea, TODAY, "茶", None, "", "unknown", ""))


def test_a_lost_customer_travels_through_a_json_export_as_lost(db, two, tmp_path: Path) -> None:
    from kequ.exchange.json_book import dump_tables, load_tables
    from kequ.storage.database import open_database

    wang, _li = two
    mark_lost(db, wang, "closed", "工厂关了")
    copy = open_database(str(tmp_path / "copy.db"))
    load_tables(copy, dump_tables(db))
    assert stored(
        copy.path, "SELECT churned, churn_reason, churn_note, churned_on FROM customer WHERE id = ?", wang
    ) == [(1, "closed", "工厂关了", TODAY.isoformat())]
