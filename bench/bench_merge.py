"""Merging two customers with 500 contacts each, and the likely-duplicates list, in books of 10k / 100k.

    python bench/bench_merge.py [--sizes 10000,100000] [--books DIR] [--runs 5] [--json]

Merge: on a copy of each book, customer 2 is given 500 contacts to match customer 1 (the
generated book's busy customer, who has exactly 500, with dates, gifts, deals and
touches), then ``kequ.services.merging.merge_customers`` folds 2 into 1 the way ``kequ
merge`` does: every table that refers to a customer, conflicts, dates and touches said
twice. Each run is rolled back so the next merges the same two; the median is reported
(``merge_ms``). Once, the whole use case ``merge`` is timed too, with its commit and the
backup it takes first (``merge_with_backup_ms``: mostly the copy of the book).

Duplicates: ``kequ.services.duplicates.likely_duplicates`` (read every customer and
their phones, pair them in one pass), median of the runs in wall time and in the
process's CPU time (on a machine others share, the wall time also counts the waits for
a core), and how many pairs the generated book holds. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter, process_time

import common
import dataset

from kequ.services.duplicates import likely_duplicates
from kequ.services.merging import merge, merge_customers
from kequ.storage.database import Database

KEEP, DROP = dataset.BUSY_CUSTOMER, dataset.BUSY_CUSTOMER + 1


def _give_contacts(path: Path, customer_id: int, wanted: int) -> int:
    """Contacts for ``customer_id`` up to ``wanted``, in the format the models write."""
    conn = sqlite3.connect(path)
    try:
        have = conn.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (customer_id,)).fetchone()[0]
        start = datetime(2024, 1, 1, 2, tzinfo=UTC)
        rows = [
            (customer_id, "call", (start + timedelta(hours=7 * i)).strftime("%Y-%m-%d %H:%M:%S.%f"), "聊了交期", "")
            for i in range(wanted - have)
        ]
        conn.executemany(
            "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, ?, ?, ?, ?)", rows
        )
        conn.commit()
        return conn.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (customer_id,)).fetchone()[0]
    finally:
        conn.close()


def measure_merge(book: Path, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kequ-bench-merge-") as tmp:
        path = Path(tmp) / "book.db"
        shutil.copy(book, path)
        contacts = (_give_contacts(path, KEEP, dataset.BUSY_CONTACTS), _give_contacts(path, DROP, 500))
        db = Database(path)

        def fold() -> dict[str, int]:
            # The session of the use case, rolled back: the next run merges the same two.
            from sqlmodel import Session

            with Session(db.engine) as session:
                folded = merge_customers(session, KEEP, DROP)
                session.flush()
                session.rollback()
            return folded

        fold()  # the first call pays the ORM's imports and the engine: not counted
        ms, _ = common.median_ms(fold, runs)
        started = perf_counter()
        report = merge(db, KEEP, DROP)
        whole_ms = (perf_counter() - started) * 1000
        moved = sum(report.moved.values())
    return {
        "merge_ms": round(ms, 1),
        "merge_with_backup_ms": round(whole_ms),
        "contacts": list(contacts),
        "rows_moved": moved,
    }


def measure_duplicates(book: Path, runs: int) -> dict[str, object]:
    db = Database(book)
    likely_duplicates(db)  # warm: the file cache
    cpu = []
    for _ in range(runs):
        started = process_time()
        likely_duplicates(db)
        cpu.append((process_time() - started) * 1000)
    ms, pairs = common.median_ms(lambda: likely_duplicates(db), runs)
    return {"duplicates_ms": round(ms), "duplicates_cpu_ms": round(statistics.median(cpu)), "pairs": len(pairs)}  # type: ignore[arg-type]


def table(doc: dict[str, object]) -> None:
    print(
        f"{'customers':>10} {'merge ms':>9} {'+backup ms':>11} {'contacts':>9} {'rows moved':>11}"
        f" {'duplicates ms':>14} {'(cpu ms)':>9} {'pairs':>6}"
    )
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        contacts = "+".join(map(str, row["contacts"]))
        print(
            f"{n:>10} {row['merge_ms']:>9.1f} {row['merge_with_backup_ms']:>11} {contacts:>9}"
            f" {row['rows_moved']:>11} {row['duplicates_ms']:>14} {row['duplicates_cpu_ms']:>9} {row['pairs']:>6}"
        )
    print("(targets: merge of two customers with 500 contacts each ≤ 200 ms; the duplicates list ≤ 1 s at 100k)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser, sizes="10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            book = common.book(folder, n, today)
            doc["sizes"][n] = {**measure_merge(book, args.runs), **measure_duplicates(book, args.runs)}  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
