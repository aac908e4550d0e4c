"""The Settings screen (`,`), driven with Pilot on a real database; and the settings at work
in the template preview."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from textual.widgets import DataTable, Input, SelectionList, Static

from kequ.services.settings import all_settings, set_setting
from kequ.storage.database import Database
from kequ.ui.app import KequApp
from kequ.ui.screens.help.help import HelpScreen
from kequ.ui.screens.settings.settings import SettingsScreen
from kequ.ui.screens.templates.templates import TemplatesScreen
from kequ.ui.screens.today.today import TodayScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, settle, wait_for_screen


async def _open(pilot) -> SettingsScreen:
    return await open_with_key(pilot, "comma", SettingsScreen)


def _error(screen: SettingsScreen, key: str) -> str:
    return str(screen.query_one(f"#err-{key}", Static).render())


async def test_comma_opens_settings_with_the_current_values_and_saves_a_name(db: Database) -> None:
    set_setting(db, "first_touch_cap", 20)
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        assert screen.query_one("#set-first_touch_cap", Input).value == "20"
        assert screen.query_one("#set-festival_tiers", SelectionList).selected == ["key", "potential"]
        name = screen.query_one("#set-my_name", Input)
        assert name.has_focus and name.value == ""
        await pilot.press(*"张伟")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert all_settings(db)["my_name"] == "张伟"
        assert all_settings(db)["first_touch_cap"] == 20  # unchanged, still there
        assert _error(screen, "my_name") == ""
        await pilot.press("escape")
        await wait_for_screen(pilot, TodayScreen)


async def test_a_bad_value_is_said_under_its_field_and_nothing_is_saved(db: Database) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        await pilot.press(*"张伟")
        cap = screen.query_one("#set-first_touch_cap", Input)
        cap.value = "lots"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "请写一个整数，1 到 500 之间" in _error(screen, "first_touch_cap")
        assert all_settings(db)["my_name"] == ""  # all or none
        cap.value = "30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _error(screen, "first_touch_cap") == ""
        assert (all_settings(db)["my_name"], all_settings(db)["first_touch_cap"]) == ("张伟", 30)


async def test_ticking_a_tier_greets_it_at_festivals(db: Database) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        tiers = screen.query_one("#set-festival_tiers", SelectionList)
        tiers.select("regular")
        tiers.deselect("potential")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert all_settings(db)["festival_tiers"] == ("key", "regular")


def _screen_lines(app: KequApp) -> list[str]:
    """The text on the screen, line by line, as the terminal shows it."""
    rows: dict[float, list[str]] = {}
    for y, cell in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(y), []).append(html.unescape(re.sub(r"<[^>]+>", "", cell)))
    return ["".join(parts).replace("\xa0", " ") for _, parts in sorted(rows.items())]


async def test_help_lists_the_settings_key(db: Database) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(120, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        found = [line.strip(" │").split() for line in _screen_lines(pilot.app) if "settings" in line]
        assert [",", "设置", "settings"] in found, found


@pytest.mark.frozen_at("2026-12-06 09:00")
async def test_the_new_year_preview_in_december_is_for_next_year_and_signed(db: Database) -> None:
    december = date(2026, 12, 6)
    set_setting(db, "my_name", "张伟")
    async with KequApp(db.path, today=december).run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(TemplatesScreen(december))
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#templates", DataTable)
        first = " ".join(str(cell) for cell in table.get_row_at(0))
        assert "元旦" in first
        preview = str(screen.query_one("#tpl-preview", Static).render())
        assert "2027年" in preview and "2026年" not in preview
        assert preview.endswith("——张伟")


async def test_today_says_how_new_customers_are_spread(db: Database) -> None:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer

    for n in range(20):
        add_customer(db, NewCustomer(name=f"新客户{n:02d}", tier="regular"))
    set_setting(db, "first_touch_cap", 6)
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = str(pilot.app.screen.query_one("#summary", Static).render())
        assert "新客户：今天安排 6 位首次联系，其余 14 位已排到后面的工作日" in summary
        assert "待跟进 " in summary
        lines = _screen_lines(pilot.app)
        assert any("新客户：今天安排 6 位首次联系" in line for line in lines)  # not cut off at 80 columns
