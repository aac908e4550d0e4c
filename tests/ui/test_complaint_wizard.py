"""The complaint wizard driven as a salesperson would, with Pilot, on a real demo database.

Every check of what was saved opens the SQLite file afresh: the point is that the text is
on disk, not that the screen remembers it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, Static, TextArea

from kequ.storage.models import Touchpoint
from kequ.ui.app import KequApp
from kequ.ui.screens.complaints.close_dialog import CloseComplaintDialog
from kequ.ui.screens.complaints.complaints import ComplaintsScreen
from kequ.ui.screens.complaints.wizard import SAVE_DELAY, ComplaintWizard
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import screen_lines

DEMO_NOTES = (
    "先肯定客户的感受，不争对错。",
    "让客户把情况讲完：共 12 箱，其中 4 箱外箱破损。",
    "当场回应：理解耽误生产的着急。",
    "感谢客户第一时间告诉我们，而不是直接换供应商。",
)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def demo_complaint(path: Path) -> tuple[int, int]:
    """(complaint id, customer id) of the demo's open complaint."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, customer_id FROM complaint").fetchone()


def stored(path: Path, complaint_id: int) -> tuple[int, str, dict[int, tuple[str, dict[str, str]]]]:
    """(step reached, summary, {step: (notes, data)}) as the file holds them now."""
    conn = sqlite3.connect(path)
    try:
        step, summary = conn.execute("SELECT step, summary FROM complaint WHERE id = ?", (complaint_id,)).fetchone()
        rows = conn.execute("SELECT step, notes, data FROM complaint_step WHERE complaint_id = ?", (complaint_id,))
        steps = {number: (notes, json.loads(data)) for number, notes, data in rows}
    finally:
        conn.close()
    return step, summary, steps


async def open_wizard(pilot, app: KequApp, **kwargs: object) -> ComplaintWizard:
    await settle(pilot)
    wizard = ComplaintWizard(today=DEMO_TODAY, **kwargs)  # type: ignore[arg-type]
    app.push_screen(wizard)
    await settle(pilot)
    return wizard


