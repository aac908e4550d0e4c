"""Start-up, the Today screen and memory: kequ beside a minimal Textual app, in one run.

    python bench/bench_startup.py [--sizes 1000,10000,100000] [--books DIR] [--runs 5] [--json]

For each book it launches separate processes, alternating so that whatever else the
machine does falls on both alike (one warm-up of each first, not counted):

* a minimal Textual app, headless: wall time from launch to ``on_ready`` (its first
  frame), and its peak RSS;
* ``kequ --db BOOK`` through its real command line, headless: to ``on_ready`` (first
  frame), to the Today list filled from the database (``filled``), to everything on
  Today loaded including the day's trip visits (``loaded``), and the process's peak RSS;
* ``kequ --db BOOK today --json`` (wall time to exit) beside ``python -c "import kequ"``.

Figures are medians of the runs, in milliseconds from process start. Before the runs
the day's backup is taken (``kequ.storage.backups.backup_if_due``), as on any launch after the
first of the day, so no run copies the file. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import common

from kequ.storage.backups import backup_if_due

# Peak RSS as the kernel keeps it for this process (VmHWM), printed at exit. Not the
# rusage of wait4: Linux folds the forking parent's peak into the child's ru_maxrss.
HWM = """
import atexit
def _hwm():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print("hwm", kb, flush=True)
atexit.register(_hwm)
"""

MINIMAL = (
    HWM
    + """
from textual.app import App
class Minimal(App):
    def on_ready(self):
        print("ready", flush=True)
        self.exit()
Minimal().run(headless=True)
"""
)

# The real command line with listeners attached: a line at the first frame, one when
# the Today list has been filled from the database, one when Today's workers are done.
KEQU = (
    HWM
    + """
import asyncio, importlib.machinery, sys

# The listeners are attached as the app's own modules are imported, not by importing them
# first: a real launch starts an encrypted book's key before the screens are imported.
patches = {}

class AfterImport:
    def find_spec(self, name, path, target=None):
        patch = patches.pop(name, None)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec

seen = []

async def settle(app):
    while any(w.group == "agenda" and not w.is_finished for w in app.workers):
        await asyncio.sleep(0.005)
    print("loaded", flush=True)
    app.exit()

def patch_today(module):
    shown = module.TodayScreen.show

    def show(self, items, *rest):
        shown(self, items, *rest)
        if not seen:
            seen.append(len(items))
            print("filled", len(items), flush=True)
            asyncio.get_running_loop().create_task(settle(self.app))

    module.TodayScreen.show = show

def patch_app(module):
    ready, run = module.KequApp.on_ready, module.KequApp.run

    def on_ready(self):
        print("ready", flush=True)
        ready(self)

    module.KequApp.on_ready = on_ready
    module.KequApp.run = lambda self, *a, **k: run(self, headless=True)

patches["kequ.ui.app"] = patch_app
patches["kequ.ui.screens.today.today"] = patch_today
sys.meta_path.insert(0, AfterImport())
from kequ.cli.main import main
main(["--db", sys.argv[1]])
"""
)

TIMEOUT_S = 180


# Launched like an installed program: pip compiles .pyc files at install, so the children
# may write bytecode (and kequ its parsed text catalogue) even where the shell says
# PYTHONDONTWRITEBYTECODE; a private prefix keeps the files out of the source tree.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kequ-bench-pycache")


def timed_lines(args: list[str]) -> dict[str, float]:
    """Seconds from launch to each first word printed and to exit ("exit"); peak RSS in MB if printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=CHILD_ENV)
    watchdog = threading.Timer(TIMEOUT_S, proc.kill)
    watchdog.start()
    seen: dict[str, float] = {}
    assert proc.stdout is not None and proc.stderr is not None
    for line in proc.stdout:
        word, _, rest = line.strip().partition(" ")
        if word == "hwm":
            seen["rss_mb"] = int(rest) / 1024
        seen.setdefault(word, time.perf_counter() - start)
    _pid, status, _usage = os.wait4(proc.pid, 0)
    seen["exit"] = time.perf_counter() - start
    watchdog.cancel()
    errors = proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[:3]} exited with {proc.returncode}:\n{errors[-2000:]}")
    return seen


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure(path: Path, runs: int = 5) -> dict[str, object]:
    py = sys.executable
    kequ = str(Path(py).parent / "kequ")
    backup_if_due(path)
    commands = {
        "minimal": [py, "-c", MINIMAL],
        "app": [py, "-c", KEQU, str(path)],
        "import": [py, "-c", "import kequ"],
        "cli": [kequ, "--db", str(path), "today", "--json"],
    }
    for command in commands.values():  # warm-up: the file cache, .pyc files
        timed_lines(command)
    got: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            got[name].append(timed_lines(command))
    ready, base = med(got["app"], "ready"), med(got["minimal"], "ready")
    cli, imported = med(got["cli"], "exit"), med(got["import"], "exit")
    return {
        "minimal_ready_ms": round(base * 1000),
        "first_frame_ms": round(ready * 1000),
        "first_frame_ratio": round(ready / base, 2),
        "today_filled_ms": round(med(got["app"], "filled") * 1000),
        "today_loaded_ms": round(med(got["app"], "loaded") * 1000),
        "today_json_ms": round(cli * 1000),
        "import_kequ_ms": round(imported * 1000),
        "today_json_ratio": round(cli / imported, 2),
        "peak_rss_mb": round(max(r["rss_mb"] for r in got["app"])),
        "minimal_rss_mb": round(max(r["rss_mb"] for r in got["minimal"])),
        "db_mb": round(path.stat().st_size / 1e6, 1),
        "runs": runs,
    }


def table(doc: dict[str, object]) -> None:
    print(
        f"{'customers':>10} {'minimal':>8} {'1st frame':>10} {'ratio':>6} {'filled':>7} {'loaded':>7}"
        f" {'today--json':>12} {'import':>7} {'ratio':>6} {'RSS MB':>7} {'min RSS':>8} {'db MB':>6}"
    )
    for n, r in doc["sizes"].items():  # type: ignore[attr-defined]
        print(
            f"{n:>10} {r['minimal_ready_ms']:>8} {r['first_frame_ms']:>10} {r['first_frame_ratio']:>6.2f}"
            f" {r['today_filled_ms']:>7} {r['today_loaded_ms']:>7} {r['today_json_ms']:>12} {r['import_kequ_ms']:>7}"
            f" {r['today_json_ratio']:>6.2f} {r['peak_rss_mb']:>7} {r['minimal_rss_mb']:>8} {r['db_mb']:>6}"
        )
    print("(times in ms from launch, medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = args.today or date.today()
    doc: dict[str, object] = {"sizes": {}}
    with common.books_folder(args.books) as folder:
        for n in common.sizes_of(args.sizes):
            doc["sizes"][n] = measure(common.book(folder, n, today), args.runs)  # type: ignore[index]
    common.emit(doc, args.json, table)


if __name__ == "__main__":
    main()
