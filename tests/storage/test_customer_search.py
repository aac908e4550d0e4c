"""Schema step 10: the stored customer search finds and orders exactly as SearchIndex does,
and stays current through every write."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain.agenda.rules import TIER_WEIGHT
from kequ.domain.search import Candidate, SearchIndex, search_keys
from kequ.services.customer_list import book_counts, filter_counts, find_ids, rows_by_id, search_customers
from kequ.storage.database import migrate, open_database
from tests.domain.test_search import BOOK
from tests.storage.older_book import older_book

TIERS = ("key", "potential", "regular", "temporary")
# Every query of the domain tests, and the kinds a person types: pinyin, initials, Chinese,
# digits with separators, full width, mixed case, one character, nothing found.
QUERIES = (
    "", "w", "wa", "wang", "wangz", "wz", "wangzong", "王总", "WZ", "wzong", "wjg", "wangjianguo", "王", "z",
    "zeng", "ceng", "zjl", "曾", "shan", "dan", "xie", "jie", "ou", "qu", "xw", "xiaowang", "laoliu", "liu",
    "jianguo", "建国", "hengrui", "szhr", "恒瑞", "138", "138-0013", "0512", "+86", "186 0000", "wx_wangjg",
    "wjg@", "老客户", "vip", "钓鱼", "杭州", "hz", "hangzhou", "ｗａｎｇ", "１３８", "zz", "k1", "你好", "qq",
    "j", "明", "ming", "l", "lm", "li", "lv", "lu", "吕",
)  # fmt: skip


def _insert(conn: sqlite3.Connection, cid: int, name: str, tier: str, keys: str, tags: tuple[str, ...] = ()) -> None:
    conn.execute(
        "INSERT INTO customer (id, name, honorific, company, title, phones, wechat, email, city, district,"
        " address, tier, stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags,"
        " source, churned, churn_reason, notes, search_keys, created_at, updated_at) VALUES (?, ?, '', '',"
        " '', '[]', '', '', '', '', '', ?, 'existing', '', '', '', '', '', ?, '', 0, '', '', ?,"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        (cid, name, tier, json.dumps(list(tags)), keys),
    )


@pytest.fixture
def book(db):
    """The domain tests' book, plus names that tie, 吕, a Latin name and keys from before search."""
    extra = {
        9: ("王建国", "", "", (), "", "", "", (), 0),  # the same name as #1, a lower tier
        10: ("吕方", "", "", (), "", "", "", (), 0),
        11: ("John Smith", "", "Acme Ltd", (), "", "", "", (), 0),
        12: ("汪洋", "汪总", "", (), "", "", "", (), 0),
    }
    conn = sqlite3.connect(db.path)
    for cid, (name, honorific, company, phones, wechat, email, city, tags, _w) in {**BOOK, **extra}.items():
        keys = search_keys(name, honorific, company, phones, wechat, email, city, tags)
        _insert(conn, cid, name, TIERS[cid % 4], keys, tags)
    _insert(conn, 13, "王老五", "regular", "王老五 wlw legacy")  # keys written before the format
    conn.commit()
    conn.close()
    return db


def _index(db) -> SearchIndex:
    conn = sqlite3.connect(db.path)
    rows = conn.execute("SELECT id, search_keys, name, tier FROM customer").fetchall()
    conn.close()
    return SearchIndex(Candidate(cid, keys, name, TIER_WEIGHT.get(tier, 0)) for cid, keys, name, tier in rows)


@pytest.mark.parametrize("query", QUERIES)
def test_the_stored_search_finds_and_orders_as_the_index_does(book, query: str) -> None:
    assert find_ids(book, query) == _index(book).search(query)


def test_the_queries_tell_customers_apart(book) -> None:
    """The comparison above is worth something: the queries find different people in different orders."""
    answers = {tuple(find_ids(book, q)) for q in QUERIES}
    assert len(answers) >= 20
    assert find_ids(book, "wz")[:2] == [12, 1]  # 汪总 and 王总 exactly, the key customer first
    assert find_ids(book, "zeng") == find_ids(book, "ceng") == [3]
    assert find_ids(book, "wlw") == [13]  # legacy keys: still found by what they hold
    assert find_ids(book, "你好") == []


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["w", "z", "j", "a", "n", "g", "王", "曾", "1", "3", "8", " ", "-", "l"]), max_size=6))
def test_any_typed_text_matches_the_index(db_path_factory, keystrokes) -> None:
    db = db_path_factory()
    text = "".join(keystrokes)
    assert find_ids(db, text) == _index(db).search(text)


