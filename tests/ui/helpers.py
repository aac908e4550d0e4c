"""Waiting for a screen the way a person waits: until it has finished loading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[object]) -> None:
    """Until no worker runs and the current screen (if it loads data) has its data.

    Today starts loading only after its first frame, so "no worker yet" is not "done"; and it
    adds the rows below the first screen a frame after the others (``filling`` until then).
    """
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(worker.is_running for worker in pilot.app.workers)
        screen = pilot.app.screen
        if not busy and getattr(screen, "loaded", True) is not None and not getattr(screen, "filling", False):
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen never finished loading")


async def wait_for_screen(pilot: Pilot[object], kind: type) -> None:
    """Until a pushed screen is the active one: keys typed before that go elsewhere."""
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} never opened; the screen is {type(pilot.app.screen).__name__}")


@asynccontextmanager
async def on_profile(db_path: Path, customer_id: int, size: tuple[int, int] = (160, 45)) -> AsyncIterator[Any]:
    """The app on DEMO_TODAY with one customer's profile open and loaded: yields (app, pilot)."""
    from kequ.ui.app import KequApp
    from kequ.ui.screens.customers.profile import ProfileScreen
    from tests.conftest import DEMO_TODAY

    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(ProfileScreen(customer_id, DEMO_TODAY))
        await settle(pilot)
        yield app, pilot


def screen_lines(app: Any) -> list[str]:
    """The screen as the terminal shows it, one string a line: what a person can read."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_with_key(pilot: Pilot[object], key: str, kind: type, loaded: bool = True) -> Any:
    """Press the key that opens a screen, and wait until it is shown and (unless ``loaded`` is
    False: the screen as it comes up) loaded."""
    await settle(pilot)
    await pilot.press(key)
    await wait_for_screen(pilot, kind)
    if loaded:
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen
