"""Opening Customers: shown for the first time, the screen is not styled again (Textual did
it twice for a new mode's screen), and looks exactly as it does once every node has been
styled again; shown again after another screen, it is restyled as Textual does."""

from __future__ import annotations

from kequ.ui.app import KequApp
from kequ.ui.screens.customers.customers import CustomersScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


async def test_the_first_showing_looks_as_it_does_restyled(demo_db, monkeypatch) -> None:
    restyled: list[int] = []  # the nodes styled again each time the whole screen was
    restyle = CustomersScreen.update_node_styles

    def counting(self: CustomersScreen, animate: bool = True) -> None:
        restyled.append(len(list(self.walk_children(with_self=True))))
        restyle(self, animate)

    monkeypatch.setattr(CustomersScreen, "update_node_styles", counting)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen) and not screen.left
        assert restyled == []
        first = app.export_screenshot()
        screen.update_node_styles(animate=False)  # what Textual did as it was shown
        await settle(pilot)
        assert len(restyled) == 1 and restyled[0] > 40  # every node of it
        assert app.export_screenshot() == first
        restyled.clear()
        await pilot.press("escape", "1")
        await settle(pilot)
        assert screen.left
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen and restyled and restyled[0] > 40
