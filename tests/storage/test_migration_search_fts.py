"""The customer search's trigram index (schema step *_search_fts): an older book upgraded finds
the same customers in the same order; a page through the index is a slice of what the scan
without it finds, whichever way the page is read; a book without the index still answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.domain.search import search_keys
from kequ.services.customer_list import find_ids, find_page
from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate, migrations, open_database
from kequ.storage.fast_reads import customers as reads
from tests.domain.test_search import BOOK
from tests.storage.older_book import older_book
from tests.storage.test_customer_search import QUERIES, TIERS, _insert

# The schema step that adds the index.
FTS_STEP = int(next(MIGRATIONS_DIR.glob("*_search_fts.sql")).name[:4])
# Queries whose pages take each path: three characters and more, a form's start and one
# character (its trigrams looked up by range), the query inside a name, in the other fields only.
PAGED = (*QUERIES, "wan", "zho", "1", "13", "86", "a", "o", "g", "ng", "yu", "cn")


def _fill(conn: sqlite3.Connection) -> None:
    """The domain tests' book, each customer three times over (ties in every rank), and
    some whose 称呼 starts like another's name."""
    cid = 0
    for copy in range(3):
        for name, honorific, company, phones, wechat, email, city, tags, _w in BOOK.values():
            cid += 1
            keys = search_keys(name, honorific, company, phones, wechat, email, city, tags)
            _insert(conn, 100 + cid, name, TIERS[(cid + copy) % 4], keys, tags)
    for extra, (name, honorific) in enumerate((("张伟", "伟哥"), ("欧阳娜娜", "娜姐"), ("Zoe", ""), ("曾1号", ""))):
        _insert(conn, 900 + extra, name, "regular", search_keys(name, honorific, phones=("13912345678",)))


def _answers(conn: sqlite3.Connection) -> dict[str, tuple[list[int], int]]:
    reads.refresh(conn)
    conn.commit()
    return {q: (reads.ordered_ids(conn, q), reads.count(conn, q)) for q in PAGED}


def test_a_book_from_before_the_index_is_indexed_and_finds_the_same_customers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = older_book(path, FTS_STEP - 1)
    _fill(conn)
    conn.commit()
    assert not reads.has_index(conn)
    before = _answers(conn)  # the scan of the older kequ
    conn.close()
    assert migrate(path) == FTS_STEP - 1
    db = open_database(str(path))
    conn = sqlite3.connect(path)
    assert reads.has_index(conn)
    indexed = conn.execute("SELECT count(*) FROM customer_search_fts WHERE customer_search_fts MATCH 'ang'")
    assert next(indexed)[0] > 0  # built by the step for the rows already there
    conn.close()
    for q, (whole, total) in before.items():
        for page, size in ((0, 100), (0, 7), (2, 7)):
            assert find_page(db, q, None, None, page, size) == (whole[page * size : (page + 1) * size], total), q
    # The comparison is worth something: most queries find someone, and different people.
    assert sum(1 for whole, _ in before.values() if whole) >= 40
    assert len({tuple(whole) for whole, _ in before.values()}) >= 30
    assert before["你好"] == ([], 0)


@pytest.fixture
def indexed(db):
    conn = sqlite3.connect(db.path)
    _fill(conn)
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize(("walk", "many"), [(2000, 5000), (3, 0)])
def test_every_page_through_the_index_is_a_slice_of_the_scan(indexed, monkeypatch, walk: int, many: int) -> None:
    """``walk`` 3: the first rows in display order rarely fill a page, so the whole-table
    read of a rank is taken too; ``many`` 0: a form's start is always walked in display
    order through the index's answer instead of sorted."""
    monkeypatch.setattr(reads, "_WALK", walk)
    monkeypatch.setattr(reads, "_MANY", many)
    conn = sqlite3.connect(indexed.path)
    reads.refresh(conn)
    conn.commit()
    for q in PAGED:
        whole = reads.ordered_ids(conn, q)  # no limit: the scan, as without the index
        assert reads.count(conn, q) == len(whole), q
        for limit, offset in ((1, 0), (5, 0), (5, 5), (100, 0), (3, 40)):
            assert reads.ordered_ids(conn, q, None, limit, offset) == whole[offset : offset + limit], (q, limit)
        keyed = reads.ordered_ids(conn, q, {"tier": "key"})
        assert reads.ordered_ids(conn, q, {"tier": "key"}, 4, 1) == keyed[1:5], q
        among = set(whole[::2])
        assert reads.ordered_ids(conn, q, None, 3, 0, among) == [i for i in whole if i in among][:3], q
    conn.close()


def test_the_index_follows_every_write(indexed) -> None:
    conn = sqlite3.connect(indexed.path)
    conn.execute("UPDATE customer SET name = '赵六', search_keys = ? WHERE id = 101", (search_keys("赵六"),))
    conn.execute("DELETE FROM customer WHERE id = 102")
    _insert(conn, 950, "钟无艳", "key", search_keys("钟无艳", "钟总"))
    conn.commit()
    conn.close()
    assert find_page(indexed, "zhaoliu", None, None, 0, 10) == ([101], 1)
    assert find_page(indexed, "zhongwuyan", None, None, 0, 10) == ([950], 1)
    assert find_page(indexed, "zwy", None, None, 0, 10) == ([950], 1)
    assert 102 not in find_ids(indexed, "")
    conn = sqlite3.connect(indexed.path)
    # The index agrees with its table: FTS5's own check.
    conn.execute("INSERT INTO customer_search_fts (customer_search_fts) VALUES ('integrity-check')")
    conn.close()


def test_a_book_made_without_the_trigram_tokenizer_finds_the_same_and_gets_the_index_later(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    conn = older_book(plain, SCHEMA_VERSION, [sql for _version, sql in migrations(trigram=False)])
    _fill(conn)
    conn.commit()
    assert not reads.has_index(conn)
    reads.refresh(conn)
    conn.commit()
    without = {q: reads.ordered_ids(conn, q, None, 5, 2) for q in PAGED}  # the scan: what older SQLite gets
    conn.close()
    assert migrate(plain) == SCHEMA_VERSION  # here SQLite has the tokenizer: the index is built
    conn = sqlite3.connect(plain)
    assert reads.has_index(conn)
    assert {q: reads.ordered_ids(conn, q, None, 5, 2) for q in PAGED} == without
    conn.close()


def test_the_searchs_kept_connection_sees_every_write_from_any_thread(indexed) -> None:
    """The Customers screen keeps one reader for its searches: a customer added after it was
    opened (by another connection, its search row left stale) is found on the next keystroke,
    from whichever worker thread asks."""
    import threading

    from kequ.services.customer_list import Searcher

    searcher = Searcher(indexed)
    try:
        assert searcher.page("zwy", None, None, 0, 10) == ([], 0, {})
        conn = sqlite3.connect(indexed.path)
        _insert(conn, 950, "钟无艳", "key", search_keys("钟无艳", "钟总"))
        conn.commit()
        conn.close()
        ids, total, rows = searcher.page("zwy", None, None, 0, 10)
        assert (ids, total, rows[950].name) == ([950], 1, "钟无艳")
        found: list[list[int]] = []
        worker = threading.Thread(target=lambda: found.append(searcher.page("zhongzong", None, None, 0, 10)[0]))
        worker.start()
        worker.join()
        assert found == [[950]]
    finally:
        searcher.close()
    assert searcher.page("钟", None, None, 0, 1)[0] == [950]  # opened again after close
    searcher.close()
