"""Rough timings for kequ.domain.calendar.lunar; prints figures, asserts nothing.

Run: PYTHONPATH=src python bench/bench_calendar.py
"""

from __future__ import annotations

import datetime
import random
import time

from kequ.domain.calendar import lunar as cal

N = 100_000


def _customers(lunar: bool, rng: random.Random) -> list[cal.AnnualDate]:
    out = []
    for _ in range(N):
        month = rng.randint(1, 12)
        if lunar:
            # Leap birthdays are rare in real data; 1 in 20 still exercises the branch.
            leap = rng.random() < 0.05 and month in (2, 3, 4, 5, 6, 7)
            out.append(
                cal.AnnualDate(
                    month, rng.randint(1, 30), lunar=True, leap=leap, year=rng.choice((None, rng.randint(1950, 2005)))
                )
            )
        else:
            out.append(cal.AnnualDate(month, rng.randint(1, 28), year=rng.choice((None, rng.randint(1950, 2005)))))
    return out


def _per_call_us(dates: list[cal.AnnualDate], start: datetime.date, days: int) -> float:
    end = start + datetime.timedelta(days=days - 1)
    occurrences = cal.occurrences
    t = time.perf_counter()
    for d in dates:
        occurrences(d, start, end)
    return (time.perf_counter() - t) / len(dates) * 1e6


def main() -> None:
    # Festivals first, while no lunar-year table has been built: that is the real cold cost.
    t = time.perf_counter()
    cal.festivals(2031)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(1000):
        cal.festivals(2031)
    warm = (time.perf_counter() - t) / 1000
    print(f"festivals(2031) cold: {cold * 1e3:.2f} ms   warm: {warm * 1e6:.2f} µs")

    rng = random.Random(20260503)
    lunar = _customers(True, rng)
    solar = _customers(False, rng)
    windows = {
        "mid-year (2026-06-01, 30 days)": datetime.date(2026, 6, 1),
        "across new year (2026-12-20, 30 days)": datetime.date(2026, 12, 20),
        "across 春节 (2027-01-25, 30 days)": datetime.date(2027, 1, 25),
    }
    # Warm the lunar-year tables so the loop measures the steady state the agenda sees.
    for start in windows.values():
        cal.occurrences(lunar[0], start, start + datetime.timedelta(days=29))
    for label, start in windows.items():
        lu = _per_call_us(lunar, start, 30)
        so = _per_call_us(solar, start, 30)
        print(
            f"occurrences() {label}: lunar {lu:.2f} µs/call, solar {so:.2f} µs/call "
            f"({N:,} each: {lu * N / 1e3:.0f} ms + {so * N / 1e3:.0f} ms)"
        )


if __name__ == "__main__":
    main()
