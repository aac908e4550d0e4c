"""Opening a profile with 500 interactions, in books of 1k / 10k / 100k customers.

    python bench/bench_profile.py [--sizes 1000,10000,100000]

Times the Profile screen's whole read (``load_profile``: the customer, the latest 500
contacts, the count, dates, gifts, complaints, colleagues). Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bench_agenda
from sqlalchemy import insert

from kequ.db import Database
from kequ.models import Interaction
from kequ.services.profile import load_profile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    print(f"{'customers':>10} {'profile ms (500 contacts)':>26}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            people, history, _dates, _deals = bench_agenda.build(n)
            path = bench_agenda.write_database(Path(tmp) / f"profile-{n}.db", people, history)
            db = Database(path)
            busy = people[0].id
            start = datetime(2025, 1, 1, 9, tzinfo=UTC)
            with db.engine.begin() as conn:
                conn.execute(
                    insert(Interaction.__table__),  # type: ignore[arg-type]
                    [
                        {"customer_id": busy, "kind": "call", "happened_at": start + timedelta(hours=12 * i)}
                        for i in range(500)
                    ],
                )
            load_profile(db, busy, bench_agenda.TODAY)  # warm the engine and the imports
            ms, _ = bench_agenda.median_ms(lambda db=db, busy=busy: load_profile(db, busy, bench_agenda.TODAY), 9)
            print(f"{n:>10} {ms:>26.1f}")


if __name__ == "__main__":
    main()
