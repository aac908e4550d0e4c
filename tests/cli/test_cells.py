"""Table cells of the command line: wrapped between Chinese characters, never inside a number."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.table import Table

from kequ.cli.cells import Cell, _wrap


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("上次拜访 250 天前（每 180 天）", 25, ["上次拜访 250 天前（每 180", "天）"]),
        ("上次拜访 250 天前（每 180 天）", 12, ["上次拜访 250", "天前（每 180", "天）"]),
        ("生病住院 11月17日（已过 6 天）", 12, ["生病住院 11", "月17日（已过", "6 天）"]),
        ("第 5/9 步，已 26698 天", 10, ["第 5/9", "步，已", "26698 天"]),
        ("Last call 42 days ago (every 30 days)", 12, ["Last call 42", "days ago", "(every 30", "days)"]),
        ("", 10, [""]),
    ],
)
def test_lines_break_only_where_a_reader_would(text: str, width: int, lines: list[str]) -> None:
    assert list(_wrap(text, width)) == lines


def test_a_piece_longer_than_the_column_is_the_only_thing_cut() -> None:
    assert list(_wrap("13812345678", 5)) == ["13812", "34567", "8"]


def test_a_narrow_table_keeps_every_number_whole() -> None:
    console = Console(width=40, record=True, color_system=None)
    table = Table()
    for heading in ("日期", "原因"):
        table.add_column(heading)
    table.add_row(Cell("2026-11-23"), Cell("上次拜访 250 天前（每 180 天），还没回电"))
    console.print(table)
    out = console.export_text()
    assert "2026-11-23" in out and "250" in out and "180" in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 40
