"""A notes search in the Customers box (a leading #), driven with Pilot on a real database."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static, TabbedContent

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.ui.app import KequApp
from kequ.ui.screens.customers.customers import CustomersScreen
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, settle, wait_for_screen


async def _customers(pilot) -> CustomersScreen:
    return await open_with_key(pilot, "2", CustomersScreen)


def _rows(table: DataTable) -> list[str]:
    return [" | ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_hash_and_two_chinese_characters_list_the_hit_and_enter_opens_it(db) -> None:
    wang = add_customer(db, NewCustomer(name="王芳", honorific="王总", notes="喜欢喝茶"))
    li = add_customer(db, NewCustomer(name="李强"))
    day = DEMO_TODAY - timedelta(days=3)
    entry = log_interaction(db, wang, "call", day, "催交货，月底前要到", "答应加急")
    log_interaction(db, li, "call", day, "交了样品")  # 交 and 货 apart: no hit
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(120, 36)) as pilot:
        screen = await _customers(pilot)
        search = screen.query_one("#search", Input)
        search.focus()
        await pilot.press("number_sign")
        await settle(pilot)
        assert search.value == "#"
        assert "两个字以上" in str(screen.query_one("#customers-summary", Static).render())
        await pilot.press(*"交货")
        await settle(pilot)
        notes = screen.query_one("#notes", DataTable)
        assert notes.display and not screen.query_one("#customers", DataTable).display
        assert _rows(notes) == [f"王总 | {day.isoformat()} | 电话记录 | 催交货，月底前要到 答应加急"]
        assert "笔记里找「交货」：1 条" in str(screen.query_one("#customers-summary", Static).render())
        await pilot.press("enter")  # from the box to the hits
        assert notes.has_focus
        await pilot.press("enter")
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        profile = pilot.app.screen
        assert profile.customer_id == wang
        assert profile.query_one(TabbedContent).active == "tab-timeline"
        timeline = profile.query_one("#timeline", DataTable)
        row_key, _ = timeline.coordinate_to_cell_key(timeline.cursor_coordinate)
        assert row_key.value == str(entry)
        await pilot.press("escape")
        await wait_for_screen(pilot, CustomersScreen)
        # Back to an ordinary search: the customers again.
        search.value = "李"
        await settle(pilot)
        assert screen.query_one("#customers", DataTable).display and not notes.display
        assert screen.query_one("#customers", DataTable).row_count == 1


async def test_a_notes_search_of_one_character_or_nothing_found_says_so(db) -> None:
    add_customer(db, NewCustomer(name="王芳", notes="框架协议下月续签"))
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(120, 36)) as pilot:
        screen = await _customers(pilot)
        search = screen.query_one("#search", Input)
        search.value = "＃框架协议"  # a full-width # as a Chinese input method types it
        await settle(pilot)
        assert _rows(screen.query_one("#notes", DataTable)) == [
            f"王芳 | {DEMO_TODAY.isoformat()} | 客户备注 | 框架协议下月续签"
        ]
        search.value = "#框架 协 "
        await settle(pilot)
        assert "“协”太短" in str(screen.query_one("#customers-summary", Static).render())
        search.value = "#合同"
        await settle(pilot)
        assert screen.query_one("#notes", DataTable).row_count == 0
