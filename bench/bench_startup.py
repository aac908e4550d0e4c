"""Start-up figures: a minimal Textual app beside kequ, measured in one run.

    python bench/bench_startup.py [--sizes 1000,10000] [--runs 5]

For each database size it launches, as separate processes in a headless terminal:
a minimal Textual app (time to ``on_ready``); ``kequ`` (time to its first frame, and to
the Today list filled from the database); ``kequ today --json`` (wall time) beside
``python -c "import kequ"``. Times are wall clock from process start, medians of runs.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_agenda

MINIMAL = """
from textual.app import App
class Minimal(App):
    def on_ready(self):
        print("ready", flush=True)
        self.exit()
Minimal().run(headless=True)
"""

# The real command line, with two listeners attached: one line when the first frame is
# ready and one when the Today list has been filled from the database.
KEQU = """
import sys
from kequ.app import KequApp
from kequ.screens.today import TodayScreen
from kequ.cli import main
shown = TodayScreen.show
def show(self, items):
    shown(self, items)
    print("filled", len(items), flush=True)
    self.app.exit()
def on_ready(self):
    print("ready", flush=True)
TodayScreen.show = show
KequApp.on_ready = on_ready
original_run = KequApp.run
KequApp.run = lambda self: original_run(self, headless=True)
main(["--db", sys.argv[1]])
"""


def timed_lines(args: list[str]) -> dict[str, float]:
    """Seconds from launch to each first word printed, to exit ("exit"), and peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word = line.split(" ", 1)[0].strip()
        seen.setdefault(word, time.perf_counter() - start)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    seen["exit"] = time.perf_counter() - start
    seen["rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return seen


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs if key in r)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    kequ = str(Path(py).parent / "kequ")
    minimal = [timed_lines([py, "-c", MINIMAL]) for _ in range(args.runs)]
    imports = [timed_lines([py, "-c", "import kequ"]) for _ in range(args.runs)]
    base = median(minimal, "ready")
    imported = median(imports, "exit")
    print(f"minimal Textual app, on_ready: {base * 1000:.0f} ms;  python -c 'import kequ': {imported * 1000:.0f} ms")
    header = (
        f"{'customers':>10} {'first frame ms':>15} {'x minimal':>10} {'Today filled ms':>16} {'today --json ms':>16}"
    )
    print(header + f" {'peak RSS MB':>12} {'db MB':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            people, history, _dates, _deals = bench_agenda.build(n)
            path = bench_agenda.write_database(Path(tmp) / f"startup-{n}.db", people, history)
            app_runs = [timed_lines([py, "-c", KEQU, str(path)]) for _ in range(args.runs)]
            cli_runs = [timed_lines([kequ, "--db", str(path), "today", "--json"]) for _ in range(args.runs)]
            ready = median(app_runs, "ready")
            filled = median(app_runs, "filled")
            print(
                f"{n:>10} {ready * 1000:>15.0f} {ready / base:>10.2f} {filled * 1000:>16.0f}"
                f" {median(cli_runs, 'exit') * 1000:>16.0f} {max(r['rss_mb'] for r in app_runs):>12.0f}"
                f" {path.stat().st_size / 1e6:>7.1f}"
            )


if __name__ == "__main__":
    main()
