"""Tidying the book from the profile: a customer lost and won back, deleted after a y, and a
gift corrected or deleted on the gifts tab."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer
from kequ.services.gifts import add_gift
from kequ.services.lost import mark_lost
from kequ.storage.backups import list_backups
from kequ.ui.app import KequApp
from kequ.ui.dialogs.gift import GiftPrompt
from kequ.ui.dialogs.lost import LostPrompt
from kequ.ui.dialogs.prompts import ConfirmPrompt
from kequ.ui.screens.customers.customers import CustomersScreen
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.conftest import DEMO_TODAY
from tests.helpers import stored
from tests.ui.helpers import on_profile, settle, wait_for_screen


def _text(table: DataTable) -> str:
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count))


async def test_a_customer_is_marked_lost_with_a_reason_and_won_back_with_one_key(db) -> None:
    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    async with on_profile(db.path, cid) as (app, pilot):
        await pilot.press("L")
        await wait_for_screen(pilot, LostPrompt)
        await pilot.press("escape")  # changed my mind: nothing is marked
        await settle(pilot)
        assert stored(db.path, "SELECT churned FROM customer") == [(0,)]

        await pilot.press("L")
        await wait_for_screen(pilot, LostPrompt)
        await pilot.press("down", "enter")  # 价格 → 换了供应商
        await pilot.press(*"去了本地厂", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        header = str(app.screen.query_one("#profile-header", Static).render())
        assert f"（流失：换了供应商，{DEMO_TODAY.isoformat()}）" in header
        assert "换了供应商：去了本地厂" in str(app.screen.query_one("#facts", Static).render())
        timeline = app.screen.query_one("#timeline", DataTable)
        assert str(timeline.get_row_at(0)[1]) == "流失" and "去了本地厂" in _text(timeline)
        assert stored(db.path, "SELECT churned, churn_reason, churn_note, churned_on FROM customer") == [
            (1, "supplier", "去了本地厂", DEMO_TODAY.isoformat())
        ]
        # The lost mark on the timeline is not an entry to correct or delete.
        app.screen.query_one(TabbedContent).active = "tab-timeline"
        await pilot.pause()
        timeline.focus()
        await pilot.press("delete")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmPrompt)

        await pilot.press("L")  # won back: one key, no questions
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert "流失" not in str(app.screen.query_one("#profile-header", Static).render())
        assert app.screen.query_one("#timeline", DataTable).row_count == 0
    assert stored(db.path, "SELECT churned, churn_reason, churn_note, churned_on FROM customer") == [(0, "", "", None)]


async def test_the_list_marks_and_counts_the_lost_and_search_finds_them(db) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    add_customer(db, NewCustomer(name="李娜", honorific="李姐", tier="key"))
    mark_lost(db, wang, "price")
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        summary = str(screen.query_one("#customers-summary", Static).render())
        assert "共 2 位" in summary and "其中流失 1 位" in summary
        screen.query_one("#search", Input).focus()
        await pilot.press(*"wz")
        await pilot.pause()
        table = screen.query_one("#customers", DataTable)
        assert table.row_count == 1 and "王总 王建国（流失）" in _text(table)


async def test_a_customer_is_deleted_from_the_profile_after_a_y_and_a_backup(db) -> None:
    from kequ.services.contacts import log_interaction

    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    log_interaction(db, cid, "call", DEMO_TODAY - timedelta(days=3), "聊了报价")
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.screen.open_profile(cid)
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        await pilot.press("D")
        await wait_for_screen(pilot, ConfirmPrompt)
        assert "1 条联系记录" in str(app.screen.question)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert stored(db.path, "SELECT count(*) FROM customer") == [(1,)]

        await pilot.press("D")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("y")
        await wait_for_screen(pilot, CustomersScreen)
        await settle(pilot)
        assert app.screen.query_one("#customers", DataTable).row_count == 0
        said = " ".join(str(n.message) for n in app._notifications)
        backups = [p for p in list_backups(db.path) if "before-delete" in p.name]
        assert len(backups) == 1 and str(backups[0]) in said
    assert stored(db.path, "SELECT count(*) FROM customer") == [(0,)]
    assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]


async def test_a_gift_is_deleted_after_a_y(db) -> None:
    cid = add_customer(db, NewCustomer(name="冯晓东", tier="key"))
    add_gift(db, cid, DEMO_TODAY - timedelta(days=60), "西湖龙井 250g", 36000, "中秋")
    add_gift(db, cid, DEMO_TODAY - timedelta(days=10), "紫砂小茶宠", 19900, "生日")
    async with on_profile(db.path, cid) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-gifts"
        await pilot.pause()
        gifts = app.screen.query_one("#gifts", DataTable)
        gifts.focus()
        assert "紫砂小茶宠" in str(gifts.get_row_at(0)[1])  # newest first, under the cursor
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmPrompt)
        assert "紫砂小茶宠" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#gifts", DataTable).row_count == 2
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("y")
        await settle(pilot)
        assert _text(app.screen.query_one("#gifts", DataTable)).count("紫砂小茶宠") == 0
        assert app.screen.query_one("#gifts", DataTable).row_count == 1
    assert stored(db.path, "SELECT item FROM gift") == [("西湖龙井 250g",)]


async def test_a_gift_is_corrected_in_the_form_that_recorded_it(db) -> None:
    cid = add_customer(db, NewCustomer(name="冯晓东", tier="key"))
    given = DEMO_TODAY - timedelta(days=60)
    add_gift(db, cid, given, "西湖龙井", 36050, "中秋")
    async with on_profile(db.path, cid) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-gifts"
        await pilot.pause()
        app.screen.query_one("#gifts", DataTable).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, GiftPrompt)
        form = app.screen
        # What was recorded, ready to correct.
        values = {box.id: box.value for box in form.query(Input)}
        assert values == {
            "g-item": "西湖龙井", "g-cost": "360.5", "g-occasion": "中秋", "g-day": given.isoformat(), "g-note": "",
        }  # fmt: skip
        form.query_one("#g-item", Input).value = "明前龙井 250g"
        form.query_one("#g-cost", Input).value = "399"
        form.query_one("#g-day", Input).value = (given + timedelta(days=1)).isoformat()
        form.query_one("#g-reaction", Select).value = "liked"
        form.query_one("#g-note", Input).value = "很喜欢，[b]下次[/b]还要"
        form.query_one("#g-note", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        shown = _text(app.screen.query_one("#gifts", DataTable))
        assert "明前龙井 250g" in shown and "¥399" in shown and "喜欢" in shown
    assert stored(db.path, "SELECT given_on, item, cost_cents, occasion, reaction, note FROM gift") == [
        ((given + timedelta(days=1)).isoformat(), "明前龙井 250g", 39900, "中秋", "liked", "很喜欢，[b]下次[/b]还要")
    ]
