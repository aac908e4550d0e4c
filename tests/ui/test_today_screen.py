"""The Today screen driven as a person would, with Pilot, on a real demo database."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Static

from kequ.i18n import set_language
from kequ.ui.app import KequApp
from kequ.ui.dialogs.prompts import OutcomePrompt, SnoozePrompt
from kequ.ui.screens.today.today import (
    COLUMN_FLOOR,
    DATE_WIDTH,
    NARROW_SCREEN,
    SCROLLBAR,
    SHORT_BADGE,
    TodayScreen,
    column_widths,
    label_widths,
)
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle, wait_for_screen


async def _loaded(pilot, screen: TodayScreen) -> DataTable:
    await settle(pilot)
    return screen.query_one("#agenda", DataTable)


def _first_under(table: DataTable, section: str = "overdue") -> int:
    """The row of the first item under a band's heading (an open complaint's band comes first)."""
    keys = [str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)]
    heading = "section:visits" if section == "visits" else f"section:today.section.{section}"
    return keys.index(heading) + 1


def _cell_texts(table: DataTable) -> str:
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count))


async def test_opens_on_today_with_sections_and_reasons(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        table = await _loaded(pilot, screen)
        text = _cell_texts(table)
        assert "逾期" in text and "今天" in text and "未来 7 天" in text
        assert "成交后第 3 天" in text
        summary = str(screen.query_one("#summary", Static).render())
        assert "待跟进" in summary and "冷落" in summary


async def test_the_cursor_starts_on_the_first_item_not_a_heading(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        await pilot.pause()
        first = screen.selected()
        assert first is not None and table.cursor_row == 1  # row 0 is the 逾期 heading
        detail = str(screen.query_one("#detail", Static).render())
        assert first.name in detail and first.due.isoformat() in detail


@pytest.mark.parametrize("screen", [80, 100, 130, 160, 220])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_columns_fill_the_screen_and_never_outgrow_it(screen: int, lang: str) -> None:
    set_language(lang)
    kind, disc = label_widths()
    widths = column_widths(screen, kind, disc)
    assert sum(widths.values()) + 2 * len(widths) + SCROLLBAR == screen
    assert widths["col.kind"] == kind and widths["col.date"] == DATE_WIDTH
    if screen < NARROW_SCREEN:
        # Half a laptop: the approach goes to the line under the list, the type to its letter,
        # and the reason keeps a readable width in either language.
        assert "today.col.approach" not in widths
        assert widths["col.disc"] == SHORT_BADGE
        assert widths["col.reason"] >= 24 and widths["col.customer"] >= 20
    else:
        assert widths["col.disc"] == disc
        assert min(widths["col.customer"], widths["col.reason"], widths["today.col.approach"]) >= COLUMN_FLOOR


def test_the_labels_are_measured_in_the_language_shown() -> None:
    set_language("zh")
    assert label_widths() == (4, 10)  # 拜访, " D 力量型 "
    set_language("en")
    assert label_widths() == (9, 14)  # Complaint, " I Influencer "


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_rows_fit_the_screen_at_100_and_160_columns(demo_db, lang: str) -> None:
    """No sideways scroll: the approach ends in "…" at the screen's edge, whole when there is room."""
    from rich.cells import cell_len

    from kequ.domain.agenda.suggest import approach_for

    set_language(lang)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        assert table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(160, 45)
        await settle(pilot)
        assert table.virtual_size.width <= table.size.width
        if lang == "zh":  # English advice is longer than any column: the line under the list has it
            approach = table.columns["today.col.approach"].get_render_width(table) - 2 * table.cell_padding
            assert approach >= max(cell_len(approach_for(item, "zh")) for item in screen.items.values())


async def test_done_logs_the_contact_and_the_row_leaves(demo_db) -> None:
    from kequ.services.agenda import agenda

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        table.move_cursor(row=_first_under(table))  # the first item under the 逾期 heading
        target = screen.selected()
        assert target is not None
        await pilot.press("d")
        await wait_for_screen(pilot, OutcomePrompt)
        await pilot.press(*"约好下周拜访")
        await pilot.press("enter")
        await _loaded(pilot, screen)
        assert target.key not in {item.key for item in screen.items.values()}
    remaining = agenda(demo_db, DEMO_TODAY, DEMO_TODAY)
    assert target.key not in {item.key for item in remaining}


async def test_snooze_moves_the_item_out_of_today(demo_db) -> None:
    from kequ.services.agenda import agenda

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        table.move_cursor(row=_first_under(table))
        target = screen.selected()
        assert target is not None
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozePrompt)
        await pilot.press("down", "enter")  # 3 days
        await _loaded(pilot, screen)
    assert target.key not in {i.key for i in agenda(demo_db, DEMO_TODAY, DEMO_TODAY)}
    later = {i.key: i for i in agenda(demo_db, DEMO_TODAY, date.fromordinal(DEMO_TODAY.toordinal() + 3))}
    assert later[target.key].due.toordinal() == DEMO_TODAY.toordinal() + 3


