"""What the user waits for on the real screens and commands, at 1k / 10k / 100k and on the demo book.

    python bench/bench_screens.py [--sizes 1000,10000,100000] [--books DIR] [--runs 3] [--json]

The app is driven headless with Textual's Pilot (``App.run_test``), the way the tests drive
it, each book in a process of its own (so one book's memory does not flatter the next):

* launch to Today filled: from ``run_test`` entered to the Today list filled from the book;
* opening a screen: from the key (or the push) to the screen showing what it read: the
  Customers list with its first page of rows (``customers``), a profile with 500 contacts,
  Complaints, Festivals, a greeting run for the first festival listed, Trips, the Review
  (key 6, this week's figures), and the import preview of a 10,000-row CSV (from choosing
  the file to its columns, what each becomes and its first rows on the screen; the dry run's
  counts and problems come after, timed on their own as ``import checked``, until they are
  shown and the import may start);
  each a fresh screen (the mode is rebuilt before every run), median of ``--runs``;
  ``customers settled`` is until every Customers worker is done too (the at-risk marks,
  the filter counts);
* a keystroke in the Customers search: from the key to the table repainted with the
  matches (no search worker left running, one refresh), median and worst of the typing
  sessions below;
* the app's peak RSS (VmHWM) in that process.

Then, as separate processes under ``/usr/bin/time`` (wall time and peak RSS of the command
itself): ``kequ search 张``/``zhang``, ``kequ today``, ``kequ festivals --greet-list``,
``kequ remind --print`` and ``kequ --help``, and the ratio of ``search`` to ``--help``.

Every figure is also taken on the demo book (``kequ demo``) in the same run, and the
100k ÷ 10k growth is printed per measure. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter, process_time

import common

HERE = Path(__file__).parent
SIZE = (160, 45)
TIMEOUT_S = float(os.environ.get("KEQU_BENCH_TIMEOUT", "120"))
# What a salesperson types in the Customers search, one session after another.
TYPING = (("z", "zh", "zha", "zhan", "zhang"), ("王", "王总"), ("1", "13", "138"), ("s", "sz", "szh"))
# (label, the process's arguments after ``kequ --db BOOK``)
COMMANDS = (
    ("search", ["search", "zhang"]),
    ("search_zh", ["search", "张"]),
    ("today", ["today"]),
    ("greet_list", ["festivals", "--greet-list", "spring_festival"]),
    # What the scheduler runs; --print reads and words the same reminders without a desktop to
    # show them on, and without marking them shown (each run finds the same ones).
    ("remind", ["remind", "--print"]),
)
SCREENS = (
    "customers",
    "customers_settled",
    "profile_500",
    "complaints",
    "festivals",
    "greeting_run",
    "trips",
    "review",
    "import_preview_10k",
    "import_checked_10k",
)

# Launched like an installed program (see bench_startup.py): bytecode in a private prefix.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kequ-bench-pycache")


# --------------------------------------------------------------------------- in the app


async def type_sessions(pilot, app, record) -> None:  # type: ignore[no-untyped-def]
    """Type each session of TYPING into the Customers search on screen, one character at a
    time, and ``record(text, wall_ms, cpu_ms)`` each keystroke until the table shows its answer."""
    from textual.widgets import Input

    screen = app.screen
    box = screen.query_one("#search", Input)
    for session in TYPING:
        box.value = ""
        box.focus()
        await _until(pilot, lambda: _idle(app), "cleared search")
        await pilot.pause(0.05)
        typed = ""
        for text in session:
            key = text[len(typed) :]
            typed = text
            before = screen.found
            t0, c0 = perf_counter(), process_time()
            box.insert_text_at_cursor(key)  # what the key does, without Pilot's wait for an idle CPU
            await _until(pilot, lambda b=before: screen.found is not b and _idle(app), "search")
            record(text, (perf_counter() - t0) * 1000, (process_time() - c0) * 1000)


async def _until(pilot, ready, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``ready()`` holds twice running (a worker started just after a refresh would
    otherwise pass for one finished), then until every message the screen holds is handled and
    it has been drawn, and ``ready()`` still holds.

    The check itself runs every 2 ms on a bare sleep: Pilot's pause sends a message to every
    widget of the screen and waits for each, about 0.3 s of CPU per second of waiting on Today
    at 100k, taken from the app it measures (a user's terminal asks nothing of the app). The
    end is still Pilot's: the screen's pending messages handled and a frame drawn."""
    deadline = perf_counter() + TIMEOUT_S
    held = 0
    while True:
        if perf_counter() > deadline:
            app = pilot.app
            state = [(w.name, w.group, w.state.name) for w in app.workers]
            raise RuntimeError(f"{what} never became ready: on {type(app.screen).__name__}, workers {state}")
        await asyncio.sleep(0.002)
        held = held + 1 if ready() else 0
        if held >= 2:
            await pilot.pause(0)
            if ready():
                return
            held = 0


