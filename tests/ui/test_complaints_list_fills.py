"""The Complaints list shows its first rows at once and adds the rest a batch a frame:
every complaint ends up listed, in order, once; the cursor comes back to its row after a
reload; a list read again meanwhile replaces the one still filling."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable

from kequ.services import complaints as service
from kequ.storage.fast_reads.complaints import list_complaints
from kequ.ui.app import KequApp
from kequ.ui.screens.complaints import complaints as screen_module
from kequ.ui.screens.complaints.complaints import ComplaintsScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, settle


async def _filled(pilot, table: DataTable, count: int) -> None:
    for _ in range(100):
        if table.row_count == count:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{table.row_count} rows of {count}")


async def test_every_complaint_is_listed_in_order_a_batch_at_a_time(demo_db, monkeypatch) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        ids = [cid for (cid,) in conn.execute("SELECT id FROM customer ORDER BY id LIMIT 6")]
    for cid in ids:
        opened = service.open_or_resume(demo_db, cid, DEMO_TODAY)
        service.close(demo_db, opened.ref, "dao qian", 5, "service", today=DEMO_TODAY)
    expected = [str(row.id) for row in list_complaints(demo_db, DEMO_TODAY)]
    assert len(expected) >= 6
    monkeypatch.setattr(screen_module, "FIRST_ROWS", 2)
    monkeypatch.setattr(screen_module, "MORE_ROWS", 3)

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_with_key(pilot, "3", ComplaintsScreen)
        table = screen.query_one("#complaints-table", DataTable)
        await _filled(pilot, table, len(expected))
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)] == expected

        # The cursor on a row past the first batch comes back to it when the list is read again.
        table.move_cursor(row=len(expected) - 1)
        screen.load()
        await settle(pilot)
        await _filled(pilot, table, len(expected))
        assert table.cursor_row == len(expected) - 1

        # Shown twice in a row: the second list replaces the first, no row twice.
        rows = list_complaints(demo_db, DEMO_TODAY)
        screen.show(rows)
        screen.show(rows)
        await pilot.pause(0.3)
        await _filled(pilot, table, len(expected))
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)] == expected
