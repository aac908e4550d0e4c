"""The agenda over a 30-day window in books of 1k / 10k / 100k customers. Prints medians; not a test.

    python bench/bench_agenda.py [--sizes 1000,10000,100000] [--books DIR] [--json]

Three figures per book (see ``dataset.py`` for what a book holds), each the median of
repeated in-process runs after one warm-up:

* ``due_ms``: the rule engine (``kequ.domain.agenda.rules.due``) over the 30-day window, on the
  input as the app reads it: the computation the target is about;
* ``read_ms``: reading that input from the SQLite file with the plain-SQL reader
  (``services.agenda_read.read_input`` and ``read_rules``);
* ``service_ms``: the whole ``services.agenda_read.agenda`` call, read and rules
  together, as the Today screen and ``kequ today`` run it.
"""

from __future__ import annotations

import argparse
import gc
from datetime import date, timedelta

import common

from kequ.domain.agenda.rules import due
from kequ.storage.database import Database
from kequ.storage.fast_reads.agenda import agenda, read_input, read_rules

WINDOW_DAYS = 30


def measure(path, today: date, repeat: int = 15) -> dict[str, object]:  # type: ignore[no-untyped-def]
    db = Database(path)
    until = today + timedelta(days=WINDOW_DAYS)

    def read():  # type: ignore[no-untyped-def]
        with db.reader() as conn:  # as services.agenda_read.agenda reads them
            rules = read_rules(conn)
            try:
                return read_input(conn, today, rules), rules
            except TypeError:  # the reader before issue #10 read every kind, for before/after runs
                return read_input(conn, today), rules  # type: ignore[call-arg]

    read()
    read_ms, (data, rules) = common.median_ms(read, max(3, repeat // 3))  # type: ignore[misc]
    gc.collect()
    due(data, rules, today, until)  # warm the calendar's caches
    due_ms, items = common.median_ms(lambda: due(data, rules, today, until), repeat)
    service_ms, _ = common.median_ms(lambda: agenda(db, today, until), max(3, repeat // 3))
    return {
        "due_ms": round(due_ms, 1),
        "read_ms": round(read_ms, 1),
        "service_ms": round(service_ms, 1),
        "items": len(items),  # type: ignore[arg-type]
    }


def table(doc: dict[str, object]) -> None:
    print(f"{'customers':>10} {'due() ms':>9} {'read ms':>8} {'agenda() ms':>12} {'items':>7}")
    for n, row in doc["sizes"].items():  # type: ignore[attr-defined]
        print(f"{n:>10} {row['due_ms']:>9.1f} {row['read_ms']:>8.1f} {row['service_ms']:>12.1f} {row['items']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"window_days": WINDOW_DAYS, "sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure(common.book(folder, n, today), today, args.repeat)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
