"""MeasuredTable sizes its columns and its scrolling area exactly as DataTable does."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.measured_table import MeasuredTable

LONG = "聊了报价，对方嫌贵，下周再报一次，顺便带上样品给王总看看" * 3
ROWS: list[tuple[Any, ...]] = [
    (plain("2026-11-20 09:30"), plain("电话"), plain("聊了报价"), plain("")),
    (plain("2026-11-19 18:05"), plain("拜访", "bold red"), plain(LONG), plain("下周再报")),
    (plain("2026-11-18 10:00"), plain("微信"), plain("第一行\n第二行要长得多得多"), plain("ok")),
    (plain("2026-11-17 08:00"), plain("[b]不是标记[/b]"), plain("\t带制表符"), None),
    (Text("styled", style="italic"), Text.assemble(("王", "bold"), "总"), Text(""), plain("👍🏻 emoji")),
    ("a [b]markup[/b] string", 12345, 3.14159, plain("x")),
]


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(id="stock")
        yield MeasuredTable(id="measured")


def sizes(table: DataTable[Any]) -> tuple[object, ...]:
    return (
        [column.content_width for column in table.ordered_columns],
        [column.get_render_width(table) for column in table.ordered_columns],
        table.virtual_size,
        [row.height for row in table.rows.values()],
    )


async def filled_alike(fill) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    """``fill(table)`` on both tables, once they are idle: their sizes, stock then measured."""
    app = Tables()
    async with app.run_test(size=(200, 50)) as pilot:
        tables = [app.query_one("#stock", DataTable), app.query_one("#measured", DataTable)]
        for table in tables:
            fill(table)
        await pilot.pause()
        await pilot.pause()
        return sizes(tables[0]), sizes(tables[1])


async def test_text_rows_of_every_kind_get_the_same_widths() -> None:
    def fill(table: DataTable[Any]) -> None:
        for key in ("when", "kind", "notes", "outcome"):
            table.add_column(key, key=key)
        for number, row in enumerate(ROWS):
            table.add_row(*row, key=str(number))

    stock, measured = await filled_alike(fill)
    assert measured == stock
    assert stock[0][2] > 60  # the long note widened its column: the widths were measured


async def test_a_header_wider_than_every_cell_and_rows_added_in_two_goes() -> None:
    def fill(table: DataTable[Any]) -> None:
        table.add_column("一个很长很长的列标题", key="a")
        table.add_column("b", key="b")
        table.add_row(plain("短"), plain("x"), key="1")

    def more(table: DataTable[Any]) -> None:
        fill(table)
        table.add_row(plain("长长长长长长长长长长长长长长长长长长"), None, key="2")

    assert (await filled_alike(fill))[0] == (await filled_alike(fill))[1]
    stock, measured = await filled_alike(more)
    assert measured == stock


async def test_labels_auto_height_short_rows_and_removed_rows_are_left_to_datatable() -> None:
    def fill(table: DataTable[Any]) -> None:
        table.add_column("a", key="a")
        table.add_column("b", key="b")
        table.add_row(plain("有标签"), plain("x"), label="标签很长很长", key="labelled")
        table.add_row(plain("多行\n多行\n多行"), plain("y"), height=None, key="auto")
        table.add_row(plain("只有一格"), key="short")
        table.add_row(plain("删掉的很长很长很长很长的一行"), plain("z"), key="gone")
        table.remove_row("gone")

    stock, measured = await filled_alike(fill)
    assert measured == stock
    assert stock[3] == [1, 3, 1]  # the automatic height was worked out, by DataTable


async def test_cleared_and_filled_again_as_a_profile_read_again() -> None:
    def fill(table: DataTable[Any]) -> None:
        table.add_column("notes", key="notes")
        table.add_row(plain(LONG), key="1")
        table.clear()
        table.add_row(plain("短"), key="2")

    stock, measured = await filled_alike(fill)
    assert measured == stock
