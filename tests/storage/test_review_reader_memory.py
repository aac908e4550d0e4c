"""The Review's reader connections keep their memory bounded: they do not map the book
(``PRAGMA mmap_size``: every mapped page a read touches counts in the app's memory, once
per connection) and keep SQLite's usual page cache, not a larger one."""

from __future__ import annotations

from kequ.storage.fast_reads import review as read


def test_a_review_reader_maps_nothing_and_keeps_the_usual_page_cache(demo_db) -> None:
    with demo_db.reader() as conn:
        conn.execute("PRAGMA mmap_size = 1048576")  # what another setting would have left
        conn.execute("PRAGMA cache_size = -65536")
        read.prepare(conn)
        assert conn.execute("PRAGMA mmap_size").fetchone()[0] == 0
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -2000
