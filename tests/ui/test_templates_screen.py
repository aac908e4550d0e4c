"""The template list and editor, driven with Pilot on a real database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable, Select, Static, TextArea

from kequ.services.templates_store import save_template
from kequ.ui.app import KequApp
from kequ.ui.dialogs.prompts import ConfirmPrompt
from kequ.ui.screens.templates.templates import TemplateEditor, TemplatesScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


def _stored(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, occasion, disc, formality, body FROM greeting_template ORDER BY id").fetchall()
    finally:
        conn.close()


def _rows(table: DataTable) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def _shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open(pilot, db_path: Path) -> TemplatesScreen:
    await settle(pilot)
    pilot.app.push_screen(TemplatesScreen(DEMO_TODAY))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TemplatesScreen)
    return screen


async def _type(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


async def test_the_list_shows_built_ins_with_a_filled_preview(db) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(140, 45)) as pilot:
        screen = await _open(pilot, db.path)
        rows = _rows(screen.query_one("#templates", DataTable))
        assert rows and all("内置" in row for row in rows)
        assert any("中秋节" in row for row in rows)
        # Each row reads as the customer would, not as template syntax.
        assert not any("[[" in row or "{" in row for row in rows)
        assert any("王总" in row for row in rows)
        preview = _shown(screen, "#tpl-preview")
        assert "王总" in preview or "王建国" in preview
        assert "{" not in preview
        assert "内置模板" in _shown(screen, "#tpl-summary")


async def test_a_bad_placeholder_is_shown_and_not_saved_then_the_fixed_one_is(db) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(140, 45)) as pilot:
        screen = await _open(pilot, db.path)
        await pilot.press("n")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, TemplateEditor)
        assert editor.query_one("#ed-body", TextArea).text  # starts from the highlighted template
        editor.query_one("#ed-occasion", Select).value = "mid_autumn"
        editor.query_one("#ed-formality", Select).value = "any"
        editor.query_one("#ed-body", TextArea).clear()
        await _type(pilot, "{boss}, happy mid-autumn")
        assert "不认识的占位符：{boss}" in _shown(editor, "#ed-problems")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is editor
        assert _stored(db.path) == []

        editor.query_one("#ed-body", TextArea).clear()
        await _type(pilot, "[bold]{name}[/bold], happy mid-autumn")
        assert "没有问题" in _shown(editor, "#ed-problems")
        assert "[bold]王建国[/bold], happy mid-autumn" in _shown(editor, "#ed-preview")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        saved = _stored(db.path)
        assert [row[1:] for row in saved] == [("mid_autumn", None, None, "[bold]{name}[/bold], happy mid-autumn")]

        table = screen.query_one("#templates", DataTable)
        mine = [row for row in _rows(table) if " 我的 " in row]
        assert len(mine) == 1 and "[bold]王建国[/bold]" in mine[0]  # filled, and the markup shown as typed
        # The cursor follows the saved template, and its markup is shown as typed.
        assert screen.selected() is not None and screen.selected().id == saved[0][0]
        assert _shown(screen, "#tpl-preview") == "[bold]王建国[/bold], happy mid-autumn"


async def test_editing_a_built_in_saves_a_copy_and_editing_mine_changes_it(db) -> None:
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(140, 45)) as pilot:
        screen = await _open(pilot, db.path)
        builtin = screen.selected()
        assert builtin is not None and builtin.builtin
        await pilot.press("e")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, TemplateEditor) and editor.editing_id is None
        await _type(pilot, "!")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [(copy_id, occasion, disc, formality, body)] = _stored(db.path)
        assert (occasion, disc, formality, body) == (
            builtin.occasion,
            builtin.disc,
            builtin.formality,
            builtin.body + "!",
        )

        assert screen.selected() is not None and screen.selected().id == copy_id
        await pilot.press("e")
        await pilot.pause()
        assert pilot.app.screen.editing_id == copy_id
        pilot.app.screen.query_one("#ed-body", TextArea).clear()
        await _type(pilot, "{name} ok")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[0::4] for row in _stored(db.path)] == [(copy_id, "{name} ok")]


async def test_delete_asks_first_and_only_deletes_own(db) -> None:
    keep = save_template(db, "birthday", None, None, "{name} 生日快乐")
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(140, 45)) as pilot:
        screen = await _open(pilot, db.path)
        table = screen.query_one("#templates", DataTable)
        table.move_cursor(row=0)
        await pilot.press("delete")  # a built-in: nothing to confirm
        await pilot.pause()
        assert pilot.app.screen is screen

        table.move_cursor(row=table.get_row_index(f"u{keep}"))
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmPrompt)
        await pilot.press("n")
        await settle(pilot)
        assert [row[0] for row in _stored(db.path)] == [keep]

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert _stored(db.path) == []
        assert not any(" 我的 " in row for row in _rows(table))

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, TemplatesScreen)


async def test_in_english_the_screen_and_its_problems_are_english(db) -> None:
    from kequ.i18n import set_language

    set_language("en")
    async with KequApp(db.path, today=DEMO_TODAY).run_test(size=(140, 45)) as pilot:
        screen = await _open(pilot, db.path)
        assert "built-in templates" in _shown(screen, "#tpl-summary")
        assert all("Built-in" in row for row in _rows(screen.query_one("#templates", DataTable)))
        await pilot.press("n")
        await pilot.pause()
        editor = pilot.app.screen
        editor.query_one("#ed-body", TextArea).clear()
        await _type(pilot, "Dear {boss")
        assert "Unmatched brace: {" in _shown(editor, "#ed-problems")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and _stored(db.path) == []
