"""FastTable: the same picture as Textual's DataTable, drawn its own way, and rows filled as
the list is scrolled towards them. Fails when a new Textual draws cells differently."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from kequ.ui.widgets import fast_table
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.fast_table import MARGIN, FastTable

# Cells of the kinds the Customers list shows: spans, styles, Chinese (two cells a character)
# cut at a column's edge, the ellipsis of plain(), right-aligned scores, empty cells.
CELLS: list[Text] = [
    Text("⚠ ", style="bold red") + plain("欧阳总") + plain(" 欧阳娜娜娜娜娜娜", "dim"),
    plain("深圳前海融信供应链有限公司深圳前海融信供应链有限公司"),
    plain("苏州"),
    disc_badge("D"),
    plain("2026-11-02"),
    Text("…", style="dim", justify="right"),
    Text("87", style="yellow", justify="right"),
    Text("a" * 40, justify="left"),
    Text("宽字符截断测试ab"),
    plain(""),
    Text("ab宽字符截断测试ab", overflow="ellipsis", style="dim"),
    Text(" x ", justify="right", overflow="ellipsis"),
    Text("two\nlines"),  # drawn by DataTable itself
]
WIDTHS = [20, 28, 6, 10, 10, 4, 3, 9, 7, 5, 8, 2, 6]


class TwoTables(App[None]):
    def __init__(self, kind: type[DataTable]) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="table", cursor_type="row", zebra_stripes=True)


def _rows(table: DataTable) -> None:  # type: ignore[type-arg]
    for i, width in enumerate(WIDTHS):
        table.add_column(f"c{i}", key=f"c{i}", width=width)
    for r in range(30):
        table.add_row(*(CELLS[(r + i) % len(CELLS)] for i in range(len(WIDTHS))), key=str(r))


async def _picture(kind: type[DataTable], monkeypatch) -> tuple[list[list[Segment]], int]:  # type: ignore[type-arg]
    """Every line the table draws (the cursor's row and the zebra stripes in it), and how many
    cells the fast path drew."""
    drawn = []
    line = fast_table._line

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(1)
        return line(*args, **kwargs)

    monkeypatch.setattr(fast_table, "_line", counting)
    app = TwoTables(kind)
    async with app.run_test(size=(220, 40)) as pilot:
        table = app.query_one("#table", DataTable)
        _rows(table)
        await pilot.pause()
        table.move_cursor(row=3)
        await pilot.pause()
        lines = [list(Segment.simplify(table.render_line(y))) for y in range(table.size.height)]
    return lines, len(drawn)


async def test_it_draws_what_a_datatable_draws(monkeypatch) -> None:
    stock, none = await _picture(DataTable, monkeypatch)
    fast, drawn = await _picture(FastTable, monkeypatch)
    assert none == 0 and drawn > 200  # the fast path drew most cells (not the two-line one)
    assert len(fast) == len(stock) > 30
    for y, (ours, theirs) in enumerate(zip(fast, stock, strict=True)):
        assert ours == theirs, f"line {y} differs"


async def _drawings(kind: type[DataTable], monkeypatch) -> tuple[list[list[list[Segment]]], int]:  # type: ignore[type-arg]
    """What the table draws on the screen (``render_lines``, as the compositor asks for it):
    the cursor on a row, the mouse over another, scrolled down, and a cell changed; and how
    many cells were drawn a row at a time (``_line`` given the table's kept styles)."""
    at_once = []
    line = fast_table._line

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        if len(args) + len(kwargs) == 7:
            at_once.append(1)
        return line(*args, **kwargs)

    monkeypatch.setattr(fast_table, "_line", counting)
    app = TwoTables(kind)
    drawings = []
    one_line = CELLS[:-1]
    async with app.run_test(size=(220, 20)) as pilot:
        table = app.query_one("#table", DataTable)
        for i, width in enumerate(WIDTHS[:-1]):
            table.add_column(f"c{i}", key=f"c{i}", width=width)
        for r in range(30):
            cells = [one_line[(r + i) % len(one_line)] for i in range(len(one_line))]
            if r == 6:
                cells[2] = CELLS[-1]  # a row with a cell of two lines: drawn by DataTable
            table.add_row(*cells, key=str(r))
        await pilot.pause()

        def draw() -> None:
            region = Region(0, 0, table.size.width, table.size.height)
            drawings.append([list(Segment.simplify(strip)) for strip in table.render_lines(region)])

        draw()
        table.move_cursor(row=3)
        await pilot.hover("#table", offset=(30, 6))  # over row 5 (the header is line 0)
        await pilot.pause()
        assert table.hover_coordinate.row == 5
        draw()
        table.scroll_to(y=7, animate=False)
        await pilot.pause()
        draw()
        table.update_cell("4", "c1", Text("改了", style="bold"))
        table.move_cursor(row=9)
        await pilot.pause()
        draw()
        await pilot.hover("#table", offset=(25, 0))  # over the header's second column
        await pilot.pause()
        assert table.hover_coordinate.row == -1
        draw()
    return drawings, len(at_once)


async def test_what_it_draws_on_the_screen_is_what_a_datatable_draws(monkeypatch) -> None:
    stock, none = await _drawings(DataTable, monkeypatch)
    fast, at_once = await _drawings(FastTable, monkeypatch)
    assert none == 0 and at_once > 300  # rows drawn at once, five drawings of about 18 rows
    assert len(fast) == len(stock) == 5
    for n, (ours, theirs) in enumerate(zip(fast, stock, strict=True)):
        assert len(ours) == len(theirs) > 15
        for y, (mine, stock_line) in enumerate(zip(ours, theirs, strict=True)):
            assert mine == stock_line, f"drawing {n}, line {y} differs"


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield FastTable(id="table", cursor_type="row")


async def test_rows_past_the_first_are_filled_when_the_cursor_or_the_scroll_reaches_them() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one("#table", FastTable)
        table.add_column("n", key="n", width=10)
        keys = [f"k{i:03d}" for i in range(100)]
        told: list[list[str]] = []
        table.fill(keys, lambda key: [Text(key)], more=told.append)
        await pilot.pause()
        first = table.row_count
        assert first == table.rows_in_view() + MARGIN < 100
        assert table.pending == 100 - first
        assert table.virtual_size.height == 100 + 1  # the scroll bar counts every row (and the header)
        table.focus()
        for _ in range(first - MARGIN):  # the cursor nears the last row filled
            await pilot.press("down")
        await pilot.pause()
        assert table.row_count == 100 and table.pending == 0
        assert [table.coordinate_to_cell_key((i, 0))[0].value for i in range(100)] == keys
        assert told == [keys[first:]]

        table.fill(keys[:50], lambda key: [Text(key)], first=5)
        await pilot.pause()
        assert table.row_count == 5
        table.scroll_to(y=2, animate=False)  # the mouse wheel
        await pilot.pause()
        assert [table.coordinate_to_cell_key((i, 0))[0].value for i in range(table.row_count)] == keys[:50]


async def test_a_short_list_is_filled_at_once() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one("#table", FastTable)
        table.add_column("n", key="n", width=10)
        table.fill(["a", "b", "c"], lambda key: [Text(key)])
        await pilot.pause()
        assert table.row_count == 3 and table.pending == 0
        table.fill([], lambda key: [Text(key)])
        called: list[int] = []
        table.when_drawn(lambda: called.append(1))  # nothing to draw: at once
        assert called == [1]
