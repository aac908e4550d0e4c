"""Every benchmark at the same sizes, on the same generated books, and a summary against the targets.

    python bench/run.py [--sizes 1000,10000,100000] [--books DIR] [--runs 5] [--json] [--save FILE]

Generates one book per size (``dataset.py``: Chinese names, companies, cities, lunar and
solar birthdays, ~20 interactions a customer, complaints, gifts, deals, a trip), or
reuses it from ``--books``, then runs bench_agenda, bench_search, bench_profile,
bench_startup, bench_io and bench_screens as separate processes on those files (so one's memory and
caches don't flatter the next), prints each one's table and a final summary:
measure | 1k | 10k | 100k | target | ok. With ``--json`` it prints one JSON document
instead: every figure per size, the targets and pass or miss.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import common

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    read: Callable[[dict[str, dict], int], float | None]  # (results by bench, size) -> figure
    limits: dict[int, float]  # size -> at most; no entry: no target at that size
    digits: int = 0


def _from(bench: str, field: str) -> Callable[[dict[str, dict], int], float | None]:
    def read(results: dict[str, dict], n: int) -> float | None:
        row = results.get(bench, {}).get("sizes", {}).get(str(n))
        return None if row is None else row.get(field)

    return read


def _screens(field: str) -> Callable[[dict[str, dict], int], float | None]:
    """A figure of bench_screens, whose books also include the demo book."""

    def read(results: dict[str, dict], n: int) -> float | None:
        row = results.get("screens", {}).get("books", {}).get(str(n))
        return None if row is None else row.get(field)

    return read


def _import_s(results: dict[str, dict], n: int) -> float | None:
    """The import does not depend on the book: it is shown in the column of its row count."""
    found = results.get("io", {}).get("import", {})
    return found.get("import_s") if found.get("rows") == n else None


MEASURES = (
    Measure("first_frame_ratio", "first frame / minimal Textual", "x", _from("startup", "first_frame_ratio"),
            {10_000: 1.3, 100_000: 1.3}, 2),
    Measure("first_frame_ms", "first frame", "ms", _from("startup", "first_frame_ms"), {}),
    Measure("minimal_ready_ms", "minimal Textual app, first frame", "ms", _from("startup", "minimal_ready_ms"), {}),
    Measure("today_filled_ms", "launch to Today filled", "ms", _from("startup", "today_filled_ms"),
            {10_000: 1000, 100_000: 2000}),
    Measure("today_loaded_ms", "launch to Today loaded (with trip visits)", "ms",
            _from("startup", "today_loaded_ms"), {}),
    Measure("today_json_ms", "kequ today --json", "ms", _from("startup", "today_json_ms"), {}),
    Measure("import_kequ_ms", 'python -c "import kequ"', "ms", _from("startup", "import_kequ_ms"), {}),
    Measure("today_json_ratio", "today --json / import kequ", "x", _from("startup", "today_json_ratio"), {}, 1),
    Measure("agenda_due_ms", "agenda, 30 days: due()", "ms", _from("agenda", "due_ms"),
            {10_000: 50, 100_000: 500}, 1),
    Measure("agenda_read_ms", "agenda, 30 days: reading its input", "ms", _from("agenda", "read_ms"), {}, 1),
    Measure("agenda_service_ms", "agenda, 30 days: read + due()", "ms", _from("agenda", "service_ms"), {}, 1),
    Measure("agenda_items", "agenda, 30 days: items", "", _from("agenda", "items"), {}),
    Measure("search_median_ms", "search keystroke, median", "ms", _from("search", "median_ms"), {}, 2),
    Measure("search_p95_ms", "search keystroke, p95", "ms", _from("search", "p95_ms"),
            {10_000: 16, 100_000: 50}, 2),
    Measure("profile_ms", "profile with 500 interactions", "ms", _from("profile", "profile_ms"),
            {1_000: 100, 10_000: 100, 100_000: 100}, 1),
    Measure("import_s", "import 10,000 CSV rows", "s", _import_s, {10_000: 10}, 2),
    Measure("export_json_s", "export JSON (every table)", "s", _from("io", "export_json_s"), {}, 1),
    Measure("export_ics_s", "export ICS (60 days)", "s", _from("io", "export_ics_s"), {}, 1),
    Measure("peak_rss_mb", "peak RSS, app with Today loaded", "MB", _from("startup", "peak_rss_mb"),
            {10_000: 150, 100_000: 400}),
    Measure("minimal_rss_mb", "peak RSS, minimal Textual app", "MB", _from("startup", "minimal_rss_mb"), {}),
    Measure("db_mb", "database on disk", "MB", _from("startup", "db_mb"), {}, 1),
    Measure("open_customers_ms", "open Customers, first page (Pilot)", "ms", _screens("customers_ms"),
            {10_000: 300, 100_000: 1000}),
    Measure("keystroke_ms", "search keystroke to repaint (Pilot)", "ms", _screens("keystroke_median_ms"),
            {10_000: 50, 100_000: 100}, 1),
    Measure("search_help_ratio", "kequ search / kequ --help", "x", _screens("search_help_ratio"),
            {10_000: 3, 100_000: 6}, 2),
    Measure("screens_today_ms", "launch to Today filled (Pilot)", "ms", _screens("today_filled_ms"),
            {100_000: 1500}),
    Measure("screens_rss_mb", "peak RSS, app through every screen", "MB", _screens("app_rss_mb"),
            {10_000: 150, 100_000: 400}),
)  # fmt: skip

BENCHES = (
    ("agenda", "agenda, 30-day window", "bench_agenda.py", []),
    ("search", "search keystrokes", "bench_search.py", []),
    ("profile", "profile with 500 contacts", "bench_profile.py", []),
    ("startup", "start-up, Today, memory", "bench_startup.py", ["--runs"]),
    ("io", "import and export", "bench_io.py", []),
    ("screens", "screens and commands as the user waits (Pilot, processes)", "bench_screens.py", ["--runs"]),
)


def _label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def summary(results: dict[str, dict], sizes: list[int]) -> list[dict[str, object]]:
    rows = []
    for m in MEASURES:
        values = {n: m.read(results, n) for n in sizes}
        checks = {n: values[n] <= m.limits[n] for n in sizes if n in m.limits and values[n] is not None}  # type: ignore[operator]
        rows.append(
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit,
                "values": {str(n): values[n] for n in sizes},
                "targets": {str(n): m.limits[n] for n in m.limits},
                "ok": None if not checks else all(checks.values()),
                "ok_by_size": {str(n): ok for n, ok in checks.items()},
            }
        )
    return rows


def _target_text(m: Measure) -> str:
    if not m.limits:
        return ""
    by_limit: dict[float, list[int]] = {}
    for n, limit in m.limits.items():
        by_limit.setdefault(limit, []).append(n)
    unit = "" if m.unit == "x" else f" {m.unit}"
    mark = "×" if m.unit == "x" else ""
    return ", ".join(f"≤{limit:g}{mark}{unit} ({'/'.join(_label(n) for n in ns)})" for limit, ns in by_limit.items())


def print_summary(rows: list[dict[str, object]], sizes: list[int]) -> None:
    names = [f"{m.label} ({m.unit})" if m.unit else m.label for m in MEASURES]
    width = max(map(len, names))
    aim = max(len("target"), *(len(_target_text(m)) for m in MEASURES))
    print(
        f"| {'measure':<{width}} | " + " | ".join(f"{_label(n):>8}" for n in sizes) + f" | {'target':<{aim}} | ok   |"
    )
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * 10 for _ in sizes) + f"|{'-' * (aim + 2)}|------|")
    for m, name, row in zip(MEASURES, names, rows, strict=True):
        cells = []
        for n in sizes:
            value = row["values"][str(n)]  # type: ignore[index]
            cells.append("—" if value is None else f"{value:.{m.digits}f}")
        ok = row["ok"]
        mark = "" if ok is None else ("yes" if ok else "MISS")
        print(
            f"| {name:<{width}} | "
            + " | ".join(f"{c:>8}" for c in cells)
            + f" | {_target_text(m):<{aim}} | {mark:<4} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_common_arguments(parser)
    parser.add_argument("--runs", default="5", help="launches per measure in bench_startup")
    parser.add_argument("--save", type=Path, default=None, help="also write the JSON document to this file")
    parser.add_argument(
        "--only", default="", help="comma-separated benches to run (agenda,search,profile,startup,io,screens)"
    )
    args = parser.parse_args()
    sizes = common.sizes_of(args.sizes)
    today = args.today or date.today()
    log = sys.stderr if args.json else sys.stdout
    chosen = set(args.only.split(",")) if args.only else None
    results: dict[str, dict] = {}
    books: dict[str, object] = {}
    started_all = time.perf_counter()
    with common.books_folder(args.books) as folder:
        for n in sizes:
            started = time.perf_counter()
            path = common.book(folder, n, today)
            books[str(n)] = {"file": path.name, "mb": round(path.stat().st_size / 1e6, 1),
                             "ready_s": round(time.perf_counter() - started, 1)}  # fmt: skip
            print(f"book of {n} customers: {path.name} ({books[str(n)]['ready_s']} s)", file=log, flush=True)
        for key, title, script, extra in BENCHES:
            if chosen is not None and key not in chosen:
                continue
            print(f"\n== {title} ==", file=log, flush=True)
            command = [sys.executable, str(HERE / script), "--sizes", args.sizes, "--books", str(folder)]
            command += ["--today", today.isoformat(), "--json"]
            if "--runs" in extra:
                command += ["--runs", args.runs]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stderr, file=log)
                results[key] = {"error": done.stderr[-2000:]}
                continue
            results[key] = json.loads(done.stdout)
            if not args.json:
                module = importlib.import_module(script.removesuffix(".py"))
                module.table(results[key])
            print(f"({time.perf_counter() - started:.0f} s)", file=log, flush=True)
    rows = summary(results, sizes)
    doc = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "sizes": sizes,
        "books": books,
        "results": results,
        "summary": rows,
        "all_ok": all(row["ok"] is not False for row in rows),
        "seconds": round(time.perf_counter() - started_all),
    }
    if args.save is not None:
        args.save.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    print(f"\n== summary ({time.perf_counter() - started_all:.0f} s) ==")
    print_summary(rows, sizes)


if __name__ == "__main__":
    main()
