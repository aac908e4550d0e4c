"""Every benchmark, one after the other, at the same sizes: the figures for an issue note.

    python bench/run.py [--sizes 1000,10000,100000]

Runs bench_agenda, bench_search, bench_profile, bench_startup and bench_io as separate
processes (so one's memory and caches don't flatter the next) and prints their tables.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = ["--sizes", args.sizes]
    runs = [
        ("agenda, 30-day window", ["bench_agenda.py", *sizes]),
        ("search keystrokes", ["bench_search.py", *sizes]),
        ("profile with 500 contacts", ["bench_profile.py", *sizes]),
        (
            "start-up, Today, memory",
            ["bench_startup.py", "--sizes", ",".join(s for s in args.sizes.split(",") if int(s) <= 10000)],
        ),
        ("import and export", ["bench_io.py"]),
    ]
    for title, command in runs:
        print(f"\n== {title} ==", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        print(f"({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
