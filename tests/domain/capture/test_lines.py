"""Whole lines read into who, what happened and what comes next (see table_lines)."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.domain.calendar.holidays import work_calendar
from kequ.domain.capture.intent import Book, Person, read_capture
from kequ.domain.capture.result import Capture
from kequ.domain.search import search_keys
from tests.domain.capture.table_dates import DATE_ROWS
from tests.domain.capture.table_lines import BOOK, LINE_ROWS

CALENDAR = work_calendar()
THE_BOOK = Book(Person(cid, name, honorific, search_keys(name, honorific)) for cid, name, honorific in BOOK)


def summary(capture: Capture) -> str:
    who = "|".join(str(cid) for cid in capture.customers) or "-"
    log = f"{capture.logged_kind}@{capture.logged_on.isoformat()}" if capture.logged_kind and capture.logged_on else "-"
    upcoming = "-"
    if capture.next_kind is not None and capture.next_days:
        upcoming = f"{capture.next_kind}@" + "|".join(d.isoformat() for d in capture.next_days)
        if capture.next_times:
            upcoming += " " + "|".join(capture.next_times)
    text = f"who={who} log={log} next={upcoming}"
    return "".join([text, *(f" !{u.key.rsplit('.', 1)[1]}" for u in capture.unread)])


def test_the_tables_hold_at_least_300_phrases() -> None:
    assert len(DATE_ROWS) + len(LINE_ROWS) >= 300 and len(LINE_ROWS) >= 100
    assert len({(said, text) for said, text, _ in LINE_ROWS}) == len(LINE_ROWS)


@pytest.mark.parametrize(("said_on", "text", "expected"), LINE_ROWS, ids=[f"{s} {t}" for s, t, _ in LINE_ROWS])
def test_a_line_is_read_as_the_salesperson_meant_it(said_on: str, text: str, expected: str) -> None:
    assert summary(read_capture(text, date.fromisoformat(said_on), THE_BOOK, CALENDAR)) == expected


def test_a_customer_given_is_not_looked_for_in_the_text() -> None:
    capture = read_capture("李姐说王总也要", date(2026, 11, 23), THE_BOOK, CALENDAR, customer_id=8)
    assert capture.customers == (8,) and capture.customer_said == ""


def test_the_whole_line_is_the_note_and_the_json_has_the_issue_shape() -> None:
    capture = read_capture(" 今天电话里李姐说要样品，下周三下午3点上门 ", date(2026, 11, 23), THE_BOOK, CALENDAR)
    assert capture.as_json() == {
        "customer_id": 2,
        "logged": {"kind": "call", "date": "2026-11-23"},
        "next": {"kind": "visit", "date": "2026-12-02", "time": "15:00"},
        "note": "今天电话里李姐说要样品，下周三下午3点上门",
    }


def test_an_open_question_leaves_the_json_without_a_pick() -> None:
    capture = read_capture("陈总 周一再约", date(2026, 11, 23), THE_BOOK, CALENDAR)
    assert capture.open_questions == ["customer", "day"]
    assert capture.as_json()["customer_id"] is None and capture.as_json()["next"] is None


def test_one_character_names_are_not_looked_for() -> None:
    book = Book([Person(1, "王", "")])
    assert book.named_in("王总明天来") == ((), "")


@pytest.mark.parametrize(
    ("text", "now", "days", "times"),
    [
        # Said at 23:17: both readings of 7点 are gone today, so it is tomorrow's (still asked).
        ("7点给王总打电话", "23:17", ("2026-11-24",), ("07:00", "19:00")),
        ("王总下午3点再联系", "23:17", ("2026-11-24",), ("15:00",)),
        # 今天 said: today or tomorrow is asked, never today in silence.
        ("王总今天下午3点再联系", "23:17", ("2026-11-23", "2026-11-24"), ("15:00",)),
        # Edges: a time still to come stays today; so does one reading still to come.
        ("王总下午3点再联系", "14:59", ("2026-11-23",), ("15:00",)),
        ("王总下午3点再联系", "15:00", ("2026-11-23",), ("15:00",)),
        ("7点给王总打电话", "10:00", ("2026-11-23",), ("07:00", "19:00")),
        ("王总明天下午3点再联系", "23:17", ("2026-11-24",), ("15:00",)),
    ],
)
def test_a_time_already_gone_today_is_not_planned_in_the_past(text: str, now: str, days: tuple, times: tuple) -> None:
    from datetime import time

    capture = read_capture(text, date(2026, 11, 23), THE_BOOK, CALENDAR, now=time.fromisoformat(now))
    assert tuple(d.isoformat() for d in capture.next_days) == days and capture.next_times == times
