"""Where the CPU of opening one screen goes, inside the app as bench_screens.py drives it.
Prints figures; not a test.

    python bench/profile_open.py BOOK [--mode review] [--opens 6] [--today 2026-12-07] [--profile OUT]

Launches the app headless on BOOK (a copy: the app writes to the books it opens), waits for
Today, then opens the mode's screen ``--opens`` times, each built afresh from Today as
bench_screens.py builds it. For each open: the CPU of the whole process (every thread: the
screen's reading workers too) and of the main thread alone (Textual composing, styling and
drawing, and the 2 ms poll that waits for the screen). The first open also imports the
screen's modules. ``--profile OUT`` runs cProfile on the main thread over the opens after the
first and writes its statistics to OUT (read them with ``python -m pstats OUT``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import time
from datetime import date
from pathlib import Path

import bench_screens as screens


async def measure(book: Path, today: date, mode: str, opens: int, profile: Path | None) -> None:
    from kequ.ui.app import KequApp
    from kequ.ui.screens.today.today import TodayScreen

    app = KequApp(book, today=today)
    profiler = cProfile.Profile()
    on_today = lambda: isinstance(app.screen, TodayScreen) and screens._idle(app)  # noqa: E731
    # The mode's screen shown, its workers done and (for the screens that say) its data in.
    opened = lambda: type(app.screen) is not TodayScreen and screens._shown(app, object)  # noqa: E731
    async with app.run_test(size=screens.SIZE) as pilot:
        await screens._until(pilot, on_today, "Today")
        for n in range(opens):
            app.action_go("today")
            await screens._until(pilot, on_today, "Today")
            app.remove_mode(mode)
            app.add_mode(mode, getattr(app, f"_{mode}"))
            process, main = time.process_time(), time.thread_time()
            if profile and n:
                profiler.enable()
            app.action_go(mode)
            await screens._until(pilot, opened, mode)
            if profile and n:
                profiler.disable()
            process, main = (time.process_time() - process) * 1000, (time.thread_time() - main) * 1000
            print(f"open {n + 1}: {process:6.0f} ms CPU, of which the main thread {main:6.0f} ms")
    if profile:
        profiler.dump_stats(profile)
        print(f"main thread's profile of opens 2 to {opens}: {profile}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--mode", default="review", help="today, customers, complaints, festivals, trips, review")
    parser.add_argument("--opens", type=int, default=6)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 7))
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    asyncio.run(measure(args.book, args.today, args.mode, args.opens, args.profile))


if __name__ == "__main__":
    main()
