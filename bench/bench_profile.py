"""Opening a profile with 500 interactions, in books of 1k / 10k / 100k customers.

    python bench/bench_profile.py [--sizes 1000,10000,100000] [--books DIR] [--json]

Times the Profile screen's whole read (``services.profile.load_profile``: the customer,
the latest 500 contacts, the count, dates, gifts, complaints, colleagues) for the book's
customer 1, who has exactly 500 interactions. The first call (which pays the ORM's
import and engine) is reported apart; then the median of 9. Asserts nothing.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from time import perf_counter

import common
import dataset

from kequ.services.profile import load_profile
from kequ.storage.database import Database


def measure(path: Path, today: date, repeat: int = 9) -> dict[str, object]:
    db = Database(path)
    started = perf_counter()
    view = load_profile(db, dataset.BUSY_CUSTOMER, today)
    first_ms = (perf_counter() - started) * 1000
    ms, view = common.median_ms(lambda: load_profile(db, dataset.BUSY_CUSTOMER, today), repeat)
    return {
        "profile_ms": round(ms, 1),
        "first_call_ms": round(first_ms, 0),
        "interactions": view.interaction_count,  # type: ignore[attr-defined]
        "shown": len(view.timeline),  # type: ignore[attr-defined]
    }


def table(doc: dict[str, object]) -> None:
    print(f"{'customers':>10} {'profile ms':>11} {'first call ms':>14} {'contacts':>9}")
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        print(f"{n:>10} {row['profile_ms']:>11.1f} {row['first_call_ms']:>14.0f} {row['interactions']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure(common.book(folder, n, today), today)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