async def test_ctrl_q_quits(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None


def test_today_snapshot(demo_db, snap_compare) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    assert snap_compare(app, terminal_size=(160, 45), run_before=settle)


def test_today_snapshot_half_a_laptop(demo_db, snap_compare) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_the_english_snapshots_pass_in_a_process_started_in_english() -> None:
    """Key labels are read when the screens are imported, so the English look is checked
    in a pytest started in English (tests/ui/english), as a user's `kequ --lang en` starts."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).parent / "english"
    env = {**os.environ, "KEQU_LANG": "en"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(here), "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout


async def test_snooze_to_a_typed_date_and_a_past_date_is_refused(demo_db) -> None:
    from kequ.services.agenda import agenda

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        table.move_cursor(row=_first_under(table))
        target = screen.selected()
        assert target is not None
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozePrompt)
        prompt = app.screen
        prompt.query_one("#snooze-date").focus()
        await pilot.press(*"2026-11-01", "enter")
        await pilot.pause()
        assert "今天之后" in str(prompt.query_one("#snooze-error").render())
        prompt.query_one("#snooze-date").value = ""
        await pilot.press(*"2026-12-05", "enter")
        await _loaded(pilot, screen)
    later = {i.key: i for i in agenda(demo_db, DEMO_TODAY, date(2026, 12, 5))}
    assert later[target.key].due == date(2026, 12, 5)


async def test_copy_puts_the_message_for_this_occasion_and_tone_on_the_clipboard(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        deal_row = next(i for i in range(table.row_count) if "成交后第 3 天" in " ".join(map(str, table.get_row_at(i))))
        table.move_cursor(row=deal_row)
        item = screen.selected()
        await pilot.press("c")
        await pilot.pause()
        copied = app.clipboard
        assert copied and "{" not in copied
        assert (item.honorific or item.name) in copied
        shown = str(screen.query_one("#detail").render())
        assert "已复制" in shown and copied.splitlines()[0] in shown
        # No toast on top of the line that shows what was copied.
        assert not app._notifications


async def test_a_keymap_file_remaps_keys_and_a_broken_one_is_reported(demo_db, tmp_path, monkeypatch) -> None:
    from kequ.ui.dialogs.prompts import OutcomePrompt

    keys = tmp_path / "keys.toml"
    keys.write_text('"today.done" = "space"\n', encoding="utf-8")
    monkeypatch.setenv("KEQU_KEYMAP", str(keys))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        table = await _loaded(pilot, app.screen)
        table.move_cursor(row=_first_under(table))
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, OutcomePrompt)

    keys.write_text("this is = not toml [", encoding="utf-8")
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await _loaded(pilot, app.screen)
        assert any("按键设置文件" in str(n.message) for n in app._notifications)


async def test_the_days_trip_visits_sit_at_the_top_and_enter_writes_one_up(demo_db) -> None:
    import sqlite3

    from kequ.services.trips import add_visit, plan_trip

    cid, city = sqlite3.connect(demo_db.path).execute("SELECT id, city FROM customer WHERE tier = 'key'").fetchone()
    trip = plan_trip(demo_db, "", [city], DEMO_TODAY, DEMO_TODAY)
    add_visit(demo_db, trip, cid, DEMO_TODAY, "09:30", purpose="送新品样品")
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        table = await _loaded(pilot, app.screen)
        visit = _first_under(table, "visits")
        # Below the open complaint, above everything else.
        assert visit == _first_under(table, "complaints") + 2 == _first_under(table, "overdue") - 2
        first = (
            " ".join(str(c) for c in table.get_row_at(visit - 1))
            + " "
            + " ".join(str(c) for c in table.get_row_at(visit))
        )
        assert "今日拜访" in first and "09:30" in first and "送新品样品" in first
        table.move_cursor(row=visit)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WriteUpPrompt"


async def test_a_long_section_lists_the_first_rows_and_says_how_many_more(db, monkeypatch) -> None:
    import sqlite3

    import kequ.ui.screens.today.today as today_module
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer

    monkeypatch.setattr(today_module, "SECTION_ROWS", 5)
    for n in range(8):
        add_customer(db, NewCustomer(name=f"客户{n}", tier="potential"))
    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE customer SET created_at = '2026-08-01 04:00:00'")
    conn.commit()
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        table = await _loaded(pilot, app.screen)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert sum("还没通过电话" in r for r in rows) == 5
        assert any("还有 3 项没有列出" in r for r in rows)
        assert "待跟进 8 项" in str(app.screen.query_one("#summary").render())


async def test_copy_uses_the_users_own_template_first(demo_db) -> None:
    from kequ.services.templates_store import save_template

    save_template(demo_db, "deal_call_3", None, None, "{honorific}您好，我是小李，回访一下第一批货的使用情况。")
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        deal_row = next(i for i in range(table.row_count) if "成交后第 3 天" in " ".join(map(str, table.get_row_at(i))))
        table.move_cursor(row=deal_row)
        item = screen.selected()
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == f"{item.honorific or item.name}您好，我是小李，回访一下第一批货的使用情况。"
        await pilot.press("m")
        await settle(pilot)
        assert type(app.screen).__name__ == "TemplatesScreen"


@pytest.mark.frozen_at("2026-11-23T23:59:40")
async def test_an_app_left_open_overnight_moves_to_the_new_day(demo_db, frozen_time, monkeypatch) -> None:
    """Nobody restarts kequ at midnight: Today and the other screens take the new day."""
    from datetime import datetime, timedelta

    from kequ.ui.screens.festivals.festivals import FestivalsScreen
    from kequ.ui.screens.today.today import sections

    monkeypatch.setattr(KequApp, "DAY_CHECK_SECONDS", 0.05)
    app = KequApp(demo_db.path)  # no fixed day: the app follows the clock
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await wait_for_screen(pilot, FestivalsScreen)
        await settle(pilot)
        festivals = app.screen
        days_left_before = {row.key: row.days_left for row in festivals.loaded}
        await pilot.press("1")
        await wait_for_screen(pilot, TodayScreen)
        today = app.screen
        await settle(pilot)
        tomorrow = DEMO_TODAY + timedelta(days=1)
        bands = dict(sections(today.loaded, today.today))
        now_before, coming_before = bands["today.section.today"], bands["today.section.coming"]
        due_tomorrow = [item for item in coming_before if item.due == tomorrow]
        assert due_tomorrow, "the demo has something due on the 24th"
        assert "2026-11-23" in str(today.query_one("#summary", Static).render())

        frozen_time.move_to(datetime(2026, 11, 24, 0, 0, 5).astimezone())
        for _ in range(100):
            await pilot.pause(0.05)
            if today.today == tomorrow and today.loaded is not None:
                await settle(pilot)
                if "2026-11-24" in str(today.query_one("#summary", Static).render()):
                    break
        assert "2026-11-24" in str(today.query_one("#summary", Static).render())
        bands = dict(sections(today.loaded, today.today))
        overdue, now = bands["today.section.overdue"], bands["today.section.today"]
        assert {(i.customer_id, i.source_key) for i in due_tomorrow} <= {(i.customer_id, i.source_key) for i in now}
        # What was due on the 23rd and is not done is overdue now (an open complaint stays on top, due today).
        was_due = {(i.customer_id, i.source_key) for i in now_before}
        assert was_due and was_due <= {(i.customer_id, i.source_key) for i in overdue}
        assert sections(today.loaded, today.today)[0][0] == "today.section.complaints"
        # The festivals screen, in its own mode, moved too: one day fewer to every festival.
        assert festivals.today == tomorrow
        await pilot.press("4")
        await wait_for_screen(pilot, FestivalsScreen)
        await settle(pilot)
        after = {row.key: row.days_left for row in festivals.loaded}
        assert all(after[key] == left - 1 for key, left in days_left_before.items() if left > 0 and key in after)


async def test_cancel_remapped_once_closes_every_dialog(demo_db, tmp_path, monkeypatch) -> None:
    """One id for Escape in every dialog: a user who moves Cancel does it once, not sixteen times."""
    from kequ.ui.base import CANCEL_ID
    from kequ.ui.dialogs.log import LogPrompt
    from kequ.ui.dialogs.prompts import OutcomePrompt, SnoozePrompt

    keys = tmp_path / "keys.toml"
    keys.write_text(f'"{CANCEL_ID}" = "ctrl+g"\n', encoding="utf-8")
    monkeypatch.setenv("KEQU_KEYMAP", str(keys))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        table = await _loaded(pilot, app.screen)
        table.move_cursor(row=_first_under(table))
        for key, dialog in (("d", OutcomePrompt), ("s", SnoozePrompt), ("l", LogPrompt)):
            await pilot.press(key)
            await wait_for_screen(pilot, dialog)
            await pilot.press("ctrl+g")
            await wait_for_screen(pilot, TodayScreen)
            assert isinstance(app.screen, TodayScreen), dialog.__name__


async def test_the_palette_lists_the_screens_own_keys(demo_db) -> None:
    """ctrl+p finds 完成 and the rest: every binding of the screen and the app, with its key."""
    from kequ.i18n import t

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await _loaded(pilot, app.screen)
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert commands[t("key.done")] == t("palette.key", key="d")
        assert t("key.customers") in commands


async def test_an_open_complaint_comes_first_above_the_visits_and_overdue_items(demo_db) -> None:
    import sqlite3

    with sqlite3.connect(demo_db.path) as conn:
        [(complaint_id,)] = conn.execute("SELECT id FROM complaint WHERE closed_at IS NULL").fetchall()
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        table = await _loaded(pilot, screen)
        keys = [str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)]
        assert keys[0] == "section:today.section.complaints"
        assert f"|complaint:{complaint_id}|" in keys[1]
        assert keys.index("section:today.section.overdue") == 2
        # The cursor starts on the complaint, where d, s and Enter act.
        assert table.cursor_row == 1


@pytest.mark.parametrize("typed", ["导入", "dr", "daoru", "import", "Import"])
async def test_the_palette_finds_the_apps_own_commands_in_chinese_pinyin_or_english(demo_db, typed: str) -> None:
    from textual.command import CommandList, CommandPalette

    from kequ.i18n import t

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await _loaded(pilot, app.screen)
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        assert str(app.screen.query_one("Input").placeholder) == t("palette.placeholder")
        await pilot.press(*typed)
        found: list[str] = []
        for _ in range(100):
            results = app.screen.query_one(CommandList)
            found = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
            if any(t("import_ui.key.app") in line for line in found):
                break
            await pilot.pause(0.05)
        assert any(t("import_ui.key.app") in line for line in found), found


async def test_the_palette_lists_every_screen_and_the_keys_of_the_screen_in_front(demo_db) -> None:
    from kequ.i18n import t

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await _loaded(pilot, app.screen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        screens = ["key.today", "key.customers", "key.complaints", "key.festivals", "key.trips", "key.templates"]
        for key in [*screens, "import_ui.key.app", "key.help", "key.quit", "key.done", "key.snooze", "key.copy"]:
            assert t(key) in titles, key
        # Textual's English-only commands are not offered in a Chinese app.
        assert "Keys" not in titles and "Change theme" not in titles
        await pilot.press("2")
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert t("key.done") not in titles  # Today's keys leave with Today


async def test_the_cursor_steps_over_band_headings_both_ways(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        table = await _loaded(pilot, screen)
        assert table.cursor_row == _first_under(table, "complaints")
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == _first_under(table, "overdue")
        assert screen.selected() is not None
        await pilot.press("up")
        await pilot.pause()
        assert table.cursor_row == _first_under(table, "complaints")
        await pilot.press("up")  # nothing above the first heading: the cursor stays on the item
        await pilot.pause()
        assert table.cursor_row == _first_under(table, "complaints")


async def test_an_empty_book_says_where_to_begin(db) -> None:
    from kequ.i18n import t

    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await _loaded(pilot, screen)
        assert str(screen.query_one("#detail", Static).render()) == t("today.empty_book")


async def test_copy_has_words_for_the_kind_of_touch_and_signs_with_my_name(demo_db) -> None:
    import sqlite3

    from kequ.domain.agenda.suggest import formality_for

    conn = sqlite3.connect(demo_db.path)
    with conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('my_name', ?)", ('"小李"',))
    conn.close()
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = await _loaded(pilot, screen)
        copied: dict[str, str] = {}
        picked = {}
        for source, kind in (("complaint:", "complaint"), ("cadence:call", "call")):
            key, picked[kind] = next((k, i) for k, i in screen.items.items() if i.source_key.startswith(source))
            table.move_cursor(row=table.get_row_index(key))
            await pilot.press("c")
            await settle(pilot)
            copied[kind] = app.clipboard
        assert "祝您一切顺利" not in copied["complaint"] and "祝您一切顺利" not in copied["call"]
        assert any(word in copied["complaint"] for word in ("道歉", "抱歉", "致歉", "对不住", "不好意思"))
        assert "进展" in copied["complaint"]
        # A call's opener asks for a moment; said aloud, so it carries no written signature.
        assert "方便" in copied["call"] and "——" not in copied["call"]
        assert copied["complaint"].startswith(picked["complaint"].honorific or picked["complaint"].name)
        if formality_for(picked["complaint"].honorific) == "formal":  # a written message, signed
            assert copied["complaint"].endswith("——小李")


async def test_a_customer_without_a_form_of_address_is_named_once_in_the_detail(db) -> None:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer

    add_customer(db, NewCustomer(name="王建国", tier="key"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        await _loaded(pilot, screen)
        await pilot.pause()
        assert screen.selected() is not None
        detail = str(screen.query_one("#detail", Static).render())
        assert "王建国" in detail and "王建国（王建国）" not in detail