def _idle(app) -> bool:  # type: ignore[no-untyped-def]
    # A DirectoryTree's loader (the import screen's file picker) runs as long as the tree.
    return not any(worker.is_running and worker.group != "_loader" for worker in app.workers)


def _import_shown(importer) -> bool:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable

    columns = importer.query_one("#import-columns", DataTable)
    return importer.stage in ("checking", "preview") and columns.row_count > 0


def _shown(app, kind: type) -> bool:  # type: ignore[no-untyped-def]
    screen = app.screen
    return isinstance(screen, kind) and _idle(app) and getattr(screen, "loaded", True) is not None


async def _measure_app(path: Path, today: date, runs: int, csv_path: Path) -> dict[str, object]:
    from textual.widgets import DataTable

    from kequ.ui.app import KequApp
    from kequ.ui.screens.complaints.complaints import ComplaintsScreen
    from kequ.ui.screens.customers.customers import CustomersScreen
    from kequ.ui.screens.customers.profile import ProfileScreen
    from kequ.ui.screens.festivals.festivals import FestivalsScreen, GreetingRun
    from kequ.ui.screens.importer.importer import ImportScreen
    from kequ.ui.screens.review.review import ReviewScreen
    from kequ.ui.screens.today.today import TodayScreen
    from kequ.ui.screens.trips.trips import TripsScreen

    filled: list[float] = []
    filled_cpu: list[float] = []
    shown = TodayScreen.show

    def show(self, items, *rest):  # type: ignore[no-untyped-def]
        shown(self, items, *rest)
        if not filled:
            filled.append(perf_counter())
            filled_cpu.append(process_time())

    TodayScreen.show = show  # type: ignore[method-assign]
    app = KequApp(path, today=today)
    times: dict[str, list[float]] = {name: [] for name in SCREENS}
    # CPU seconds of the whole process (every thread) over the same span: on a loaded
    # machine the wall time grows and the CPU time does not, which tells the two apart.
    cpu: dict[str, list[float]] = {name: [] for name in SCREENS}
    keystrokes: list[float] = []
    started, cpu_started = perf_counter(), process_time()
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: bool(filled), "Today")
        today_filled_ms = (filled[0] - started) * 1000
        today_filled_cpu_ms = (filled_cpu[0] - cpu_started) * 1000
        await _until(pilot, lambda: _idle(app), "Today loaded")

        modes = {
            "customers": CustomersScreen,
            "complaints": ComplaintsScreen,
            "festivals": FestivalsScreen,
            "trips": TripsScreen,
            "review": ReviewScreen,
        }

        async def fresh(mode: str) -> None:
            """Back on Today, with the mode's screen to be built anew on its key."""
            app.action_go("today")  # not the key "1": the Customers search box would take it
            await _until(pilot, lambda: isinstance(app.screen, TodayScreen) and _idle(app), "Today")
            app.remove_mode(mode)
            app.add_mode(mode, getattr(app, f"_{mode}"))

        def customers_first_page() -> bool:
            screen = app.screen
            return isinstance(screen, CustomersScreen) and screen.query_one("#customers", DataTable).row_count > 0

        for _ in range(runs):
            for mode, kind in modes.items():
                await fresh(mode)
                t0, c0 = perf_counter(), process_time()
                app.action_go(mode)  # what the key runs, without Pilot's wait for an idle CPU
                if kind is CustomersScreen:
                    await _until(pilot, customers_first_page, "Customers' first page")
                    times["customers"].append((perf_counter() - t0) * 1000)
                    cpu["customers"].append((process_time() - c0) * 1000)
                    await _until(pilot, lambda: _shown(app, CustomersScreen), "Customers settled")
                    times["customers_settled"].append((perf_counter() - t0) * 1000)
                    cpu["customers_settled"].append((process_time() - c0) * 1000)
                    continue
                await _until(pilot, lambda kind=kind: _shown(app, kind), mode)  # type: ignore[misc]
                times[mode].append((perf_counter() - t0) * 1000)
                cpu[mode].append((process_time() - c0) * 1000)

            # A greeting run for the first festival the Festivals screen lists (it is open).
            app.action_go("festivals")
            await _until(pilot, lambda: _shown(app, FestivalsScreen), "Festivals")
            rows = app.screen.loaded or []  # type: ignore[attr-defined]
            if rows:
                t0, c0 = perf_counter(), process_time()
                app.push_screen(GreetingRun(rows[0].key, rows[0].date, today))
                await _until(pilot, lambda: _shown(app, GreetingRun), "greeting run")
                times["greeting_run"].append((perf_counter() - t0) * 1000)
                cpu["greeting_run"].append((process_time() - c0) * 1000)
                app.pop_screen()

            await fresh("customers")
            app.action_go("customers")
            await _until(pilot, lambda: _shown(app, CustomersScreen), "Customers")
            t0, c0 = perf_counter(), process_time()
            app.push_screen(ProfileScreen(1, today))
            await _until(pilot, lambda: _shown(app, ProfileScreen), "profile")
            times["profile_500"].append((perf_counter() - t0) * 1000)
            cpu["profile_500"].append((process_time() - c0) * 1000)
            app.pop_screen()

            importer = ImportScreen(start=csv_path.parent)
            app.push_screen(importer)
            await _until(pilot, lambda: _shown(app, ImportScreen), "import")
            t0, c0 = perf_counter(), process_time()
            importer.open_file(str(csv_path))
            # Shown: the columns, their fields and the first rows are in the table, the
            # dry run still going (or done). Checked: its counts and problems are shown
            # and the import may start.
            await _until(pilot, lambda i=importer: _import_shown(i), "import preview")  # type: ignore[misc]
            times["import_preview_10k"].append((perf_counter() - t0) * 1000)
            cpu["import_preview_10k"].append((process_time() - c0) * 1000)
            await _until(pilot, lambda i=importer: i.stage == "preview" and _idle(app), "import checked")  # type: ignore[misc]
            times["import_checked_10k"].append((perf_counter() - t0) * 1000)
            cpu["import_checked_10k"].append((process_time() - c0) * 1000)
            app.pop_screen()

        # Keystrokes in the Customers search, on a settled list.
        await fresh("customers")
        app.action_go("customers")
        await _until(pilot, lambda: _shown(app, CustomersScreen), "Customers")
        screen = app.screen
        await type_sessions(pilot, app, lambda _text, wall, _cpu: keystrokes.append(wall))
        found = len(screen.found)  # type: ignore[attr-defined]
    doc: dict[str, object] = {
        "today_filled_ms": round(today_filled_ms),
        "today_filled_cpu_ms": round(today_filled_cpu_ms),
    }
    for name, values in times.items():
        doc[f"{name}_ms"] = round(statistics.median(values)) if values else None
        doc[f"{name}_cpu_ms"] = round(statistics.median(cpu[name])) if cpu[name] else None
    doc["keystroke_median_ms"] = round(statistics.median(keystrokes), 1)
    doc["keystroke_worst_ms"] = round(max(keystrokes), 1)
    doc["keystrokes"] = len(keystrokes)
    doc["last_search_found"] = found
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    doc["app_rss_mb"] = round(int(kb) / 1024)
    return doc


