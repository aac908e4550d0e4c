"""The capture parser's time per phrase over the test tables (target: under 1 ms). Prints figures, asserts nothing.

    python bench/bench_capture.py [--repeat 20] [--json]

* ``dates_us``: ``find_whens`` alone (days and times), per phrase of the date table;
* ``line_us``: ``read_capture`` (customer, contact, next step and their days), per phrase of
  both tables, against a book of 8 customers and one of 10,000 (a name is a few dict lookups,
  so the size of the book should not show);
* ``book_ms``: building the 10,000-customer book once, as ``kequ note`` and the capture line do.

Each figure is the median over ``--repeat`` passes over the whole table, after one warm-up
pass (which builds the lunar tables and the festival lists once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import date
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.domain.capture.table_dates import DATE_ROWS  # noqa: E402
from tests.domain.capture.table_lines import BOOK, LINE_ROWS  # noqa: E402

from kequ.domain.calendar.holidays import work_calendar  # noqa: E402
from kequ.domain.capture.dates import find_whens  # noqa: E402
from kequ.domain.capture.intent import Book, Person, read_capture  # noqa: E402
from kequ.domain.search import search_keys  # noqa: E402

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "建国丽伟洋敏强磊军勇艳杰娟涛明超秀英华平刚桂兰芳玲"
_TITLES = ("总", "经理", "姐", "哥", "工", "老师", "主任")


def _big_book(size: int) -> list[Person]:
    people = [Person(cid, name, honorific, search_keys(name, honorific)) for cid, name, honorific in BOOK]
    for n in range(size - len(people)):
        surname = _SURNAMES[n % len(_SURNAMES)]
        name = surname + _GIVEN[(n // len(_SURNAMES)) % len(_GIVEN)] + _GIVEN[n % len(_GIVEN)]
        people.append(Person(1000 + n, name, surname + _TITLES[n % len(_TITLES)], ""))
    return people


def _per_phrase_us(run, rows: list[tuple[str, str, str]], repeat: int) -> float:  # type: ignore[no-untyped-def]
    phrases = [(date.fromisoformat(said), text) for said, text, _ in rows]
    for said_on, text in phrases:  # warm-up
        run(text, said_on)
    times = []
    for _ in range(repeat):
        start = perf_counter()
        for said_on, text in phrases:
            run(text, said_on)
        times.append((perf_counter() - start) / len(phrases) * 1e6)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    calendar = work_calendar()
    small = Book(Person(cid, name, honorific, search_keys(name, honorific)) for cid, name, honorific in BOOK)
    people = _big_book(10_000)
    start = perf_counter()
    big = Book(people)
    book_ms = round((perf_counter() - start) * 1000, 1)
    rows = DATE_ROWS + LINE_ROWS
    figures = {
        "phrases": len(rows),
        "dates_us": _per_phrase_us(lambda text, day: find_whens(text, day, calendar), DATE_ROWS, args.repeat),
        "line_us": _per_phrase_us(lambda text, day: read_capture(text, day, small, calendar), rows, args.repeat),
        "line_10k_book_us": _per_phrase_us(lambda text, day: read_capture(text, day, big, calendar), rows, args.repeat),
        "book_10k_ms": book_ms,
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{figures['phrases']} phrases (target: under 1000 µs a phrase)")
    print(f"  dates and times alone      {figures['dates_us']:>8} µs a phrase")
    print(f"  whole line, 8 customers    {figures['line_us']:>8} µs a phrase")
    print(f"  whole line, 10k customers  {figures['line_10k_book_us']:>8} µs a phrase")
    print(f"  building the 10k book      {figures['book_10k_ms']:>8} ms once")


if __name__ == "__main__":
    main()
