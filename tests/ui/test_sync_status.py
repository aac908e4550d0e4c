"""Today's sync status line: last synced and changes waiting, nothing for a book never synced;
the sync key says what to do when the book has no team server."""

from __future__ import annotations

import sqlite3
from datetime import date

from textual.widgets import Static

from kequ.services.contacts import log_interaction
from kequ.ui.app import KequApp
from kequ.ui.screens.today.today import TodayScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


async def summary_of(path) -> tuple[str, list[str]]:
    app = KequApp(path, today=DEMO_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        return str(screen.query_one("#summary", Static).render()), notes


async def test_a_book_never_synced_shows_no_sync_line_and_the_key_says_how(demo_db) -> None:
    summary, notes = await summary_of(demo_db.path)
    assert "同步" not in summary
    assert any("kequ sync --server" in note for note in notes)


async def test_a_synced_book_shows_when_and_what_waits(demo_db) -> None:
    conn = sqlite3.connect(demo_db.path)
    conn.execute(
        "UPDATE sync_state SET server_url = 'postgresql:///team', user_name = 'ann', record = 1,"
        " last_synced_at = '2026-11-22 01:30:00.000000'"
    )
    conn.commit()
    customer = conn.execute("SELECT id FROM customer ORDER BY id").fetchone()[0]
    conn.close()
    log_interaction(demo_db, customer, "call", date(2026, 11, 23), "刚打过")
    summary, _ = await summary_of(demo_db.path)
    assert "上次同步 11-22" in summary and "待上传 1" in summary
