"""Every date box of the app reads a day as the birthday field and --date do."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.ui.days import typed_day

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("2026-3-5", {}, date(2026, 3, 5)),
        ("3月5日", {}, date(2026, 3, 5)),
        ("１２－２５", {}, date(2026, 12, 25)),
        ("12-25", {"past": True}, date(2025, 12, 25)),  # a contact logged: last Christmas
        ("1-5", {"ahead": True}, date(2027, 1, 5)),  # a snooze or a trip: the next 5 January
        ("2026-1-5", {"ahead": True}, date(2026, 1, 5)),  # a year written is kept
        ("11-23", {"ahead": True}, TODAY),
    ],
)
def test_a_day_is_read_as_the_birthday_field_reads_it(text: str, options: dict, expected: date) -> None:
    assert typed_day(text, TODAY, **options) == (expected, "")


@pytest.mark.parametrize("text", ["2026-2-30", "明天见", "", "13-01"])
def test_an_impossible_day_is_one_clear_line(text: str) -> None:
    day, wrong = typed_day(text, TODAY)
    assert day is None
    assert wrong and "\n" not in wrong and "Traceback" not in wrong


async def test_g_takes_a_day_in_chinese(demo_db) -> None:
    from kequ.ui.app import KequApp
    from kequ.ui.dialogs.prompts import DayPrompt
    from kequ.ui.screens.today.today import TodayScreen
    from tests.conftest import DEMO_TODAY
    from tests.ui.helpers import settle, wait_for_screen

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await wait_for_screen(pilot, DayPrompt)
        day_box = app.screen.query_one("#day")
        day_box.value = ""
        await pilot.press(*"12月1日", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen) and screen.today == date(2026, 12, 1)
