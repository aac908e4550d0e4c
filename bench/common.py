"""What the benchmarks share: the books they read, timing helpers, the JSON they print."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from time import perf_counter

import dataset

from kequ.storage.database import SCHEMA_VERSION


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The median wall time of ``repeat`` calls in milliseconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = perf_counter()
        result = fn()
        times.append((perf_counter() - start) * 1000)
    return statistics.median(times), result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def sizes_of(text: str) -> list[int]:
    return [int(s.replace("_", "").replace("k", "000")) for s in text.split(",") if s.strip()]


def add_common_arguments(parser: argparse.ArgumentParser, sizes: str = "1000,10000,100000") -> None:
    parser.add_argument("--sizes", default=sizes, help="customers per book, comma-separated")
    parser.add_argument(
        "--books",
        type=Path,
        default=None,
        help="folder to keep generated books in and reuse (default: a temporary one)",
    )
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the day the book is made for")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")


@contextmanager
def books_folder(folder: Path | None) -> Iterator[Path]:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="kequ-bench-") as tmp:
        yield Path(tmp)


def book(folder: Path, n: int, today: date | None = None, seed: int = 7) -> Path:
    """The book of ``n`` customers in ``folder``, generated the first time it is asked for."""
    today = today or date.today()
    # The schema's version is in the name: an older file would be migrated (and backed up) by the app.
    name = f"book-{n}-s{seed}-v{dataset.VERSION}-schema{SCHEMA_VERSION}-{today.isoformat()}.db"
    path = folder / name
    if not path.exists():
        partial = path.with_suffix(".partial")
        dataset.write_book(partial, n, seed, today)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
    return path


def emit(doc: dict[str, object], as_json: bool, table: Callable[[dict[str, object]], None]) -> None:
    if as_json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        table(doc)
