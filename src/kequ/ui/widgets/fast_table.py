"""A DataTable that draws a list of one-line rows of rich Text in fixed-width columns quickly.

Textual's DataTable renders each cell through Rich's general machinery (a Padding around
the cell, styled, wrapped, split into lines, cropped) and measures every cell of every new
row for the widths of its columns. A list whose columns all have a fixed width and whose
cells are one line of ``Text`` needs neither: here such a cell is cut to its column and
styled directly (the same segments, about a fifth of the work), and no cell is measured.
Anything else (a header, a cell of another kind, a cell with a line break or a tab, a
column sized by its contents, a row taller than one line) is drawn by DataTable itself.

It also fills its rows in two steps when asked (``fill``): those the view can show first,
the rest of them as soon as the list is scrolled or its cursor moves towards them, so a
keystroke pays for the rows a person sees and not for a whole page.

Both lean on DataTable's internals (its cell cache and the dimensions it computes when idle):
``tests/ui/test_fast_table.py`` draws the same rows with both tables and compares them, and
fails when a new Textual draws them differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_crop
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey

_NEWLINE = Text("\n")
# Rows filled beyond what the view shows, so the first moves of the cursor find rows there.
MARGIN = 10


class FastTable(DataTable[Any]):
    """A DataTable for one-line rows of ``Text`` in fixed-width columns (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rows not filled yet (``fill``): their keys, and what makes their cells.
        self._pending: list[str] = []
        self._cells_of: Callable[[str], Sequence[object]] | None = None
        self._more: Callable[[list[str]], object] | None = None
        self._on_drawn: Callable[[], object] | None = None
        # What every line of one drawing shares (see ``render_lines``), None between drawings.
        self._frame: _Frame | None = None
        # The styles a row's cells are drawn in, by what they are made of: the same row and
        # column under the same styles give the same Style again (no new one each drawing).
        self._styles: dict[tuple[object, ...], Any] = {}
        # One object for each style met (equal styles are made anew on every drawing): the
        # caches above are then looked up by identity, not by comparing styles.
        self._interned: dict[Style, Style] = {}
        # The header's line, by all it is drawn from: DataTable draws it again after every
        # change of the rows (a keystroke's new list), though it has not changed.
        self._header_lines: dict[tuple[object, ...], Strip] = {}

    # ------------------------------------------------------------------ filling

    def fill(
        self,
        keys: Sequence[str],
        cells_of: Callable[[str], Sequence[object]],
        first: int | None = None,
        more: Callable[[list[str]], object] | None = None,
    ) -> None:
        """Show these rows instead of the ones shown: the first ``first`` now (by default
        what the view shows and a margin), the rest when the list is scrolled, its cursor
        moves near them, or ``fill_all`` is called; ``more`` is then told their keys."""
        self.clear()
        if first is None:
            first = self.rows_in_view() + MARGIN
        self._cells_of, self._more = cells_of, more
        for key in keys[:first]:
            self.add_row(*cells_of(key), key=key)
        # Set after the rows are added: each addition sets the cursor, which fills the rest.
        self._pending = list(keys[first:])

    def rows_in_view(self) -> int:
        """How many rows the table can show (the screen's height before it is laid out)."""
        height = self.scrollable_content_region.height or self.app.size.height
        return max(1, height)

    def fill_all(self) -> None:
        """Add the rows ``fill`` left for later, in their order."""
        pending, self._pending = self._pending, []
        if pending and self._cells_of is not None:
            for key in pending:
                self.add_row(*self._cells_of(key), key=key)
            if self._more is not None:
                self._more(pending)

    @property
    def pending(self) -> int:
        """How many rows are yet to be filled."""
        return len(self._pending)

    def clear(self, columns: bool = False) -> FastTable:
        self._pending = []
        super().clear(columns)
        return self

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._pending and new_value > 0:
            self.fill_all()

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        if self._pending and new_coordinate.row >= self.row_count - MARGIN:
            self.fill_all()
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)

    def action_scroll_bottom(self) -> None:
        self.fill_all()
        super().action_scroll_bottom()

    def action_page_down(self) -> None:
        self.fill_all()
        super().action_page_down()

    # ------------------------------------------------------------------ drawing

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the table has been drawn with rows (at once when it has none)."""
        if not self.row_count:
            callback()
            return
        self._on_drawn = callback

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._frame_now()
        try:
            lines = super().render_lines(crop)
        finally:
            self._frame = None
        if self._on_drawn is not None and self.row_count:
            callback, self._on_drawn = self._on_drawn, None
            callback()
        return lines

    def _frame_now(self) -> _Frame | None:
        """What the lines of this drawing share, when they can be drawn here (see ``_render_line``)."""
        if not self._fixed() or self.fixed_rows or self.fixed_columns or self.cursor_type != "row":
            return None
        if len(self._styles) > _STYLES_KEPT:
            self._styles.clear()
            self._interned.clear()
        columns = self.ordered_columns
        widths = [column.get_render_width(self) for column in columns]
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        return _Frame(
            width=width,
            scroll_x=scroll_x,
            scroll_y=scroll_y,
            header=self.header_height if self.show_header else 0,
            base_style=self.rich_style,
            keys=[column.key for column in columns],
            widths=widths,
            remaining=max(0, width - sum(widths) - self._row_label_column_width),
            drawn=max(width, sum(widths)) + self._row_label_column_width,
            cursor=self.cursor_coordinate,
            hover=self.hover_coordinate,
            row_styles={},
            cell_styles={},
        )

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is None:
            return super().render_line(y)
        if y >= frame.header:
            y += frame.scroll_y
        return self._render_line(y, frame.scroll_x, frame.scroll_x + frame.width, frame.base_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A row of one-line Text cells drawn at once: the same segments as DataTable's
        ``_render_line`` (each cell through ``_line``, under the row's, the cell's and the
        cursor's styles, with the row and column in its meta; the rest of the line in the
        row's style), without building the same styles again for every cell."""
        frame = self._frame
        if frame is None or frame.base_style is not base_style:
            return super()._render_line(y, x1, x2, base_style)
        width = frame.width
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return Strip.blank(width, base_style)
        if row_key is self._header_row_key:
            return self._header_line(y, x1, x2, base_style)
        row = self.rows.get(row_key)
        data = self._data.get(row_key)
        if row is None or data is None or row.height != 1 or line_no:
            return super()._render_line(y, x1, x2, base_style)
        cells = [data.get(key) for key in frame.keys]
        if not all(_plain_line(cell) for cell in cells):
            return super()._render_line(y, x1, x2, base_style)
        cursor, hover = frame.cursor, frame.hover
        cache_key = (
            y,
            x1,
            x2,
            width,
            cursor,
            hover,
            base_style,
            self.cursor_type,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._line_cache.get(cache_key)
        if cached is not None:
            return cached
        row_index = self._row_locations.get(row_key)
        on_cursor, on_hover = cursor.row == row_index, hover.row == row_index
        row_style = frame.row_styles.get(row_index % 2)
        if row_style is None:
            row_style = frame.row_styles[row_index % 2] = self._intern(self._get_row_style(row_index, base_style))
        cell_styles = frame.cell_styles.get((on_hover, on_cursor))
        if cell_styles is None:
            component, post = self._get_styles_to_render_cell(
                False,
                False,
                False,
                on_hover,
                on_cursor,
                self.show_cursor,
                self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            )
            cell_styles = frame.cell_styles[on_hover, on_cursor] = (self._intern(component), self._intern(post))
        component_style, post_style = cell_styles
        styles = self._styles
        console = self.app.console
        padding = self.cell_padding
        line: list[Segment] = []
        for column_index, (cell, cell_width) in enumerate(zip(cells, frame.widths, strict=True)):
            # By identity: the interned styles stay while these entries do.
            key = (id(row_style), row_index, column_index, id(component_style))
            pre_style = styles.get(key)
            if pre_style is None:
                meta = Style.from_meta({"row": row_index, "column": column_index})
                pre_style = styles[key] = row_style + meta + component_style
            assert isinstance(cell, Text)
            line += _line(console, cell, cell_width, padding, pre_style, post_style, styles)
        line.append(Segment(" " * frame.remaining, self._extend_style(row_style, row_index, on_cursor)))
        if x1 == 0 and x2 >= width == frame.drawn and line[0].text:
            # Nothing to crop or pad (line_crop would keep every segment, adjust_cell_length the strip).
            strip = Strip(_simplify(line), width)
        else:
            strip = Strip(line_crop(line, x1, x2, width)).adjust_cell_length(width, base_style).simplify()
        self._line_cache[cache_key] = strip
        return strip

    def _header_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """The header's line as DataTable draws it, kept while nothing it is drawn from changes."""
        columns = tuple(
            (column.key, id(column.label), column.label.plain, column.get_render_width(self))
            for column in self.ordered_columns
        )
        key = (
            y,
            x1,
            x2,
            self.size.width,
            columns,
            self.cursor_coordinate,
            self.hover_coordinate,
            base_style,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self._row_label_column_width,
            self.header_height,
        )
        strip = self._header_lines.get(key)
        if strip is None:
            if len(self._header_lines) > _HEADERS_KEPT:
                self._header_lines.clear()
            strip = self._header_lines[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._header_lines.clear()

    def _intern(self, style: Style) -> Style:
        return self._interned.setdefault(style, style)

    def _extend_style(self, row_style: Style, row_index: int, on_cursor: bool) -> Style:
        """The style of the line beyond the last column, as DataTable draws it for a row cursor."""
        hover = self._frame.hover.row == (row_index or 0) if self._frame else False
        key = ("extend", id(row_style), row_index, on_cursor, hover)
        style = self._styles.get(key)
        if style is None:
            extend, _ = self._get_styles_to_render_cell(
                False, False, False, hover, on_cursor, self.show_cursor, self._show_hover_cursor, False, False
            )
            meta = Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
            style = self._styles[key] = row_style + extend + meta
        return style

    def _fixed(self) -> bool:
        """Whether every column has a fixed width and no row has a label."""
        return not self._labelled_row_exists and all(not column.auto_width for column in self.columns.values())

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """With fixed columns and one-line rows nothing needs measuring: only the size."""
        keys = list(new_rows)
        rows = [self.rows.get(key) for key in keys]
        if not self._fixed() or any(row is not None and (row.height != 1 or row.label is not None) for row in rows):
            super()._update_dimensions(keys)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        header = self.header_height if self.show_header else 0
        # The rows yet to be filled count: the scroll bar shows the whole list from the start.
        self.virtual_size = Size(width, self._total_row_height + len(self._pending) + header)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        stock = super()._render_cell
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return stock(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key) if row_key is not None else None
        cell = self._data[row_key].get(column_key) if row is not None and column_key is not None else None
        if row is None or row.height != 1 or not _plain_line(cell):
            return stock(row_index, column_index, base_style, width, cursor, hover)
        assert isinstance(cell, Text)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        lines = [_line(self.app.console, cell, width, self.cell_padding, pre_style, post_style)]
        self._cell_render_cache[key] = lines
        return lines


def _simplify(line: list[Segment]) -> list[Segment]:
    """Segment.simplify (neighbours of one style joined), asking first whether the two styles
    are the same object: a cell's segments share the table's kept styles."""
    out: list[Segment] = []
    last = None
    for segment in line:
        if last is not None and not segment.control and (segment.style is last.style or segment.style == last.style):
            last = out[-1] = Segment(last.text + segment.text, last.style)
        else:
            out.append(segment)
            last = segment
    return out


def _plain_line(cell: object) -> bool:
    """A cell drawn here: one line of Text, left or right aligned, without tabs."""
    return (
        isinstance(cell, Text)
        and "\n" not in cell.plain
        and "\t" not in cell.plain
        and cell.justify in (None, "default", "left", "right")
        and cell.overflow in (None, "fold", "crop", "ellipsis")
        and cell.end == "\n"
    )


def _line(
    console: Any,
    cell: Text,
    width: int,
    padding: int,
    pre_style: Style,
    post_style: Style,
    styles: dict[tuple[object, ...], Any] | None = None,
) -> list[Segment]:
    """What DataTable draws for a one-line Text cell: the text cut (or aligned) to the
    column and padded (kept: the next keystroke's list shows many of the same cities, tiers,
    types and dates), under the cell's style and over the table's. With ``styles``, each
    combination of the three styles is made once and kept there."""
    key = (cell.plain, cell.style, tuple(cell.spans), cell.justify, cell.overflow, width, padding)
    shaped = _SHAPES.get(key)
    if shaped is None:
        shaped = _shape(console, cell, width, padding)
        _SHAPES.set(key, shaped)
    if styles is None:
        return list(Segment.apply_style(shaped, style=pre_style, post_style=post_style))
    # By identity: the shape kept in the entry keeps its id from being reused; the two styles
    # are those the table keeps.
    cell_key = (id(shaped), id(pre_style), id(post_style))
    made = styles.get(cell_key)
    if made is not None and made[0] is shaped:
        return made[1]
    out = []
    for text, style, control in shaped:
        combined_key = (id(pre_style), style, id(post_style))
        combined = styles.get(combined_key)
        if combined is None:
            # Segment.apply_style's two steps, on one segment.
            combined = pre_style + style if pre_style else style
            if post_style:
                combined = combined + post_style if combined else post_style
            styles[combined_key] = combined
        out.append(Segment(text, None if control else combined, control))
    styles[cell_key] = (shaped, out)
    return out


# The styles kept by a table (rows × columns × cursor states × the cells' own styles): cleared past this.
_STYLES_KEPT = 20_000
_HEADERS_KEPT = 64


class _Frame(NamedTuple):
    """What every line of one drawing of a FastTable shares."""

    width: int
    scroll_x: int
    scroll_y: int
    header: int
    base_style: Style
    keys: list[ColumnKey]
    widths: list[int]
    remaining: int
    drawn: int  # the cells of a row's line before it is cut to the table's width
    cursor: Coordinate
    hover: Coordinate
    row_styles: dict[int, Style]
    cell_styles: dict[tuple[bool, bool], tuple[Style, Style]]


# Cells cut to their column, by what they hold: a few screens' worth.
_SHAPES: LRUCache[tuple[object, ...], list[Segment]] = LRUCache(4096)


def _shape(console: Any, cell: Text, width: int, padding: int) -> list[Segment]:
    """The cell's text cut or aligned to the column and padded, in the text's own styles."""
    inner = max(0, width - 2 * padding)
    plain_style = Style()
    if cell.spans:
        line = cell.copy()
        if cell.justify == "right":
            line.rstrip()
            line.truncate(inner, overflow=cell.overflow or "fold")
            line.pad_left(inner - cell_len(line.plain))
        elif cell.justify == "left":
            line.truncate(inner, overflow=cell.overflow or "fold", pad=True)
        line.truncate(inner, overflow=cell.overflow or "fold")
        # Joined as Rich joins the lines of a cell: the text's own style becomes a span of it.
        segments = list(_NEWLINE.join([line]).render(console))
    else:
        # One style over the whole text: the same cut and alignment on the string alone.
        text = cell.plain.rstrip() if cell.justify == "right" else cell.plain
        if cell_len(text) > inner:
            text = set_cell_size(text, inner - 1) + "…" if cell.overflow == "ellipsis" else set_cell_size(text, inner)
        if cell.justify == "right":
            text = " " * (inner - cell_len(text)) + text
        elif cell.justify == "left":
            text += " " * (inner - cell_len(text))
        style = console.get_style(cell.style, default=plain_style) if cell.style else plain_style
        segments = [Segment(text, style)] if text else []
    segments = Segment.adjust_line_length(segments, inner, style=plain_style)
    if padding:
        space = Segment(" " * padding, plain_style)
        segments = [space, *segments, space]
    return segments
