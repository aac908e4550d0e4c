"""A life event added from the profile (key b), driven with Pilot on a real database."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Input, Label, Select, TabbedContent

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer, add_date
from kequ.ui.dialogs.date import DatePrompt, kind_choices
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.ui.helpers import on_profile, settle, wait_for_screen


def label_text(screen: DatePrompt, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


def test_the_kinds_are_labelled_by_their_tone() -> None:
    labels = dict((value, label) for label, value in kind_choices())
    assert labels["birthday"] == "生日"
    assert labels["wedding"] == "喜事 · 婚礼"
    assert labels["illness"] == "慰问 · 生病住院"
    assert labels["bereavement"] == "慰问 · 家中丧事"
    # Yearly dates first, then the life events.
    assert [value for _, value in kind_choices()][:3] == ["birthday", "anniversary", "other"]


async def test_a_wedding_is_added_from_the_profile_with_its_year_and_usual_lead(db) -> None:
    cid = add_customer(db, NewCustomer(name="曾志强", honorific="曾经理", tier="key"))
    async with on_profile(db.path, cid) as (app, pilot):
        await pilot.press("b")
        await wait_for_screen(pilot, DatePrompt)
        prompt = app.screen
        assert isinstance(prompt, DatePrompt)
        assert not prompt.query_one("#d-hint", Label).display  # a birthday needs no year
        prompt.query_one("#d-kind", Select).value = "wedding"
        await pilot.pause()
        assert prompt.query_one("#d-hint", Label).display
        assert prompt.query_one("#d-lead", Input).value == "5"  # a wedding gift goes out ahead
        prompt.query_one("#d-text", Input).focus()
        await pilot.press(*"12-05", "enter")  # no year: refused next to the date, nothing saved
        await settle(pilot)
        assert "完整日期" in label_text(prompt, "#d-error")
        assert label_text(prompt, "#d-lead-error") == ""
        lead = prompt.query_one("#d-lead", Input)
        lead.value = "99"
        prompt.query_one("#d-text", Input).focus()
        await pilot.press("enter")  # too far ahead: refused next to the lead
        await settle(pilot)
        assert "99" in label_text(prompt, "#d-lead-error")
        lead.value = "5"
        prompt.query_one("#d-text", Input).value = "2026-12-05"
        prompt.query_one("#d-label", Input).value = "[女儿]出嫁"
        prompt.query_one("#d-text", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        app.screen.query_one(TabbedContent).active = "tab-dates"
        await pilot.pause()
        table = app.screen.query_one("#dates", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row == ["婚礼 · [女儿]出嫁", "12月5日", "2026", "2026-12-05（还有 12 天）", "5"]
    conn = sqlite3.connect(db.path)
    assert conn.execute("SELECT kind, label, month, day, year, lead_days FROM important_date").fetchall() == [
        ("wedding", "[女儿]出嫁", 12, 5, 2026, 5)
    ]


async def test_the_dates_tab_counts_from_a_past_life_event_and_to_a_birthday(db) -> None:
    cid = add_customer(db, NewCustomer(name="蒋丽娟", tier="regular"))
    add_date(db, cid, "2026-11-20", lunar=False, kind="illness", label="住院")
    add_date(db, cid, "1980-12-01", lunar=False)
    async with on_profile(db.path, cid) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-dates"
        await pilot.pause()
        table = app.screen.query_one("#dates", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    assert rows == [
        ["生病住院 · 住院", "11月20日", "2026", "2026-11-20（已过 3 天）", "0"],
        ["生日", "12月1日", "1980", "2026-12-01", "0"],
    ]
