"""``kequ complaint NAME --withdraw`` and ``kequ complaints``, through the real command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kequ.domain.records import NewCustomer
from kequ.services import complaints as cs
from kequ.services.customers import add_customer
from kequ.storage.database import Database
from tests.conftest import DEMO_TODAY


def open_complaint(db: Database, name: str, summary: str) -> tuple[int, int]:
    """(customer id, complaint id): a customer with an open complaint, written as the wizard writes it."""
    cid = add_customer(db, NewCustomer(name=name, honorific="周总" if name == "周海涛" else ""))
    complaint = cs.set_summary(db, cs.open_or_resume(db, cid).ref, summary)
    assert complaint is not None
    cs.save_notes(db, complaint, 1, "客户说箱子破了")
    return cid, complaint


def test_withdraw_ends_the_open_complaint_unhandled_and_off_today(kequ, db: Database, db_path: Path) -> None:
    cid, complaint = open_complaint(db, "周海涛", "第二批货外箱破损")
    due = kequ("today", "--json").json()
    assert [i["kind"] for i in due if i["customer_id"] == cid and i["kind"] == "complaint"] == ["complaint"]

    result = kequ("complaint", "周总", "--withdraw")
    assert result.code == 0, result.err
    assert result.out == (
        f"已撤销 周总（周海涛） 的投诉（{DEMO_TODAY.isoformat()} 开始）：第二批货外箱破损。"
        "不算作已处理，没有安排回访。\n"
    )
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT id, status, satisfaction, cause FROM complaint").fetchall() == [
        (complaint, "withdrawn", None, None)
    ]
    assert conn.execute("SELECT count(*) FROM touchpoint").fetchone() == (0,)  # no follow-ups
    assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (0,)  # nothing on the timeline
    assert conn.execute("SELECT notes FROM complaint_step").fetchall() == [("客户说箱子破了",)]
    conn.close()
    assert not [i for i in kequ("today", "--json").json() if i["kind"] == "complaint"]

    listed = kequ("complaints", "--json").json()
    assert [(row["id"], row["status"], row["summary"]) for row in listed] == [
        (complaint, "withdrawn", "第二批货外箱破损")
    ]
    table = kequ("complaints")
    assert table.code == 0 and "已撤销" in table.out and "处理中" not in table.out


def test_withdraw_without_an_open_complaint_is_refused_in_one_line(kequ, db: Database, db_path: Path) -> None:
    add_customer(db, NewCustomer(name="李娜"))
    result = kequ("complaint", "李娜", "--withdraw")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "李娜 没有处理中的投诉" in result.err and "Traceback" not in result.err
    # A handled complaint is not withdrawn afterwards either.
    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    closed = cs.close(db, cs.open_or_resume(db, cid).ref, "补发", 4, "delivery", []).complaint.id
    again = kequ("complaint", "王总", "--withdraw")
    assert again.code == 2 and "没有处理中的投诉" in again.err
    unknown = kequ("complaint", "没这个人", "--withdraw")
    assert unknown.code == 2 and unknown.out == ""
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT id, status FROM complaint").fetchall() == [(closed, "closed")]
    conn.close()


def test_withdraw_in_english_and_for_a_complaint_without_a_summary(kequ, db: Database) -> None:
    cid = add_customer(db, NewCustomer(name="张伟"))
    assert cs.save_notes(db, cs.open_or_resume(db, cid).ref, 1, "电话里说了几句") is not None
    result = kequ("--lang", "en", "complaint", "张伟", "--withdraw")
    assert result.code == 0, result.err
    assert result.out.startswith("Withdrew the complaint of 张伟") and "(no summary yet)" in result.out
    assert "Not counted as handled" in result.out


def test_help_names_the_withdraw_flag(kequ) -> None:
    result = kequ("complaint", "--help", db=None)
    assert result.code == 0 and "--withdraw" in result.out and "撤销" in result.out
