"""The footer draws its keys again only when what it shows changes (kequ.ui.widgets.footer)."""

from __future__ import annotations

from datetime import date

from textual.widgets._footer import FooterKey

from kequ.ui.app import KequApp
from kequ.ui.screens.festivals.festivals import GreetingRun
from kequ.ui.widgets.footer import KequFooter
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

SPRING = date(2027, 2, 6)


def _keys(screen) -> dict[str, FooterKey]:
    return {key.key: key for key in screen.query_one(KequFooter).query(FooterKey)}


async def _drawn(pilot, screen, ready) -> dict[str, FooterKey]:
    """The footer's keys once ``ready(keys)`` holds: it redraws a frame after a change."""
    for _ in range(100):
        keys = _keys(screen)
        if ready(keys):
            return keys
        await pilot.pause(0.02)
    raise AssertionError(f"the footer never showed what was expected: {sorted(keys)}")


async def test_the_same_keys_are_kept_and_a_key_that_changes_is_drawn_again(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.push_screen(GreetingRun("spring_festival", SPRING, DEMO_TODAY))
        await settle(pilot)
        run = app.screen
        assert isinstance(run, GreetingRun) and len(run.rows) > 2
        # On the first person there is nobody before: PgUp is shown greyed out.
        before = await _drawn(pilot, run, lambda keys: "pageup" in keys and "ctrl+r" in keys)
        assert before["pageup"].has_class("-disabled")
        assert not before["pagedown"].has_class("-disabled")

        # Asked again with nothing changed, the footer keeps the very keys it shows.
        run.refresh_bindings()
        await pilot.pause(0.1)
        assert _keys(run) == before
        assert all(_keys(run)[key] is widget for key, widget in before.items())

        # On the second person PgUp goes back: the footer draws it enabled.
        await pilot.press("pagedown")
        after = await _drawn(pilot, run, lambda keys: not keys["pageup"].has_class("-disabled"))
        assert after["pageup"] is not before["pageup"]
        assert set(after) == set(before)


async def test_a_key_is_made_with_the_footers_compactness_and_still_follows_it(demo_db, monkeypatch) -> None:
    """A key used to start compact and lose the class right after mounting (styled three
    times); now it starts as the footer is, and a narrow screen still closes the keys up.
    The palette's key (^p) is always compact, as Textual makes it."""
    changes: list[tuple[str, bool]] = []
    watch = FooterKey._watch_compact

    def recorded(self: FooterKey, compact: bool) -> None:
        if compact != self.has_class("-compact") and isinstance(self.parent, KequFooter) and self.key != "ctrl+p":
            changes.append((self.key, compact))
        watch(self, compact)

    monkeypatch.setattr(FooterKey, "_watch_compact", recorded)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.action_go("review")
        await settle(pilot)
        review = app.screen
        keys = await _drawn(pilot, review, lambda keys: "w" in keys and "n" in keys)
        assert not any(key.has_class("-compact") for key in keys.values() if key.key != "ctrl+p")
        assert changes == []

        await pilot.resize_terminal(90, 45)
        narrow = await _drawn(pilot, review, lambda keys: "w" in keys and keys["w"].has_class("-compact"))
        assert all(key.has_class("-compact") for key in narrow.values())
        await pilot.resize_terminal(160, 45)
        wide = await _drawn(pilot, review, lambda keys: "w" in keys and not keys["w"].has_class("-compact"))
        assert not any(key.has_class("-compact") for key in wide.values() if key.key != "ctrl+p")