def child(path: Path, today: date, runs: int, csv_path: Path) -> None:
    """One book in this process: print its figures as one JSON line."""
    doc = asyncio.run(_measure_app(path, today, runs, csv_path))
    print(json.dumps(doc))


# --------------------------------------------------------------------------- processes


def timed(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one command, as
    /usr/bin/time sees it."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        started = perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-o", out.name, "-f", "%M %U %S", *args],
            capture_output=True,
            env=CHILD_ENV,
            check=False,
        )
        wall = perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{args[:4]} exited with {done.returncode}: {done.stderr[-2000:]!r}")
        kb, user, system = out.read().strip().splitlines()[-1].split()
    return wall, int(kb) / 1024, float(user) + float(system)


def measure_commands(path: Path, runs: int, which: tuple[tuple[str, list[str]], ...] = COMMANDS) -> dict[str, object]:
    """Wall time, CPU time and peak RSS of each command of ``which`` beside ``kequ --help``."""
    kequ = str(Path(sys.executable).parent / "kequ")
    commands = {"help": [kequ, "--help"]} | {name: [kequ, "--db", str(path), *rest] for name, rest in which}
    for command in commands.values():  # warm-up: the file cache, .pyc files
        timed(command)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for name, command in commands.items():  # alternating, so the machine's mood falls on all alike
            wall, mb, seconds = timed(command)
            walls[name].append(wall)
            cpus[name].append(seconds)
            rss[name] = max(rss[name], mb)
    doc: dict[str, object] = {}
    for name in commands:
        doc[f"cli_{name}_ms"] = round(statistics.median(walls[name]) * 1000)
        doc[f"cli_{name}_cpu_ms"] = round(statistics.median(cpus[name]) * 1000)
        doc[f"cli_{name}_rss_mb"] = round(rss[name])
    doc["search_help_ratio"] = round(statistics.median(walls["search"]) / statistics.median(walls["help"]), 2)
    return doc