@pytest.fixture(scope="module")
def db_path_factory(tmp_path_factory):
    """One book for the whole hypothesis run (a fixture per example would be rebuilt each time)."""
    path = tmp_path_factory.mktemp("search") / "kequ.db"
    made = open_database(str(path))
    conn = sqlite3.connect(path)
    for cid, (name, honorific, company, phones, wechat, email, city, tags, _w) in BOOK.items():
        keys = search_keys(name, honorific, company, phones, wechat, email, city, tags)
        _insert(conn, cid, name, TIERS[cid % 4], keys)
    conn.commit()
    conn.close()
    return lambda: made


def test_limit_and_filters(book) -> None:
    everyone = find_ids(book, "")
    assert find_ids(book, "", limit=3) == everyone[:3]
    keyed = find_ids(book, "", {"tier": "key"})
    assert keyed and all(cid % 4 == 0 for cid in keyed)
    assert find_ids(book, "w", {"tag": "老客户"}) == [1]
    assert find_ids(book, "w", {"tag": "没有"}) == []


def test_writes_keep_it_current(book) -> None:
    conn = sqlite3.connect(book.path)
    conn.execute("UPDATE customer SET name = '赵六', search_keys = ? WHERE id = 2", (search_keys("赵六"),))
    conn.execute("UPDATE customer SET tier = 'key' WHERE id = 9")
    conn.execute("DELETE FROM customer WHERE id = 8")
    _insert(conn, 40, "张三", "key", search_keys("张三"))
    conn.commit()
    conn.close()
    assert find_ids(book, "zhaoliu") == [2]
    assert find_ids(book, "liming") == []
    assert find_ids(book, "laoliu") == []  # 老刘 is gone
    assert find_ids(book, "zs") == [40]
    assert find_ids(book, "") == _index(book).search("")
    assert find_ids(book, "wangjianguo") == _index(book).search("wangjianguo")


def test_the_services_writes_are_seen(db) -> None:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer

    cid = add_customer(db, NewCustomer(name="欧阳娜娜", honorific="欧阳总", company="苏州恒瑞有限公司"))
    assert find_ids(db, "oyz") == [cid]
    assert [row.name for row in search_customers(db, "hengrui")] == ["欧阳娜娜"]


def test_rows_and_counts_read_only_what_is_asked(book) -> None:
    rows = rows_by_id(book, [1, 3])
    assert set(rows) == {1, 3}
    assert rows[1].tags == ("老客户",) and rows[3].name == "曾志强"
    assert rows[1].last_contact is None and not rows[1].at_risk
    assert book_counts(book) == (13, 0)
    counts = filter_counts(book, ["tier", "tag"])
    assert counts["tag"]["VIP"] == 1 and sum(counts["tier"].values()) == 13


def test_a_version_9_book_gets_its_search_rows_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    older_book(path, 9).close()
    assert migrate(path) == 9
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM customer_search WHERE weight IS NULL").fetchone() == (2,)
    conn.close()
    db = open_database(str(path))
    # Their keys are empty (written before keys existed): found by name, key tier first.
    assert find_ids(db, "") == [1, 2]
    assert find_ids(db, "王芳") == [1]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM customer_search WHERE weight IS NULL").fetchone() == (0,)
    conn.close()


@pytest.mark.parametrize("query", ["", "w", "wang", "王", "1", "zz"])
def test_a_page_and_a_count_are_slices_of_the_whole_answer(book, query: str) -> None:
    from kequ.services.customer_list import find_page

    whole = find_ids(book, query)
    for page in range(3):
        ids, count = find_page(book, query, None, None, page, 2)
        assert ids == whole[page * 2 : page * 2 + 2]
        assert count == len(whole)
    assert find_ids(book, query, limit=3, offset=1) == whole[1:4]


def test_among_keeps_only_the_given_customers_in_order(book) -> None:
    from kequ.services.customer_list import find_page

    whole = find_ids(book, "w")
    chosen = {whole[-1], whole[0], 999}
    assert find_ids(book, "w", among=chosen) == [whole[0], whole[-1]]
    assert find_page(book, "w", None, chosen, 0, 1) == ([whole[0]], 2)
    assert find_ids(book, "w", among=set()) == []
