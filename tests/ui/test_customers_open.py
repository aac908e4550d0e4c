"""Opening Customers: shown for the first time, the screen is not styled a second time, and
looks exactly as it does once every node has been styled again."""

from __future__ import annotations

from kequ.ui.app import KequApp
from kequ.ui.screens.customers.customers import CustomersScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


async def test_the_first_showing_looks_as_it_does_restyled(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        styled: list[int] = []
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen) and screen.resumed
        first = app.export_screenshot()
        update = app.stylesheet.update_nodes

        def counting(nodes, animate=False):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            styled.append(len(nodes))
            return update(nodes, animate=animate)

        app.stylesheet.update_nodes = counting  # type: ignore[method-assign]
        screen.update_node_styles(animate=False)  # what Textual did on every showing
        await settle(pilot)
        assert styled and styled[0] > 40  # every node of the screen was styled again
        assert app.export_screenshot() == first
        # Shown again (from Today and back), it is styled again as Textual does.
        styled.clear()
        await pilot.press("escape", "1")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen and any(n > 40 for n in styled)
