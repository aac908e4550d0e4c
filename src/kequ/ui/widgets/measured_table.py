"""A DataTable that measures its new rows for the widths of its columns at less cost.

Textual's DataTable measures every cell of every new row once it is idle, and each
measurement asks Rich for the console's options, which reads the terminal's size from the
system, three times: for a profile's 500 contacts that is 2,000 such reads, most of the
25 ms the table took before anything else could be drawn. Here the options are read once
for all the new rows, and each cell is then measured exactly as Textual measures it (its
``__rich_measure__`` after the same formatting), so the columns come out as wide as
DataTable makes them. A row with a label or an automatic height, or a row whose cells are
not all there, is left to DataTable itself. ``tests/ui/test_measured_table.py`` compares the
widths and sizes with DataTable's for the same rows, and fails when a new Textual measures
them differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.protocol import rich_cast
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._data_table import RowKey, default_cell_formatter


class MeasuredTable(DataTable[Any]):
    """A DataTable whose new rows are measured with the console's options read once."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        keys = list(new_rows)
        columns = self.ordered_columns
        rows = [(self.rows.get(key), self._data.get(key)) for key in keys if self._row_locations.get(key) is not None]
        if any(
            row is None or cells is None or row.label is not None or row.auto_height or len(cells) != len(columns)
            for row, cells in rows
        ):
            super()._update_dimensions(keys)
            return
        console = self.app.console
        options = console.options
        for row, cells in rows:
            assert row is not None and cells is not None
            for column in columns:
                datum = cells[column.key]
                if datum is None:
                    continue  # drawn as an empty text: no wider than nothing
                shown = default_cell_formatter(datum, wrap=row.height != 1, height=row.height)
                column.content_width = max(column.content_width, _width(console, options, shown))
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)


def _width(console: Any, options: Any, renderable: Any) -> int:
    """``textual.render.measure(console, renderable, 1)``, with the options given."""
    if isinstance(renderable, str):
        return cell_len(renderable)
    renderable = rich_cast(renderable)
    measure = getattr(renderable, "__rich_measure__", None)
    if measure is None:
        return 1
    return max(0, measure(console, options).maximum)
