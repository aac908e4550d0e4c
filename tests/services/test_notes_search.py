"""Search what I wrote, on a real book: every kind of text, two and more characters, Latin
words, no false hits, and the index kept by the writes themselves (edit, delete, cascade)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kequ.domain.notes import around, note_terms, notes_query
from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.complaints import open_or_resume, set_summary
from kequ.services.contacts import delete_interaction, log_interaction, record_deal, update_interaction
from kequ.services.customers import add_customer
from kequ.services.notes import find_in_notes
from kequ.storage.database import migrations
from kequ.storage.fast_reads.notes import has_index, search_notes
from kequ.storage.models import Complaint, ComplaintStep, Customer
from tests.conftest import DEMO_TODAY

DAY = DEMO_TODAY - timedelta(days=5)


def _found(db, query: str) -> list[tuple[str, str]]:
    """(who, what) of each hit, newest written first."""
    return [(hit.name, hit.what()) for hit in find_in_notes(db, query).hits]


@pytest.fixture
def book(db):
    wang = add_customer(db, NewCustomer(name="王芳", notes="老乡，江西人；PO 走框架协议"))
    li = add_customer(db, NewCustomer(name="李强"))
    log_interaction(db, wang, "call", DAY, "催交货", "答应月底前按时交货")  # 交货 at the very end
    log_interaction(db, li, "visit", DAY, "交了样品，框架和协议分开谈")  # 交 货 框架 协议: never together
    record_deal(db, li, DAY, 100_000, "年度框架协议第一批")
    log_interaction(db, li, "email", DAY, "Sent the new Sample list")
    return db, wang, li


def test_two_chinese_characters_find_every_place_even_the_last_word(book) -> None:
    db, _wang, _li = book
    assert _found(db, "交货") == [("王芳", "电话记录")]
    hit = find_in_notes(db, "交货").hits[0]
    assert (hit.day, hit.kind, hit.body) == (DAY, "call", "催交货\n答应月底前按时交货")


def test_three_and_more_characters_and_no_false_hits(book) -> None:
    db, _wang, _li = book
    assert _found(db, "框架协议") == [("李强", "成交备注"), ("王芳", "客户备注")]
    assert _found(db, "框架协议第一批") == [("李强", "成交备注")]
    assert _found(db, "框架和") == [("李强", "拜访记录")]
    assert _found(db, "协议分开谈了") == []
    assert _found(db, "月底后") == []


def test_latin_words_in_either_case_and_every_word_in_one_text(book) -> None:
    db, _wang, _li = book
    assert _found(db, "sample") == [("李强", "邮件记录")]
    assert _found(db, "SAMPLE LIST") == [("李强", "邮件记录")]
    assert _found(db, "po") == [("王芳", "客户备注")]  # two letters: the index's vocabulary
    assert _found(db, "框架 样品") == [("李强", "拜访记录")]  # both words, one text
    assert _found(db, "框架 sample") == []  # in two texts of one customer: not a hit


def test_an_edit_moves_the_hit_and_a_delete_removes_it(book) -> None:
    db, wang, _li = book
    entry = log_interaction(db, wang, "message", DAY, "发了报价单")
    assert _found(db, "报价") == [("王芳", "消息记录")]
    update_interaction(db, entry, "message", DAY, "发了产品手册", "")
    assert _found(db, "报价") == []
    assert _found(db, "产品手册") == [("王芳", "消息记录")]
    delete_interaction(db, entry)
    assert _found(db, "产品手册") == []
    with db.session() as session:
        session.get(Customer, wang).notes = "喜欢喝茶"
    assert _found(db, "江西") == [] and _found(db, "喝茶") == [("王芳", "客户备注")]


def test_complaints_their_steps_and_visit_write_ups(book) -> None:
    db, wang, li = book
    # A complaint is stored with the first thing written to it.
    complaint = set_summary(db, open_or_resume(db, wang, DEMO_TODAY).ref, "第二批货外箱破损")
    assert complaint is not None
    with db.session() as session:
        session.add(ComplaintStep(complaint_id=complaint, step=6, notes="", data={"asks": "三天内补发，赔停工损失"}))
    conn = sqlite3.connect(db.path)
    trip = conn.execute(
        "INSERT INTO trip (name, cities, start_on, end_on, notes, created_at) VALUES"
        " (?, ?, ?, ?, '', '2026-11-01 00:00:00')",
        ("苏州出差", '["苏州"]', DAY.isoformat(), DAY.isoformat()),
    ).lastrowid
    conn.execute(
        "INSERT INTO trip_visit (trip_id, customer_id, day, place, purpose, bring, status, learned, needs,"
        " competitors, next_step) VALUES (?, ?, ?, '', '', '', 'done', '新产线下月投产', '', '对手报价低一成', '')",
        (trip, li, DAY.isoformat()),
    )
    conn.commit()
    conn.close()
    assert _found(db, "外箱破损") == [("王芳", "投诉")]
    assert _found(db, "停工") == [("王芳", "投诉第 6 步")]
    assert _found(db, "对手报价") == [("李强", "拜访纪要")]
    assert [hit.day for hit in find_in_notes(db, "投产").hits] == [DAY]
    # Deleting the customer takes every text of theirs with it (the foreign keys' cascade).
    conn = sqlite3.connect(db.path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM customer WHERE id = ?", (wang,))
    conn.commit()
    assert conn.execute("SELECT count(*) FROM note_text WHERE body LIKE '%停工%' OR body LIKE '%交货%'").fetchone() == (
        0,
    )
    conn.close()
    assert _found(db, "停工") == [] and _found(db, "交货") == []
    with db.session() as session:
        assert session.get(Complaint, complaint) is None


def test_newest_written_first_and_the_limit(db) -> None:
    cid = add_customer(db, NewCustomer(name="王芳"))
    for n in range(5):
        log_interaction(db, cid, "call", DEMO_TODAY - timedelta(days=n), f"第{n}次谈交期")
    hits = find_in_notes(db, "交期", limit=3).hits
    assert [hit.body for hit in hits] == ["第4次谈交期", "第3次谈交期", "第2次谈交期"]


@pytest.mark.parametrize(
    ("query", "says"), [("", "要找什么"), ("   ", "要找什么"), ("交", "“交”太短"), ("框架 x", "“x”太短")]
)
def test_a_word_of_one_character_or_none_is_refused(query: str, says: str) -> None:
    with pytest.raises(KequError) as refused:
        note_terms(query)
    assert says in refused.value.message()


def test_the_words_and_the_line_around_the_match() -> None:
    assert note_terms("  交货\u3000框架协议 交货 ") == ["交货", "框架协议"]  # a full-width space too
    assert notes_query("#交货") == "交货" and notes_query(" ＃ 交货") == " 交货" and notes_query("王") is None
    body = "上周拜访时客户说第二批货外箱破损严重，\n要求三天内补发并赔偿停工损失，否则考虑换供应商"
    assert around(body, ["补发"], width=6) == ("… 要求三天内", "补发", "并赔偿停工损…")
    assert around("Sent the SAMPLE list", ["sample"]) == ("Sent the ", "SAMPLE", " list")


def test_without_the_trigram_index_the_same_hits_are_read_one_by_one(tmp_path) -> None:
    """A book made where SQLite has no trigram tokenizer: no index, the same answers."""
    conn = sqlite3.connect(tmp_path / "plain.db")
    for _version, sql in migrations(trigram=False):
        conn.executescript(sql)
    assert not has_index(conn)
    conn.execute(
        "INSERT INTO customer (id, name, honorific, company, title, phones, wechat, email, city, district, address,"
        " tier, stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags, source,"
        " churned, churn_reason, notes, search_keys, created_at, updated_at) VALUES (1, '王芳', '', '', '', '[]',"
        " '', '', '', '', '', 'key', 'existing', '', '', '', '', '', '[]', '', 0, '', 'PO 走框架协议，按时交货', '',"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    assert [hit.name for hit in search_notes(conn, ["交货"])] == ["王芳"]
    assert [hit.name for hit in search_notes(conn, ["po", "框架协议"])] == ["王芳"]
    assert search_notes(conn, ["交了"]) == []
    assert date(2026, 1, 1) == search_notes(conn, ["交货"])[0].day
