"""Notes search (kequ search --notes, # in the Customers box) in books of 10k / 100k customers.
Prints figures; not a test.

    python bench/bench_notes.py [--sizes 10000,100000] [--books DIR] [--repeat 15] [--json]

Each book holds about 20 contacts a customer (``dataset.py``), so 10k customers make ~200k
contacts and 100k ~2M; the texts indexed (schema step 7: contacts with a note or an outcome,
customers' notes, complaints and their steps, visit write-ups, deal notes) are counted and
shown. Every query runs as the app runs it: ``kequ.services.notes.find_in_notes`` with the
newest 50 hits, a fresh read connection each time (as each keystroke opens one). The figure
per query is the median of ``--repeat`` runs; the worst of them is the one held to the
target: 50 ms at 10k customers, 200 ms at 100k.
"""

from __future__ import annotations

import argparse
import sqlite3
from datetime import date
from pathlib import Path

import common

from kequ.services.notes import find_in_notes
from kequ.storage.database import Database

# (label, query): two characters (through the index's vocabulary), three and more (the
# trigram phrase), frequent and rare, Latin, two words, and words found nowhere.
QUERIES: tuple[tuple[str, str], ...] = (
    ("2 chars, frequent", "交期"),
    ("2 chars, frequent", "报价"),
    ("2 chars, rare", "江西"),
    ("2 chars, none", "合同"),
    ("3+ chars, frequent", "月底前"),
    ("3+ chars, frequent", "产品手册"),
    ("3+ chars, rare", "孩子在读高中"),
    ("3+ chars, none", "框架协议"),
    ("Latin", "positive"),
    ("two words", "交期 样品"),
)
LIMITS = {10_000: 50.0, 100_000: 200.0}


def measure(path: Path, repeat: int) -> dict[str, object]:
    conn = sqlite3.connect(path)
    texts = conn.execute("SELECT count(*) FROM note_text").fetchone()[0]
    contacts = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    conn.close()
    db = Database(path)
    rows = []
    for label, query in QUERIES:
        find_in_notes(db, query)  # warm: the first read pulls the pages in
        ms, found = common.median_ms(lambda q=query: find_in_notes(db, q), repeat)
        rows.append({"label": label, "query": query, "ms": round(ms, 2), "hits": len(found.hits)})  # type: ignore[attr-defined]
    return {"contacts": contacts, "texts": texts, "queries": rows, "worst_ms": max(r["ms"] for r in rows)}


def table(doc: dict[str, object]) -> None:
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        limit = LIMITS.get(int(n))
        target = f", target {limit:.0f} ms" if limit else ""
        print(f"\n{n} customers: {row['contacts']} contacts, {row['texts']} texts indexed{target}")
        print(f"{'query':<22} {'text':<14} {'ms':>8} {'hits':>5}")
        for q in row["queries"]:
            print(f"{q['label']:<22} {q['query']:<14} {q['ms']:>8.2f} {q['hits']:>5}")
        print(f"{'worst':<37} {row['worst_ms']:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser, sizes="10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}, "limits_ms": LIMITS}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure(common.book(folder, n, today), args.repeat)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
