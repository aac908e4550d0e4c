"""Agenda figures at 1k / 10k / 100k customers (20 interactions each, half with a lunar
birthday, key customers with a deal). Prints medians; not a test.

    python bench/bench_agenda.py [--sizes 1000,10000,100000] [--sqlite]

``due`` is the pure rule engine over a 30-day window; ``reduce`` turns the raw
interaction rows into last-contact days; ``--sqlite`` also times the whole service
path (load from a real SQLite file + rules) as the Today screen runs it.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

from kequ.agenda import AgendaInput, CustomerFacts, DatedEvent, DealFact, Rules, due, last_contacts
from kequ.calendar_cn import AnnualDate

TODAY = date(2026, 11, 23)
TIERS = ("key", "potential", "regular", "temporary")


def build(
    n: int, seed: int = 7
) -> tuple[list[CustomerFacts], list[tuple[int, str, date]], list[DatedEvent], list[DealFact]]:
    rng = random.Random(seed)
    people = [
        CustomerFacts(id=i, name=f"客户{i}", tier=TIERS[i % 4], added_on=TODAY - timedelta(days=rng.randint(0, 1500)))
        for i in range(1, n + 1)
    ]
    history = [
        (c.id, rng.choice(("call", "call", "visit", "message")), TODAY - timedelta(days=rng.randint(0, 400)))
        for c in people
        for _ in range(20)
    ]
    dates = [
        DatedEvent(
            c.id,
            c.id,
            "birthday",
            AnnualDate(rng.randint(1, 12), rng.randint(1, 29), lunar=c.id % 2 == 0),
            3 * (c.id % 3 == 0),
        )
        for c in people
        if c.id % 2 == 0 or c.id % 5 == 0
    ]
    deals = [
        DealFact(c.id, c.id, TODAY - timedelta(days=rng.randint(0, 30)))
        for c in people
        if c.tier == "key" and c.id % 8 == 0
    ]
    return people, history, dates, deals


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = perf_counter()
        result = fn()
        times.append((perf_counter() - start) * 1000)
    return statistics.median(times), result


def write_database(path: Path, people: list[CustomerFacts], history: list[tuple[int, str, date]]) -> Path:
    """A real kequ database file holding these customers and interactions."""
    from sqlalchemy import insert

    from kequ.db import Database, open_database
    from kequ.models import Customer, Interaction

    open_database(str(path), daily_backup=False)
    noon = time(4, 0, tzinfo=UTC)
    with Database(path).engine.begin() as conn:
        conn.execute(
            insert(Customer.__table__),  # type: ignore[arg-type]
            [
                Customer(id=c.id, name=c.name, tier=c.tier, created_at=datetime.combine(c.added_on, noon)).model_dump()
                for c in people
            ],
        )
        conn.execute(
            insert(Interaction.__table__),  # type: ignore[arg-type]
            [
                {"customer_id": cid, "kind": kind, "happened_at": datetime.combine(day, noon)}
                for cid, kind, day in history
            ],
        )
    return path


def sqlite_path(
    n: int, people: list[CustomerFacts], history: list[tuple[int, str, date]], folder: Path
) -> Callable[[], object]:
    from kequ.db import Database
    from kequ.services.agenda import agenda

    db = Database(write_database(folder / f"bench-{n}.db", people, history))
    return lambda: agenda(db, TODAY, TODAY + timedelta(days=30))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    rules = Rules()
    print(
        f"{'customers':>10} {'interactions':>13} {'due() ms':>9} {'items':>7} {'reduce ms':>10}"
        + (f" {'sqlite ms':>10}" if args.sqlite else "")
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            people, history, dates, deals = build(n)
            reduce_ms, last = median_ms(lambda history=history: last_contacts(history), 3)
            interactions = len(history)
            run_sqlite = sqlite_path(n, people, history, Path(tmp)) if args.sqlite else None
            # The app never holds raw history in memory; neither should the timed run, or the
            # garbage collector's full passes over two million fixture tuples get billed to due().
            del history
            gc.collect()
            data = AgendaInput(people, last, dates, deals)  # type: ignore[arg-type]
            due(data, rules, TODAY, TODAY + timedelta(days=30))  # warm the calendar caches
            ms, items = median_ms(lambda data=data: due(data, rules, TODAY, TODAY + timedelta(days=30)), 7)
            line = f"{n:>10} {interactions:>13} {ms:>9.1f} {len(items):>7} {reduce_ms:>10.1f}"  # type: ignore[arg-type]
            if run_sqlite is not None:
                run_sqlite()
                line += f" {median_ms(run_sqlite, 3)[0]:>10.1f}"
            print(line)


if __name__ == "__main__":
    main()
