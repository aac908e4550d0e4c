"""The weekly review in books of 1k / 10k / 100k customers. Prints medians; not a test.

    python bench/bench_review.py [--sizes 1000,10000,100000] [--books DIR] [--json]

``review_ms``: the whole ``kequ.services.review.review`` call (every query and figure the
Review screen and ``kequ review`` show), the median of repeated in-process runs after one
warm-up. The target: at most 1,000 ms at 100,000 customers. ``review_cpu_ms`` is the
processor time of the same call: on a machine shared with other work the wall time grows
with the queue for the cores, the processor time hardly.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import common

from kequ.services.review import review
from kequ.storage.database import Database


def measure(path, today: date, repeat: int = 5) -> dict[str, object]:  # type: ignore[no-untyped-def]
    db = Database(path)
    review(db, today)
    review_ms, result = common.median_ms(lambda: review(db, today), repeat)
    month_ms, _ = common.median_ms(lambda: review(db, today, "month"), max(1, repeat // 2))
    cpu = []
    for _ in range(repeat):
        start = time.process_time()
        review(db, today)
        cpu.append((time.process_time() - start) * 1000)
    return {
        "review_ms": round(review_ms, 1),
        "review_cpu_ms": round(statistics.median(cpu), 1),
        "month_ms": round(month_ms, 1),
        "cooling": len(result.cooling),  # type: ignore[attr-defined]
        "done": sum(result.done.values()),  # type: ignore[attr-defined]
    }


def table(doc: dict[str, object]) -> None:
    print(f"{'customers':>10} {'review ms':>10} {'cpu ms':>8} {'month ms':>9} {'cooling':>8} {'done':>6}")
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        print(
            f"{n:>10} {row['review_ms']:>10.1f} {row['review_cpu_ms']:>8.1f} {row['month_ms']:>9.1f}"
            f" {row['cooling']:>8} {row['done']:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure(common.book(folder, n, today), today, args.repeat)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