def complaints_of(path: Path, customer_id: int) -> list[tuple[str, int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT status, step, summary FROM complaint WHERE customer_id = ? ORDER BY id", (customer_id,)
        ).fetchall()


def a_customer_without_complaints(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT id FROM customer WHERE id NOT IN (SELECT customer_id FROM complaint) ORDER BY id LIMIT 1"
        ).fetchone()[0]


async def open_recording(pilot, app: KequApp, customer_id: int) -> tuple[ComplaintWizard, list[bool | None]]:
    """The wizard for a customer, opened so that what it is dismissed with is kept."""
    results: list[bool | None] = []
    await settle(pilot)
    wizard = ComplaintWizard(customer_id=customer_id, today=DEMO_TODAY)
    app.push_screen(wizard, results.append)
    await settle(pilot)
    return wizard, results


def notes_of(wizard: ComplaintWizard) -> TextArea:
    return wizard.query_one("#cw-notes", TextArea)


async def type_into(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_resumes_exactly_at_step_five_with_earlier_notes_behind(demo_db) -> None:
    complaint_id, customer_id = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, customer_id=customer_id)
        assert wizard.complaint_id == complaint_id
        assert wizard.state is not None and wizard.state.current == 5 and wizard.state.reached == 5
        assert "第 5 步，共 9 步" in str(wizard.query_one("#cw-step-of", Static).render())
        assert "不推卸责任" in str(wizard.query_one("#cw-step-title", Static).render())
        assert notes_of(wizard).has_focus and notes_of(wizard).text == ""
        for step in (4, 3, 2, 1):
            await pilot.press("ctrl+left" if step % 2 else "pageup")
            await settle(pilot)
            assert wizard.state.current == step
            assert notes_of(wizard).text == DEMO_NOTES[step - 1]
        await pilot.press("pageup")  # nothing before step one: a warning, not a crash
        await settle(pilot)
        assert wizard.state.current == 1
    assert stored(demo_db.path, complaint_id)[0] == 5  # looking back does not lose the progress


async def test_walks_all_nine_steps_and_every_one_is_on_disk(demo_db) -> None:
    customer_id = a_customer_without_complaints(demo_db.path)
    fields = {
        6: {"asks": "a", "can_do": "b", "cannot_do": "c", "why_not": "d"},
        7: {"action": "e", "deadline": "2026-11-30"},
        8: {"declined": "f", "how": "g"},
    }
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard, results = await open_recording(pilot, app, customer_id)
        # Nothing written yet: nothing stored yet. The summary's first letters store it.
        assert wizard.complaint_id is None and wizard.state is not None and wizard.state.current == 1
        await type_into(pilot, wizard.query_one("#cw-summary", Input), "s!")
        await pilot.press("tab")
        await settle(pilot)
        complaint_id = wizard.complaint_id
        assert complaint_id is not None and stored(demo_db.path, complaint_id)[:2] == (1, "s!")
        for step in range(1, 10):
            for name, value in fields.get(step, {}).items():
                await type_into(pilot, wizard.query_one(f"#cw-f-{step}-{name}", Input), value)
            await type_into(pilot, notes_of(wizard), f"n{step}")
            if step < 9:
                await pilot.press("ctrl+right" if step % 2 else "pagedown")
            else:
                notes_of(wizard).blur()
            await settle(pilot)
            reached, summary, steps = stored(demo_db.path, complaint_id)
            assert reached == min(step + 1, 9)
            assert summary == "s!"
            assert steps[step] == (f"n{step}", fields.get(step, {}))
        await pilot.press("pagedown")  # past the last step: refused with a message
        await settle(pilot)
        assert wizard.state.current == 9
        await pilot.press("escape")
        await settle(pilot)
    assert results == [True]


async def test_notes_are_on_disk_while_still_writing_the_step(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press(*"kehu hen zhaoji")
        await pilot.pause(SAVE_DELAY + 0.3)
        await settle(pilot)
        # Still on step five, still in the notes box: nothing was left, and yet it is saved.
        assert wizard.state is not None and wizard.state.current == 5 and notes_of(wizard).has_focus
        assert stored(demo_db.path, complaint_id)[2][5][0] == "kehu hen zhaoji"
        assert "已自动保存" in str(wizard.query_one("#cw-save-status", Static).render())
        await pilot.press(*" 12")
        await pilot.pause(SAVE_DELAY + 0.3)
        await settle(pilot)
        assert stored(demo_db.path, complaint_id)[2][5][0] == "kehu hen zhaoji 12"


async def test_the_status_says_saved_once_the_text_is_written_on_the_way_out(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press(*"zai shuo", "ctrl+l")  # well inside the save delay: written before the dialog
        await settle(pilot)
        assert app.screen is not wizard
        await pilot.press("escape")  # not closing after all
        await settle(pilot)
        assert app.screen is wizard
        status = str(wizard.query_one("#cw-save-status", Static).render())
        assert "已自动保存" in status and "正在保存" not in status
    assert stored(demo_db.path, complaint_id)[2][5][0] == "zai shuo"


async def test_quitting_right_after_typing_keeps_the_text(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press(*"bye", "ctrl+q")  # well inside the save delay
    assert stored(demo_db.path, complaint_id)[2][5][0] == "bye"


async def test_a_bad_deadline_is_explained_and_not_saved(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert wizard.state is not None and wizard.state.current == 7
        deadline = wizard.query_one("#cw-f-7-deadline", Input)
        error = wizard.query_one("#cw-e-7-deadline", Label)
        await type_into(pilot, deadline, "下周五")
        await pilot.pause(SAVE_DELAY + 0.3)
        await settle(pilot)
        assert "看不懂" in str(error.render()) and error.display
        assert "deadline" not in stored(demo_db.path, complaint_id)[2].get(7, ("", {}))[1]
        deadline.value = ""
        await type_into(pilot, deadline, "2026-12-01")
        await pilot.press("tab")
        await settle(pilot)
        assert not error.display
        assert stored(demo_db.path, complaint_id)[2][7][1] == {"deadline": "2026-12-01"}


async def test_the_rail_opens_reached_steps_and_refuses_to_skip_ahead(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        rail = wizard.query_one("#cw-rail")
        rail.focus()
        await pilot.press("up", "up")
        await settle(pilot)
        assert wizard.state is not None and wizard.state.current == 3
        assert notes_of(wizard).text == DEMO_NOTES[2]
        await pilot.press("up", "up", "up")  # from step one the rail wraps round to nine
        await settle(pilot)
        assert wizard.state.current == 1 and rail.highlighted == 0  # refused: steps go in order
        assert stored(demo_db.path, complaint_id)[0] == 5
        await pilot.press(*["down"] * 5)
        await settle(pilot)
        assert wizard.state.current == 6  # the step after the furthest reached may be opened
    assert stored(demo_db.path, complaint_id)[0] == 6


async def test_closing_books_the_follow_ups_and_makes_it_read_only(demo_db) -> None:
    complaint_id, customer_id = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press(*"lw")  # typed just before closing: must not be lost
        await pilot.press("ctrl+l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseComplaintDialog)
        assert stored(demo_db.path, complaint_id)[2][5][0] == "lw"
        preview = str(dialog.query_one("#close-dates", Static).render())
        assert "2026-11-26" in preview and "2026-12-07" in preview

        dialog.query_one("#close-satisfaction").value = 4
        await pilot.press("enter")  # no resolution yet: the service's reason, inline
        await settle(pilot)
        assert app.screen is dialog
        assert "处理结果" in str(dialog.query_one("#close-error", Label).render())

        await pilot.press(*"ok")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is wizard

        assert wizard.has_class("-closed")
        assert notes_of(wizard).read_only and wizard.query_one("#cw-summary", Input).disabled
        assert "已结案" in str(wizard.query_one("#cw-banner", Static).render())
        await pilot.press("ctrl+l")  # closed: the dialog does not come back
        await settle(pilot)
        assert app.screen is wizard

    conn = sqlite3.connect(demo_db.path)
    status, resolution, satisfaction = conn.execute(
        "SELECT status, resolution, satisfaction FROM complaint WHERE id = ?", (complaint_id,)
    ).fetchone()
    touches = conn.execute(
        "SELECT due_date, kind, status FROM touchpoint"
        " WHERE customer_id = ? AND source_key = 'manual' ORDER BY due_date",
        (customer_id,),
    ).fetchall()
    conn.close()
    assert (status, resolution, satisfaction) == ("closed", "ok", 4)
    assert ((DEMO_TODAY + timedelta(days=3)).isoformat(), "call", "planned") in touches
    assert ((DEMO_TODAY + timedelta(days=14)).isoformat(), "visit", "planned") in touches


async def test_the_list_puts_the_open_complaint_first_and_opens_it(demo_db) -> None:
    from kequ.services import complaints as service

    complaint_id, customer_id = demo_complaint(demo_db.path)
    with sqlite3.connect(demo_db.path) as conn:
        other = conn.execute("SELECT id FROM customer WHERE id != ? ORDER BY id LIMIT 1", (customer_id,)).fetchone()[0]
    older = service.open_or_resume(demo_db, other, DEMO_TODAY)
    service.close(demo_db, older.ref, "dao qian", 5, "service", today=DEMO_TODAY)

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = ComplaintsScreen(today=DEMO_TODAY)
        app.push_screen(screen)
        await settle(pilot)
        table = screen.query_one("#complaints-table", DataTable)
        assert table.row_count == 2
        first = " ".join(str(cell) for cell in table.get_row_at(0))
        second = " ".join(str(cell) for cell in table.get_row_at(1))
        assert "处理中" in first and "5/9" in first and "第二批货外箱破损" in first and " 2 " in f" {first} "
        assert "已结案" in second
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintWizard) and app.screen.complaint_id == complaint_id
        await pilot.press("pagedown", "escape")  # reaches step 6 and goes back to the list
        await settle(pilot)
        assert app.screen is screen
        assert "6/9" in " ".join(str(cell) for cell in table.get_row_at(0))


async def test_markup_typed_by_the_user_is_shown_literally(demo_db) -> None:
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press(*"[red]x[/]")
        summary = wizard.query_one("#cw-summary", Input)
        summary.value = ""
        await type_into(pilot, summary, "[b]boom[/b]")
        await pilot.press("escape")
        await settle(pilot)

        again = await open_wizard(pilot, app, complaint_id=complaint_id)
        assert notes_of(again).text == "[red]x[/]"
        assert again.query_one("#cw-summary", Input).value == "[b]boom[/b]"
        await pilot.press("escape")
        await settle(pilot)

        screen = ComplaintsScreen(today=DEMO_TODAY)
        app.push_screen(screen)
        await settle(pilot)
        row = " ".join(str(cell) for cell in screen.query_one("#complaints-table", DataTable).get_row_at(0))
        assert "[b]boom[/b]" in row
    assert stored(demo_db.path, complaint_id)[2][5][0] == "[red]x[/]"


def snapshot_at_step_six(db, snap_compare, size: tuple[int, int]) -> bool:
    from kequ.services import complaints as service

    complaint_id, _ = demo_complaint(db.path)
    # Step six has the fields and a tip for this customer's type; opened there, nothing is
    # written, so no "saved at" time makes the picture change from run to run.
    service.move_to(db, complaint_id, 6)
    app = KequApp(db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        notes_of(wizard).cursor_blink = False  # a blinking cursor would make the picture change
        await pilot.pause()

    return snap_compare(app, terminal_size=size, run_before=go)


def test_wizard_snapshot(demo_db, snap_compare) -> None:
    assert snapshot_at_step_six(demo_db, snap_compare, (160, 45))


def test_wizard_snapshot_at_80x24(demo_db, snap_compare) -> None:
    assert snapshot_at_step_six(demo_db, snap_compare, (80, 24))


def examples(step: int, part: str, gender: str | None) -> list[str]:
    """The lines of a step's "say" or "avoid" list, as the guide writes them."""
    from kequ.domain import complaints as wizard
    from kequ.domain.gender import refer
    from kequ.i18n import t

    return [refer(line.strip(), gender) for line in t(wizard.step_key(step, part)).splitlines() if line.strip()]


def begins(line: str) -> str:
    """What of an example fits on the first line of its half of an 80-column guide."""
    from rich.cells import cell_len

    start = ""
    for char in line:
        if cell_len(start + char) > 30:
            break
        start += char
    return start


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80x24_the_step_and_what_to_say_and_never_say_are_readable(demo_db, lang: str) -> None:
    from kequ.i18n import set_language, t

    set_language(lang)
    complaint_id, _ = demo_complaint(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        assert not wizard.query_one("#cw-rail").display  # no room for the rail…
        lines = screen_lines(app)
        strip = next(line for line in lines if "✓1" in line)  # …so the steps are one line
        title = t("complaint.step.5.title")
        assert f"▶ 5. {title}" in strip
        assert all(f"✓{step}" in strip for step in range(1, 5))
        assert "○6" in strip and all(f"·{step}" in strip for step in range(7, 10))
        say, avoid = t("complaint.label.say"), t("complaint.label.avoid")
        heading = next(i for i, line in enumerate(lines) if say in line)
        assert avoid in lines[heading]
        gender = wizard.view.customer_gender if wizard.view else None
        below = "\n".join(lines[heading + 1 :])
        # Under the headings the examples themselves, not only the headings.
        assert begins(examples(5, "say", gender)[0]) in below
        for line in examples(5, "avoid", gender):
            assert begins(line) in below, line
        notes = notes_of(wizard)
        assert notes.region.height >= 4 and notes.has_focus  # and still room to write
        # What does not fit is a scroll away.
        guide = wizard.query_one("#cw-guide")
        guide.scroll_end(animate=False)
        await pilot.pause()
        assert begins(examples(5, "say", gender)[-1]) in "\n".join(screen_lines(app))


async def test_at_80x24_a_step_with_fields_keeps_its_examples_and_its_fields(demo_db) -> None:
    from kequ.services import complaints as service

    complaint_id, _ = demo_complaint(demo_db.path)
    service.move_to(demo_db, complaint_id, 6)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        shown = "\n".join(screen_lines(app))
        assert "▶ 6. 确定实际情况" in shown
        assert begins(examples(6, "say", None)[0]) in shown and begins(examples(6, "avoid", None)[0]) in shown
        for label in ("客户的要求", "我们能做到的", "我们做不到的", "做不到的原因"):
            assert label in shown
        await pilot.resize_terminal(160, 45)  # wide again: the rail is back and the strip goes
        await pilot.pause()
        assert wizard.query_one("#cw-rail").display and not wizard.query_one("#cw-steps").display


async def test_the_close_dialog_shows_the_days_it_books_when_days_are_taken_or_off(demo_db) -> None:
    """A second complaint closed the same day: days 3 and 14 already hold the first one's
    follow-ups, so the dialog says 4 and 15 (Friday 27 November, Tuesday 8 December), and
    a follow-up asked for a Saturday shows, and is booked on, the Monday."""
    complaint_id, customer_id = demo_complaint(demo_db.path)
    first = [DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=14)]
    with demo_db.session() as session:
        for day in first:
            session.add(
                Touchpoint(customer_id=customer_id, kind="call", source_key="manual", occurrence=day, due_date=day)
            )
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, complaint_id=complaint_id)
        await pilot.press("ctrl+l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseComplaintDialog)
        preview = str(dialog.query_one("#close-dates", Static).render())
        assert "2026-11-27" in preview and "2026-12-08" in preview
        assert "2026-11-26" not in preview and "2026-12-07" not in preview
        days = dialog.query_one("#close-days-0", Input)
        days.value = "5"  # Saturday 28 November
        await pilot.pause()
        preview = str(dialog.query_one("#close-dates", Static).render())
        assert "2026-11-30（周一）" in preview and "2026-11-28" not in preview
        dialog.query_one("#close-resolution", Input).value = "补发完毕"
        dialog.query_one("#close-satisfaction").value = 4
        dialog.query_one("#close-resolution", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is wizard
    with sqlite3.connect(demo_db.path) as conn:
        booked = conn.execute(
            "SELECT due_date FROM touchpoint WHERE customer_id = ? AND source_key = 'manual' ORDER BY due_date",
            (customer_id,),
        ).fetchall()
    assert [day for (day,) in booked] == ["2026-11-26", "2026-11-30", "2026-12-07", "2026-12-08"]


async def test_x_on_a_profile_and_leaving_without_writing_leaves_the_book_as_it_was(demo_db) -> None:
    from kequ.ui.screens.customers.profile import ProfileScreen
    from kequ.ui.screens.today.today import TodayScreen
    from tests.ui.helpers import on_profile, wait_for_screen

    customer_id = a_customer_without_complaints(demo_db.path)
    with sqlite3.connect(demo_db.path) as conn:
        before = conn.execute("SELECT count(*) FROM complaint").fetchone()[0]
    async with on_profile(demo_db.path, customer_id) as (app, pilot):
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert profile.query_one("#complaints", DataTable).row_count == 0
        await pilot.press("x")
        await wait_for_screen(pilot, ComplaintWizard)
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, ComplaintWizard)
        # A blank complaint on screen, ready to write in, and not a row in the book.
        assert wizard.complaint_id is None and notes_of(wizard).has_focus
        assert "第 1 步，共 9 步" in str(wizard.query_one("#cw-step-of", Static).render())
        assert complaints_of(demo_db.path, customer_id) == []
        await pilot.press("escape")
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        assert profile.query_one("#complaints", DataTable).row_count == 0

        # Written and wiped again before leaving: nothing kept either.
        await pilot.press("x")
        await wait_for_screen(pilot, ComplaintWizard)
        await settle(pilot)
        wizard = app.screen
        await type_into(pilot, wizard.query_one("#cw-summary", Input), "dd")
        await pilot.pause(SAVE_DELAY + 0.3)
        await settle(pilot)
        assert [status for status, _, _ in complaints_of(demo_db.path, customer_id)] == ["open"]
        await pilot.press("backspace", "backspace", "escape")
        await wait_for_screen(pilot, ProfileScreen)
        await settle(pilot)
        assert profile.query_one("#complaints", DataTable).row_count == 0
        assert complaints_of(demo_db.path, customer_id) == []

        # Nothing on Today for them either.
        await pilot.press("escape")
        await wait_for_screen(pilot, TodayScreen)
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen) and today.loaded is not None
        assert not [i for i in today.loaded if i.kind == "complaint" and i.customer_id == customer_id]
    with sqlite3.connect(demo_db.path) as conn:
        assert conn.execute("SELECT count(*) FROM complaint").fetchone()[0] == before


async def test_quitting_from_a_blank_complaint_stores_nothing(demo_db) -> None:
    customer_id = a_customer_without_complaints(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, customer_id=customer_id)
        await pilot.press("pageup", "ctrl+q")  # a refused move is not a write
        assert wizard.complaint_id is None
    assert complaints_of(demo_db.path, customer_id) == []


async def test_the_first_step_forward_stores_a_new_complaint_at_step_two(demo_db) -> None:
    customer_id = a_customer_without_complaints(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard, results = await open_recording(pilot, app, customer_id)
        await pilot.press("pagedown")
        await settle(pilot)
        assert wizard.complaint_id is not None
        assert complaints_of(demo_db.path, customer_id) == [("open", 2, "")]
        await pilot.press("escape")
        await settle(pilot)
    assert results == [True]  # whoever opened it reads again
    assert complaints_of(demo_db.path, customer_id) == [("open", 2, "")]


async def test_withdrawing_asks_first_then_ends_it_unhandled_and_off_today(demo_db) -> None:
    from kequ.ui.dialogs.prompts import ConfirmPrompt
    from kequ.ui.screens.customers.profile import ProfileScreen
    from kequ.ui.screens.today.today import TodayScreen
    from tests.ui.helpers import wait_for_screen

    complaint_id, customer_id = demo_complaint(demo_db.path)
    with sqlite3.connect(demo_db.path) as conn:
        touches = conn.execute("SELECT count(*) FROM touchpoint").fetchone()[0]
        contacts = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen) and today.loaded is not None
        assert [i.source_key for i in today.loaded if i.kind == "complaint"] == [f"complaint:{complaint_id}"]
        app.open_complaint(complaint_id=complaint_id)
        await wait_for_screen(pilot, ComplaintWizard)
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, ComplaintWizard)
        # Not in the footer (it would push help off at 80 columns), but in help and the palette.
        assert "撤销" in [command.title for command in app.get_system_commands(wizard)]
        await pilot.press(*"wu hui", "ctrl+t")  # typed just before: saved before the question
        await wait_for_screen(pilot, ConfirmPrompt)
        prompt = app.screen
        question = " ".join(str(label.render()) for label in prompt.query(Label))
        assert "撤销" in question and wizard.view is not None and wizard.view.customer_name in question
        assert stored(demo_db.path, complaint_id)[2][5][0] == "wu hui"
        await pilot.press("n")  # not after all
        await wait_for_screen(pilot, ComplaintWizard)
        assert complaints_of(demo_db.path, customer_id)[0][0] == "open"
        await pilot.press("enter")  # Enter is no answer: still nothing withdrawn
        assert complaints_of(demo_db.path, customer_id)[0][0] == "open"

        await pilot.press("ctrl+t")
        await wait_for_screen(pilot, ConfirmPrompt)
        await pilot.press("y")
        await wait_for_screen(pilot, ComplaintWizard)
        await settle(pilot)
        assert wizard.has_class("-closed") and notes_of(wizard).read_only
        assert wizard.query_one("#cw-summary", Input).disabled
        banner = str(wizard.query_one("#cw-banner", Static).render())
        assert "已撤销（2026-11-23）" in banner and "不算作已处理" in banner and "满意度" not in banner
        assert "撤销" in str(wizard.query_one("#cw-age", Static).render())
        await pilot.press("ctrl+t", "ctrl+l")  # neither withdrawing again nor closing
        await settle(pilot)
        assert app.screen is wizard
        await pilot.press("escape")
        await wait_for_screen(pilot, TodayScreen)
        await settle(pilot)
        assert today.loaded is not None and not [i for i in today.loaded if i.kind == "complaint"]

        screen = ComplaintsScreen(today=DEMO_TODAY)
        app.push_screen(screen)
        await settle(pilot)
        row = " ".join(str(cell) for cell in screen.query_one("#complaints-table", DataTable).get_row_at(0))
        assert "已撤销" in row and "第二批货外箱破损" in row
        assert "处理中 0 条" in str(screen.query_one("#complaints-summary", Static).render())

        profile = ProfileScreen(customer_id, DEMO_TODAY)
        app.push_screen(profile)
        await settle(pilot)
        tab = profile.query_one("#complaints", DataTable)
        assert tab.row_count == 1 and "已撤销" in " ".join(str(cell) for cell in tab.get_row_at(0))
    with sqlite3.connect(demo_db.path) as conn:
        status, resolution, satisfaction, closed_at = conn.execute(
            "SELECT status, resolution, satisfaction, closed_at FROM complaint WHERE id = ?", (complaint_id,)
        ).fetchone()
        assert (status, resolution, satisfaction) == ("withdrawn", "", None) and closed_at is not None
        assert conn.execute("SELECT count(*) FROM touchpoint").fetchone()[0] == touches  # no follow-ups
        assert conn.execute("SELECT count(*) FROM interaction").fetchone()[0] == contacts  # nothing logged


async def test_withdrawing_a_complaint_with_nothing_written_just_says_so(demo_db) -> None:
    from kequ.ui.dialogs.prompts import ConfirmPrompt

    customer_id = a_customer_without_complaints(demo_db.path)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        wizard = await open_wizard(pilot, app, customer_id=customer_id)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.screen is wizard and not isinstance(app.screen, ConfirmPrompt)
        assert any("还什么都没写" in str(n.message) for n in app._notifications)
    assert complaints_of(demo_db.path, customer_id) == []
