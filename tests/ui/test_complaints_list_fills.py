"""The Complaints list fills the rows in view first and the rest as the user moves down it:
every complaint ends up listed, in order, once; the cursor comes back to its row after a
reload; a list read again meanwhile replaces the one shown."""

from __future__ import annotations

import sqlite3

from kequ.services import complaints as service
from kequ.storage.fast_reads.complaints import list_complaints
from kequ.ui.app import KequApp
from kequ.ui.screens.complaints.complaints import ComplaintsScreen
from kequ.ui.widgets.fast_table import MARGIN, FastTable
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, settle

COMPLAINTS = 40  # more than a short terminal shows, and its margin


def _keys(table: FastTable) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


async def test_every_complaint_is_listed_in_order_the_rows_in_view_first(demo_db) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        ids = [cid for (cid,) in conn.execute("SELECT id FROM customer ORDER BY id LIMIT ?", (COMPLAINTS,))]
    for cid in ids:
        opened = service.open_or_resume(demo_db, cid, DEMO_TODAY)
        service.close(demo_db, opened.ref, "dao qian", 5, "service", today=DEMO_TODAY)
    expected = [str(row.id) for row in list_complaints(demo_db, DEMO_TODAY)]
    assert len(expected) >= COMPLAINTS

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 20)) as pilot:
        screen = await open_with_key(pilot, "3", ComplaintsScreen)
        table = screen.query_one("#complaints-table", FastTable)
        await settle(pilot)
        # Only the rows in view and a margin are in the table; the scroll bar counts them all.
        first = table.row_count
        assert first == table.rows_in_view() + MARGIN
        assert 0 < first < len(expected) and table.pending == len(expected) - first
        assert _keys(table) == expected[:first]
        assert table.virtual_size.height == len(expected) + 1  # and the header

        # Moving down towards the last rows filled fills the rest, in order, once.
        table.focus()
        for _ in range(first - MARGIN):
            await pilot.press("down")
        await settle(pilot)
        assert table.pending == 0
        assert _keys(table) == expected
        assert table.cursor_row == first - MARGIN

        # The cursor on the last row comes back to it when the list is read again.
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.cursor_row == len(expected) - 1
        screen.load()
        await settle(pilot)
        assert table.cursor_row == len(expected) - 1
        assert _keys(table)[: table.row_count] == expected[: table.row_count]

        # Shown twice in a row: the second list replaces the first, no row twice.
        rows = list_complaints(demo_db, DEMO_TODAY)
        screen.show(rows)
        screen.show(rows)
        await settle(pilot)
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert _keys(table) == expected


async def test_a_short_list_is_filled_at_once(demo_db) -> None:
    expected = [str(row.id) for row in list_complaints(demo_db, DEMO_TODAY)]
    assert expected  # the demo book has a complaint
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_with_key(pilot, "3", ComplaintsScreen)
        table = screen.query_one("#complaints-table", FastTable)
        await settle(pilot)
        assert table.pending == 0
        assert _keys(table) == expected