# --------------------------------------------------------------------------- books


def demo_book(folder: Path, today: date) -> Path:
    """The book ``kequ demo`` fills, made once per schema and day."""
    from kequ.storage.database import SCHEMA_VERSION

    path = folder / f"demo-schema{SCHEMA_VERSION}-{today.isoformat()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        kequ = str(Path(sys.executable).parent / "kequ")
        subprocess.run([kequ, "--db", str(partial), "demo"], check=True, capture_output=True, env=CHILD_ENV)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
    return path


def import_csv(folder: Path) -> Path:
    """The 10,000-row GBK CSV of bench_io, as Excel on Chinese Windows writes it."""
    from bench_io import csv_bytes

    path = folder / "import-10000.csv"
    if not path.exists():
        path.write_bytes(csv_bytes(10_000))
    return path


def measure(path: Path, today: date, runs: int, csv_path: Path) -> dict[str, object]:
    # The day's copy of the book first, as on every launch but the day's first: at 100k it is a
    # minute of copying and checking 900 MB that no screen waits for, yet it would share the
    # cores with the first launch measured (and outrun its timeout).
    kequ = str(Path(sys.executable).parent / "kequ")
    subprocess.run([kequ, "--db", str(path), "today", "--limit", "1"], capture_output=True, env=CHILD_ENV, check=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--today", today.isoformat()]
    command += ["--runs", str(runs), "--csv", str(csv_path)]
    done = subprocess.run(command, capture_output=True, text=True, env=CHILD_ENV, check=False, cwd=HERE)
    if done.returncode != 0:
        raise RuntimeError(f"the app on {path.name} failed:\n{done.stderr[-3000:]}")
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    doc.update(measure_commands(path, runs))
    return doc


# --------------------------------------------------------------------------- output

ROWS = (
    ("today_filled_ms", "launch to Today filled (ms)"),
    ("today_filled_cpu_ms", "  CPU time of it (ms)"),
    ("customers_ms", "open Customers, first page (ms)"),
    ("customers_cpu_ms", "  CPU time of it (ms)"),
    ("customers_settled_ms", "open Customers, all loaded (ms)"),
    ("profile_500_ms", "open a profile with 500 contacts (ms)"),
    ("profile_500_cpu_ms", "  CPU time of it (ms)"),
    ("complaints_ms", "open Complaints (ms)"),
    ("complaints_cpu_ms", "  CPU time of it (ms)"),
    ("festivals_ms", "open Festivals (ms)"),
    ("festivals_cpu_ms", "  CPU time of it (ms)"),
    ("greeting_run_ms", "start a greeting run (ms)"),
    ("greeting_run_cpu_ms", "  CPU time of it (ms)"),
    ("trips_ms", "open Trips (ms)"),
    ("trips_cpu_ms", "  CPU time of it (ms)"),
    ("review_ms", "open Review (ms)"),
    ("review_cpu_ms", "  CPU time of it (ms)"),
    ("import_preview_10k_ms", "import preview, 10k rows (ms)"),
    ("import_preview_10k_cpu_ms", "  CPU time of it (ms)"),
    ("import_checked_10k_ms", "import checked, 10k rows (ms)"),
    ("import_checked_10k_cpu_ms", "  CPU time of it (ms)"),
    ("keystroke_median_ms", "search keystroke to repaint, median (ms)"),
    ("keystroke_worst_ms", "search keystroke to repaint, worst (ms)"),
    ("app_rss_mb", "app peak RSS (MB)"),
    ("cli_search_ms", "kequ search zhang (ms)"),
    ("cli_search_zh_ms", "kequ search 张 (ms)"),
    ("cli_help_ms", "kequ --help (ms)"),
    ("search_help_ratio", "search ÷ --help (x)"),
    ("cli_today_ms", "kequ today (ms)"),
    ("cli_today_cpu_ms", "  CPU time of it (ms)"),
    ("cli_greet_list_ms", "kequ festivals --greet-list (ms)"),
    ("cli_greet_list_cpu_ms", "  CPU time of it (ms)"),
    ("cli_remind_ms", "kequ remind --print (ms)"),
    ("cli_remind_cpu_ms", "  CPU time of it (ms)"),
    ("cli_search_rss_mb", "kequ search, peak RSS (MB)"),
    ("cli_today_rss_mb", "kequ today, peak RSS (MB)"),
    ("cli_greet_list_rss_mb", "kequ festivals --greet-list, peak RSS (MB)"),
    ("cli_remind_rss_mb", "kequ remind --print, peak RSS (MB)"),
    ("cli_help_rss_mb", "kequ --help, peak RSS (MB)"),
)

# measure -> {size: at most}; the targets (2 cores)
_OPEN = {10_000: 300, 100_000: 1000}
TARGETS: dict[str, dict[int, float]] = {
    "customers_ms": _OPEN,
    "profile_500_ms": _OPEN,
    "complaints_ms": _OPEN,
    "festivals_ms": _OPEN,
    "greeting_run_ms": _OPEN,
    "trips_ms": _OPEN,
    "review_ms": _OPEN,
    "import_preview_10k_ms": _OPEN,
    "keystroke_median_ms": {10_000: 50, 100_000: 100},
    "search_help_ratio": {10_000: 3, 100_000: 6},
    "today_filled_ms": {100_000: 1500},
    "app_rss_mb": {10_000: 150, 100_000: 400},
    "cli_search_rss_mb": {10_000: 150, 100_000: 400},
    "cli_today_rss_mb": {10_000: 150, 100_000: 400},
    "cli_greet_list_rss_mb": {10_000: 150, 100_000: 400},
    "cli_remind_rss_mb": {10_000: 150, 100_000: 400},
}


def checks(doc: dict[str, object]) -> dict[str, dict[str, bool]]:
    """Per measure and size: whether the figure meets its target."""
    out: dict[str, dict[str, bool]] = {}
    for key, limits in TARGETS.items():
        for n, limit in limits.items():
            value = doc["books"].get(str(n), {}).get(key)  # type: ignore[attr-defined]
            if value is not None:
                out.setdefault(key, {})[str(n)] = value <= limit
    return out


def _label(name: str) -> str:
    return name if not name.isdigit() else f"{int(name) // 1000}k"


def table(doc: dict[str, object]) -> None:
    books: dict[str, dict[str, object]] = doc["books"]  # type: ignore[assignment]
    names = list(books)
    growth = "10000" in books and "100000" in books
    width = max(len(label) for _key, label in ROWS)
    head = f"| {'what the user waits for':<{width}} | " + " | ".join(f"{_label(n):>7}" for n in names)
    head += " | 100k÷10k |" if growth else " |"
    print(head + " target          | ok   |")
    print("|" + "-" * (width + 2) + "|" + "|".join("-" * 9 for _ in names) + ("|----------|" if growth else "|")
          + "-----------------|------|")  # fmt: skip
    ok = doc["ok"]
    for key, label in ROWS:
        cells = []
        for n in names:
            value = books[n].get(key)
            cells.append("—" if value is None else f"{value:g}")
        line = f"| {label:<{width}} | " + " | ".join(f"{c:>7}" for c in cells)
        if growth:
            small, big = books["10000"].get(key), books["100000"].get(key)
            ratio = f"{big / small:.1f}" if small and big is not None else "—"  # type: ignore[operator]
            line += f" | {ratio:>8} |"
        else:
            line += " |"
        limits = TARGETS.get(key, {})
        aim = ", ".join(f"≤{v:g} ({_label(str(n))})" for n, v in limits.items())
        verdicts = ok.get(key, {})  # type: ignore[attr-defined]
        mark = "" if not verdicts else ("yes" if all(verdicts.values()) else "MISS")
        print(f"{line} {aim:<15} | {mark:<4} |")


def compare(before: dict[str, object], after: dict[str, object]) -> None:
    """Two saved runs side by side: each figure before → after, per book."""
    old: dict[str, dict[str, object]] = before["books"]  # type: ignore[assignment]
    new: dict[str, dict[str, object]] = after["books"]  # type: ignore[assignment]
    names = [n for n in new if n in old]
    width = max(len(label) for _key, label in ROWS)
    print(f"| {'before → after':<{width}} | " + " | ".join(f"{_label(n):>15}" for n in names) + " |")
    print("|" + "-" * (width + 2) + "|" + "|".join("-" * 17 for _ in names) + "|")
    for key, label in ROWS:
        cells = []
        for n in names:
            a, b = old[n].get(key), new[n].get(key)
            cells.append("—" if a is None or b is None else f"{a:g} → {b:g}")
        print(f"| {label:<{width}} | " + " | ".join(f"{c:>15}" for c in cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=3, help="opens of each screen and runs of each command")
    parser.add_argument("--no-demo", action="store_true", help="leave out the demo book")
    parser.add_argument("--show", type=Path, default=None, help="print the table of a saved --json run and stop")
    parser.add_argument("--against", type=Path, default=None, help="with --show: an earlier run, shown before → after")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    today = args.today or date.today()
    if args.child is not None:
        child(args.child, today, args.runs, args.csv)
        return
    if args.show is not None:
        shown = json.loads(args.show.read_text(encoding="utf-8"))
        if args.against is not None:
            compare(json.loads(args.against.read_text(encoding="utf-8")), shown)
        else:
            table(shown)
        return
    log = sys.stderr if args.json else sys.stdout
    doc: dict[str, object] = {"today": today.isoformat(), "runs": args.runs, "books": {}}
    started = perf_counter()
    with common.books_folder(args.books) as folder:
        csv_path = import_csv(folder)
        books: list[tuple[str, Path]] = [] if args.no_demo else [("demo", demo_book(folder, today))]
        books += [(str(n), common.book(folder, n, today)) for n in common.sizes_of(args.sizes)]
        for name, path in books:
            print(f"{_label(name)}: {path.name}", file=log, flush=True)
            doc["books"][name] = measure(path, today, args.runs, csv_path)  # type: ignore[index]
    doc["ok"] = checks(doc)
    doc["all_ok"] = all(all(v.values()) for v in doc["ok"].values())  # type: ignore[attr-defined]
    doc["seconds"] = round(perf_counter() - started)
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
