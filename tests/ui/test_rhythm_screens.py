"""Rhythms in the app (Pilot, real database): the tiers' on the Settings screen, a customer's own
on the profile (r), and Today following a change as soon as it is shown again."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.services.rhythms import customer_rhythm
from kequ.services.settings import all_settings
from kequ.storage.database import Database
from kequ.ui.app import KequApp
from kequ.ui.dialogs.rhythm import RhythmPrompt
from kequ.ui.screens.settings.settings import SettingsScreen
from kequ.ui.screens.today.today import TodayScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import on_profile, settle, wait_for_screen


def _calls_on_today(app: KequApp, cid: int) -> list[str]:
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    return [key for key, item in screen.items.items() if item.customer_id == cid and item.kind == "call"]


async def test_the_settings_screen_shows_every_tier_rhythm_and_today_follows_a_change(db: Database) -> None:
    cid = add_customer(db, NewCustomer(name="李强", tier="regular"))
    log_interaction(db, cid, "call", DEMO_TODAY - timedelta(days=70))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert _calls_on_today(app, cid) == []
        await pilot.press("comma")
        await wait_for_screen(pilot, SettingsScreen)
        await settle(pilot)
        screen = app.screen
        shown = {
            tier: (screen.query_one(f"#set-rhythm-{tier}-call", Input).value,
                   screen.query_one(f"#set-rhythm-{tier}-visit", Input).value)
            for tier in ("key", "potential", "regular", "temporary")
        }  # fmt: skip
        assert shown == {
            "key": ("30", "180"),
            "potential": ("30", "0"),
            "regular": ("90", "0"),
            "temporary": ("0", "0"),
        }
        labels = " ".join(str(s.render()) for s in screen.query(".setting-label").results(Static))
        assert "联系节奏" in labels and "常规客户：电话间隔（天）" in labels
        screen.query_one("#set-rhythm-regular-call", Input).value = "70000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "0 到 3660" in str(screen.query_one("#err-rhythm-regular-call", Static).render())
        assert all_settings(db)["rhythm.regular.call"] == 90
        screen.query_one("#set-rhythm-regular-call", Input).value = "60"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert all_settings(db)["rhythm.regular.call"] == 60
        await pilot.press("escape")
        await wait_for_screen(pilot, TodayScreen)
        await settle(pilot)
        assert len(_calls_on_today(app, cid)) == 1


async def test_r_on_the_profile_sets_the_customers_own_rhythm(db: Database) -> None:
    cid = add_customer(db, NewCustomer(name="王芳", tier="key"))
    async with on_profile(db.path, cid) as (app, pilot):
        facts = str(app.screen.query_one("#facts", Static).render())
        assert "联系节奏：电话每 30 天（按关键客户） · 拜访每 180 天（按关键客户）" in facts
        await pilot.press("r")
        await wait_for_screen(pilot, RhythmPrompt)
        prompt = app.screen
        call = prompt.query_one("#rhythm-call", Input)
        assert call.has_focus and call.value == "" and call.placeholder == "30"
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert "电话间隔“abc”不对" in str(prompt.query_one("#form-error", Static).render())
        assert customer_rhythm(db, cid).own == {}
        call.value = "14"
        prompt.query_one("#rhythm-visit", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert customer_rhythm(db, cid).own == {"call": 14, "visit": 0}
        facts = str(app.screen.query_one("#facts", Static).render())
        assert "电话每 14 天（自定） · 拜访不定期（自定）" in facts
        # Emptied boxes go back to the tier's rhythm.
        await pilot.press("r")
        await wait_for_screen(pilot, RhythmPrompt)
        assert app.screen.query_one("#rhythm-call", Input).value == "14"
        app.screen.query_one("#rhythm-call", Input).value = ""
        app.screen.query_one("#rhythm-visit", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert customer_rhythm(db, cid).own == {}
