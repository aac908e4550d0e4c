"""The duplicates list and the merge screen, driven with Pilot on a real database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable, Static

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.ui.app import KequApp
from kequ.ui.dialogs.prompts import ConfirmPrompt
from kequ.ui.screens.customers.customers import CustomersScreen
from kequ.ui.screens.customers.duplicates import DuplicatesScreen
from kequ.ui.screens.customers.merging import MergeScreen
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle, wait_for_screen


def twins(db) -> tuple[int, int]:
    keep = add_customer(
        db, NewCustomer(name="王建国", honorific="王总", company="恒瑞", phones=("13800138000",), tier="key")
    )
    drop = add_customer(db, NewCustomer(name="王建国", company="恒瑞集团", phones=("138 0013 8000",), tier="regular"))
    add_customer(db, NewCustomer(name="李娜", company="鼎盛"))
    log_interaction(db, keep, "call", DEMO_TODAY, "谈了报价")
    log_interaction(db, keep, "visit", DEMO_TODAY, "看了样品")
    log_interaction(db, drop, "call", DEMO_TODAY, "约了下周")
    return keep, drop


async def open_merge(pilot) -> MergeScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomersScreen)
    await pilot.press("escape", "d")  # from the search box to the list, then the duplicates
    await wait_for_screen(pilot, DuplicatesScreen)
    await settle(pilot)
    listed = pilot.app.screen.query_one("#duplicates", DataTable)
    assert listed.row_count == 1
    assert "同一电话" in " ".join(str(cell) for cell in listed.get_row_at(0))
    await pilot.press("enter")
    await wait_for_screen(pilot, MergeScreen)
    await settle(pilot)
    return pilot.app.screen


async def test_pick_a_pair_take_a_field_from_the_right_merge_and_see_the_profile(db) -> None:
    keep, drop = twins(db)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_merge(pilot)
        assert (screen.keep_id, screen.drop_id) == (keep, drop)  # the one added first is offered as the one kept
        fields = screen.query_one("#merge-fields", DataTable)
        assert [str(fields.get_row_at(i)[0]) for i in range(fields.row_count)] == ["公司", "等级"]
        await pilot.press("right")  # the company from the right
        assert screen.chosen == {"company": "drop", "tier": "keep"}
        assert str(fields.get_row_at(0)[2]).startswith("●")
        await pilot.press("m")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("y")
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        profile = app.screen
        assert isinstance(profile, ProfileScreen) and profile.customer_id == keep
        header = str(profile.query_one("#profile-header", Static).render())
        assert "王总" in header and "恒瑞集团" in header and "关键" in header
        assert profile.view is not None and profile.view.interaction_count == 3  # both timelines
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert app.screen.query_one("#duplicates", DataTable).row_count == 0  # read again: the pair is gone
    conn = sqlite3.connect(db.path)
    assert conn.execute("SELECT id, company, tier FROM customer WHERE name = '王建国'").fetchall() == [
        (keep, "恒瑞集团", "key")
    ]
    assert list(Path(db.path).parent.joinpath("backups").glob("*before-merge*.db"))


async def test_no_at_the_question_merges_nothing_and_swap_keeps_the_right_one(db) -> None:
    keep, drop = twins(db)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_merge(pilot)
        await pilot.press("m")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("n")
        await wait_for_screen(pilot, MergeScreen)
        assert sqlite3.connect(db.path).execute("SELECT count(*) FROM customer").fetchone() == (3,)
        await pilot.press("s")
        await settle(pilot)
        assert (screen.keep_id, screen.drop_id) == (drop, keep)
        assert "#" + str(drop) in str(screen.query_one("#merge-sides", Static).render()).splitlines()[0]
        await pilot.press("m")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("y")
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        assert app.screen.customer_id == drop
    rows = sqlite3.connect(db.path).execute("SELECT id, honorific, company FROM customer WHERE name = '王建国'")
    assert rows.fetchall() == [(drop, "王总", "恒瑞集团")]  # the right one kept; its empty 称呼 filled


async def test_a_long_list_shows_its_surest_pairs_and_says_it_was_cut(db, monkeypatch) -> None:
    from kequ.ui.screens.customers import duplicates

    monkeypatch.setattr(duplicates, "SHOWN", 2)
    for i in range(3):  # one phone three times: three pairs
        add_customer(db, NewCustomer(name=f"同事{i}", phones=("13900001111",)))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DuplicatesScreen(DEMO_TODAY))
        await wait_for_screen(pilot, DuplicatesScreen)
        await settle(pilot)
        assert app.screen.query_one("#duplicates", DataTable).row_count == 2
        summary = str(app.screen.query_one("#duplicates-summary", Static).render())
        assert "3 对" in summary and "最有把握的 2 对" in summary
