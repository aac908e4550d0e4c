"""Search-as-you-type latency in books of 1k / 10k / 100k customers. Prints figures; not a test.

    python bench/bench_search.py [--sizes 1000,10000,100000] [--books DIR] [--sessions 40] [--json]

The candidates are the book's customers as the Customers screen reads them: the stored
``search_keys`` (made by ``kequ.domain.search.search_keys`` at save time), the name and the
tier's weight. Typing sessions are then replayed as that screen runs them: one
``SearchIndex`` kept across the keystrokes of a session, each session starting from
an empty box (which drops the previous session's narrowing pool). Every keystroke is
timed; the figures are the median and the 95th percentile over all of them, and the
p95 per kind of query: full pinyin, initials, Chinese substring, digits.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
from datetime import date
from pathlib import Path
from time import perf_counter

import common

from kequ.domain.agenda.rules import TIER_WEIGHT
from kequ.domain.search import Candidate, SearchIndex

# (kind, keystrokes): what a salesperson types looking for someone.
SESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pinyin", ("w", "wa", "wan", "wang", "wangz")),
    ("pinyin", ("s", "su", "suz", "suzh", "suzhou")),
    ("pinyin", ("z", "zh", "zha", "zhan", "zhang", "zhangw", "zhangwe", "zhangwei")),
    ("initials", ("w", "wz")),
    ("initials", ("z", "zj", "zjl")),
    ("initials", ("h", "hz", "hzd", "hzds")),
    ("chinese", ("恒", "恒瑞")),
    ("chinese", ("王", "王总")),
    ("chinese", ("精", "精密", "精密机械")),
    ("chinese", ("苏", "苏州", "苏州海")),
    ("digits", ("1", "13", "138", "1380")),
)


def candidates(path: Path) -> list[Candidate]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, search_keys, name, tier FROM customer").fetchall()
    finally:
        conn.close()
    return [Candidate(cid, keys, name, TIER_WEIGHT.get(tier, 0)) for cid, keys, name, tier in rows]


def measure(path: Path, sessions: int = 40) -> dict[str, object]:
    found = candidates(path)
    gc.collect()
    started = perf_counter()
    index = SearchIndex(found)
    build_ms = (perf_counter() - started) * 1000
    del found
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for _ in range(sessions):
        for kind, keys in SESSIONS:
            index.search("")  # the box is cleared: the next session starts with no pool
            for typed in keys:
                started = perf_counter()
                index.search(typed)
                ms = (perf_counter() - started) * 1000
                latencies.append(ms)
                by_kind.setdefault(kind, []).append(ms)
    return {
        "median_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(common.p95(latencies), 2),
        "p95_by_kind_ms": {kind: round(common.p95(values), 2) for kind, values in by_kind.items()},
        "keystrokes": len(latencies),
        "index_build_ms": round(build_ms, 0),
    }


def table(doc: dict[str, object]) -> None:
    kinds = ("pinyin", "initials", "chinese", "digits")
    print(f"{doc['keystrokes_per_size']} keystrokes per size; p95 per kind of query\n")
    print(
        f"{'customers':>10} {'median ms':>9} {'p95 ms':>7} " + " ".join(f"{k:>9}" for k in kinds) + f" {'build ms':>9}"
    )
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        per = row["p95_by_kind_ms"]
        print(
            f"{n:>10} {row['median_ms']:>9.2f} {row['p95_ms']:>7.2f} "
            + " ".join(f"{per[k]:>9.2f}" for k in kinds)
            + f" {row['index_build_ms']:>9.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--sessions", type=int, default=40, help="repetitions of the typing sessions")
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            row = measure(common.book(folder, n, today), args.sessions)
            doc["keystrokes_per_size"] = row.pop("keystrokes")
            doc["sizes"][n] = row  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
