"""The Customers search as the user types, and ``kequ search``: wall time and CPU time.

    python bench/bench_typing.py [--sizes 10000,100000] [--books DIR] [--runs 5] [--json]
    python bench/bench_typing.py --db BOOK.db [--db OTHER.db] --runs 5

The part of ``bench_screens.py`` that concerns the search, on its own and with the CPU
time of the work beside every wall time: the 2-core machine is shared, and a keystroke that
took 300 ms of wall time for 20 ms of CPU waited for the machine, not for kequ.

* a keystroke: one character typed into the Customers search box (what the key does, without
  Pilot's wait for an idle CPU) until the table shows the new answer and no worker runs; the
  typing sessions of ``bench_screens.TYPING`` (``zhang``, ``王总``, ``138``, ``szh``) typed
  ``--runs`` times on a settled list; per keystroke the median wall and CPU time (of the whole
  app process: the worker and the repaint); then the median over all keystrokes;
* ``kequ search zhang`` / ``张`` and ``kequ --help`` as processes under ``/usr/bin/time``
  (wall, user + system CPU, peak RSS), alternating, medians of ``--runs`` after a warm-up.

Each book is opened in a process of its own. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path
from time import perf_counter

import common
from bench_screens import CHILD_ENV, HERE, SIZE, _idle, _shown, _until, measure_commands, type_sessions

COMMANDS = (("search", ["search", "zhang"]), ("search_zh", ["search", "张"]))
TARGETS = {
    "keystroke_median_ms": {10_000: 50, 100_000: 100},
    "search_help_ratio": {10_000: 3, 100_000: 6},
    "cli_search_rss_mb": {10_000: 150, 100_000: 400},
}


async def _typing(path: Path, today: date, runs: int) -> dict[str, object]:
    from kequ.ui.app import KequApp
    from kequ.ui.screens.customers.customers import CustomersScreen

    app = KequApp(path, today=today)
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _idle(app), "Today loaded")
        app.action_go("customers")
        await _until(pilot, lambda: _shown(app, CustomersScreen), "Customers")
        screen = app.screen

        def record(text: str, wall: float, cpu: float) -> None:
            walls.setdefault(text, []).append(wall)
            cpus.setdefault(text, []).append(cpu)
            found[text] = screen.count  # type: ignore[attr-defined]

        for _ in range(runs):
            await type_sessions(pilot, app, record)
    per_key = {
        text: {
            "wall_ms": round(statistics.median(walls[text]), 1),
            "cpu_ms": round(statistics.median(cpus[text]), 1),
            "found": found[text],
        }
        for text in walls
    }
    every_wall = [w for values in walls.values() for w in values]
    every_cpu = [c for values in cpus.values() for c in values]
    return {
        "keystrokes": per_key,
        "keystroke_median_ms": round(statistics.median(every_wall), 1),
        "keystroke_worst_ms": round(max(every_wall), 1),
        "keystroke_cpu_median_ms": round(statistics.median(every_cpu), 1),
    }


def _commands(path: Path, runs: int) -> dict[str, object]:
    doc = measure_commands(path, runs, COMMANDS)
    cpu = doc["cli_search_cpu_ms"], doc["cli_help_cpu_ms"]
    doc["search_help_cpu_ratio"] = round(cpu[0] / max(cpu[1], 1), 2)  # type: ignore[operator, call-overload]
    return doc


def measure(path: Path, today: date, runs: int) -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--today", today.isoformat()]
    command += ["--runs", str(runs)]
    done = subprocess.run(command, capture_output=True, text=True, env=CHILD_ENV, check=False, cwd=HERE)
    if done.returncode != 0:
        raise RuntimeError(f"the app on {path.name} failed:\n{done.stderr[-3000:]}")
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    doc.update(_commands(path, runs))
    return doc


def table(doc: dict[str, object]) -> None:
    books: dict[str, dict[str, object]] = doc["books"]  # type: ignore[assignment]
    names = list(books)
    print(f"{'keystroke (wall / CPU ms)':<26}" + "".join(f"{name:>22}" for name in names))
    texts = list(next(iter(books.values()))["keystrokes"]) if books else []  # type: ignore[call-overload]
    for text in texts:
        cells = []
        for name in names:
            k = books[name]["keystrokes"][text]  # type: ignore[index]
            cells.append(f"{k['wall_ms']:>8} / {k['cpu_ms']:>5} ({k['found']})")
        print(f"{text:<26}" + "".join(f"{c:>22}" for c in cells))
    rows = (
        ("keystroke_median_ms", "keystroke, median (ms)"),
        ("keystroke_cpu_median_ms", "keystroke CPU, median (ms)"),
        ("keystroke_worst_ms", "keystroke, worst (ms)"),
        ("cli_search_ms", "kequ search zhang (ms)"),
        ("cli_search_cpu_ms", "  CPU (ms)"),
        ("cli_search_zh_ms", "kequ search 张 (ms)"),
        ("cli_search_zh_cpu_ms", "  CPU (ms)"),
        ("cli_help_ms", "kequ --help (ms)"),
        ("cli_help_cpu_ms", "  CPU (ms)"),
        ("search_help_ratio", "search ÷ --help (wall)"),
        ("search_help_cpu_ratio", "search ÷ --help (CPU)"),
        ("cli_search_rss_mb", "kequ search, peak RSS (MB)"),
    )
    print()
    for key, label in rows:
        print(f"{label:<26}" + "".join(f"{books[name].get(key, '—')!s:>22}" for name in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser, sizes="10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="typing sessions per book, runs per command")
    parser.add_argument("--db", type=Path, action="append", default=[], help="measure this book (repeatable)")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    today = args.today or date.today()
    if args.child is not None:
        print(json.dumps(asyncio.run(_typing(args.child, today, args.runs))))
        return
    log = sys.stderr if args.json else sys.stdout
    doc: dict[str, object] = {"today": today.isoformat(), "runs": args.runs, "books": {}}
    started = perf_counter()
    with common.books_folder(args.books) as folder:
        books = [(path.stem, path) for path in args.db] or [
            (str(n), common.book(folder, n, today)) for n in common.sizes_of(args.sizes)
        ]
        for name, path in books:
            print(f"{name}: {path.name}", file=log, flush=True)
            doc["books"][name] = measure(path, today, args.runs)  # type: ignore[index]
    doc["seconds"] = round(perf_counter() - started)
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
