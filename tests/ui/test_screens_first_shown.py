"""A screen shown for the first time is not styled again (Textual did it twice for a new
mode's screen and once for a pushed one, though its widgets were styled as they mounted),
looks exactly as it does once every node has been styled again, and is restyled as Textual
does when it is shown again after another screen."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from kequ.ui.app import KequApp
from kequ.ui.base import KequScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import on_profile, settle


@pytest.fixture
def restyled(monkeypatch) -> list[str]:
    """The screens styled again whole, by class name, in order."""
    seen: list[str] = []
    restyle = Screen.update_node_styles

    def counting(self: Screen, animate: bool = True) -> None:
        if len(list(self.walk_children(with_self=True))) > 10:  # the whole screen, not a widget
            seen.append(type(self).__name__)
        restyle(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", counting)
    return seen


@pytest.mark.parametrize("key", ["2", "3", "4", "5", "6"])
async def test_a_mode_shown_first_looks_as_it_does_restyled(demo_db, restyled, key: str) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KequScreen)
        name = type(screen).__name__
        assert name not in restyled
        first = app.export_screenshot()
        screen.update_node_styles(animate=False)  # what Textual did as it was shown
        await settle(pilot)
        assert restyled.count(name) == 1
        assert app.export_screenshot() == first
        await pilot.press("escape", "1", key)
        await settle(pilot)
        assert app.screen is screen and restyled.count(name) == 2


async def test_a_pushed_profile_looks_as_it_does_restyled(demo_db, restyled) -> None:
    async with on_profile(demo_db.path, 1) as (app, pilot):
        profile = app.screen
        assert type(profile).__name__ == "ProfileScreen"
        assert "ProfileScreen" not in restyled
        first = app.export_screenshot()
        profile.update_node_styles(animate=False)
        await settle(pilot)
        assert app.export_screenshot() == first
