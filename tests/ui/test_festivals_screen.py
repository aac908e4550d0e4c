"""The festival list and the greeting run, driven with Pilot on real databases."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer, add_date
from kequ.ui.app import KequApp
from kequ.ui.screens.festivals.festivals import FestivalsScreen, GreetingRun
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

SPRING = date(2027, 2, 6)


def _stored(path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _rows(table: DataTable) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def _shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open_festivals(app: KequApp, pilot, db_path) -> FestivalsScreen:
    await settle(pilot)
    app.push_screen(FestivalsScreen(DEMO_TODAY))
    await settle(pilot)
    return app.screen


async def _open_run(pilot, db_path, key: str = "spring_festival", day: date = SPRING) -> GreetingRun:
    await settle(pilot)
    pilot.app.push_screen(GreetingRun(key, day, DEMO_TODAY))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, GreetingRun)
    return screen


async def _focused_message(pilot, run: GreetingRun) -> TextArea:
    """The message box once it has taken focus: that comes after the run's first frame."""
    area = run.query_one("#gr-message", TextArea)
    for _ in range(100):
        if area.has_focus:
            break
        await pilot.pause(0.02)
    return area


async def test_the_list_shows_the_coming_festivals_with_holidays_and_counts(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open_festivals(app, pilot, demo_db.path)
        rows = _rows(screen.query_one("#festivals", DataTable))
        assert [row.split()[2] for row in rows] == ["圣诞节", "元旦", "腊八节", "除夕", "春节", "元宵节"]
        spring = next(row for row in rows if "春节" in row)
        assert "75 天后" in spring and "0/26" in spring and "放假安排未公布" in spring
        assert "不在问候清单" in rows[0]
        coverage = _shown(screen, "#fest-coverage")
        assert "2027 年放假安排尚未公布" in coverage and "cn_2027.toml" in coverage
        assert "问候对象：关键、潜力客户" in _shown(screen, "#fest-summary")
        shown = app.export_screenshot()
        assert "开始问候" in shown


async def test_a_family_in_mourning_is_left_out_and_the_festival_says_so(db) -> None:
    greeted = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    mourning = add_customer(db, NewCustomer(name="曾志强", honorific="曾经理", tier="key"))
    add_date(db, mourning, "2026-11-10", lunar=False, kind="bereavement")
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open_festivals(app, pilot, db.path)
        table = screen.query_one("#festivals", DataTable)
        spring = next(i for i, row in enumerate(_rows(table)) if "春节" in row)
        assert "0/1" in _rows(table)[spring]
        table.move_cursor(row=spring)
        await pilot.pause()
        assert "另有 1 位家中有丧事未满一年" in _shown(screen, "#fest-detail")
        run = await _open_run(pilot, db.path)
        assert run.total == 1 and run.current() is not None and run.current().customer_id == greeted


async def test_a_run_sends_skips_leaves_and_resumes_offering_the_skipped_again(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        festivals = await _open_festivals(app, pilot, demo_db.path)
        table = festivals.query_one("#festivals", DataTable)
        table.move_cursor(row=4)  # 春节
        await pilot.press("enter")
        await settle(pilot)
        run = app.screen
        assert isinstance(run, GreetingRun) and run.festival_key == "spring_festival"
        total = run.total
        assert _shown(run, "#gr-progress") == f"已问候 0/{total}"
        first = run.current()
        assert first is not None and first.tier == "key"
        assert first.honorific in _shown(run, "#gr-who")
        assert "怎么聊：" in _shown(run, "#gr-approach")
        message = run.query_one("#gr-message", TextArea).text
        assert message.startswith(first.honorific) and "{" not in message

        await pilot.press("ctrl+s")
        await settle(pilot)
        second = run.current()
        assert second is not None and second != first
        assert _shown(run, "#gr-progress") == f"已问候 1/{total}"
        await pilot.press("ctrl+n")
        await settle(pilot)
        third = run.current()
        assert third is not None and third not in (first, second)
        # The skipped one is counted apart, never as greeted.
        assert _shown(run, "#gr-progress") == f"已问候 1 · 跳过 1 / {total}"

        # Back to the one just skipped: it says so; on to the sent one: read only.
        await pilot.press("pageup")
        assert run.current() == second and "已跳过" in _shown(run, "#gr-who")
        await pilot.press("pageup")
        assert run.current() == first and "已发送" in _shown(run, "#gr-who")
        assert run.query_one("#gr-message", TextArea).read_only

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is festivals
        spring = next(row for row in _rows(table) if "春节" in row)
        assert f"1/{total}" in spring
        detail = _shown(festivals, "#fest-detail")
        assert "已问候 1 位" in detail and "其中跳过 1 位" in detail

        await pilot.press("enter")  # the cursor stayed on 春节
        await settle(pilot)
        again = app.screen
        assert isinstance(again, GreetingRun)
        assert again.current() == third
        offered = [row.customer_id for row in again.rows]
        # The sent one is done with; the skipped one comes round again, after the new ones.
        assert first.customer_id not in offered and offered[-1] == second.customer_id
        assert len(again.rows) == total - 1
        assert _shown(again, "#gr-progress") == f"已问候 1 · 跳过 1 / {total}"
        assert _shown(again, "#gr-position") == f"本轮第 1/{total - 1} 位"
        assert "上次跳过了" not in _shown(again, "#gr-who")
        await pilot.press(*["pagedown"] * (len(again.rows) - 1))
        assert again.current().customer_id == second.customer_id and "上次跳过了" in _shown(again, "#gr-who")
        # This time: not this year. It is still skipped, and will not be offered again.
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert _shown(again, "#gr-progress") == f"已问候 1 · 跳过 1 / {total}"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        third_run = app.screen
        assert isinstance(third_run, GreetingRun) and third_run is not again
        assert second.customer_id not in {row.customer_id for row in third_run.rows}
        assert len(third_run.rows) == total - 2

    stored = _stored(
        demo_db.path,
        "SELECT customer_id, status FROM touchpoint WHERE source_key = 'festival:spring_festival' AND occurrence = ?",
        SPRING.isoformat(),
    )
    assert sorted(stored) == sorted([(first.customer_id, "done"), (second.customer_id, "skipped")])
    reason = _stored(demo_db.path, "SELECT reason FROM touchpoint WHERE customer_id = ?", second.customer_id)
    assert reason == [("not_this_year",)]
    notes = _stored(
        demo_db.path, "SELECT notes FROM interaction WHERE kind = 'festival' AND customer_id = ?", first.customer_id
    )
    assert notes == [(message,)]


async def test_an_edited_message_is_copied_and_logged_as_edited(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        run = await _open_run(pilot, demo_db.path)
        who = run.current()
        area = run.query_one("#gr-message", TextArea)
        template = area.text
        await pilot.press(*"顺祝阖家安康")  # the cursor starts at the end of the message
        assert area.text == template + "顺祝阖家安康"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.clipboard == template + "顺祝阖家安康"
        await pilot.press("ctrl+r")
        assert area.text == template
        await pilot.press(*"好")
        assert area.text == template + "好"
        await pilot.press("ctrl+s")
        await settle(pilot)
    notes = _stored(
        demo_db.path, "SELECT notes FROM interaction WHERE customer_id = ? AND kind = 'festival'", who.customer_id
    )
    assert notes == [(template + "好",)]


async def test_markup_in_a_name_is_shown_literally(db) -> None:
    add_customer(db, NewCustomer(name="[red]x[/]", honorific="[b]老板", company="[link=x]公司", tier="key"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        run = await _open_run(pilot, db.path)
        who = _shown(run, "#gr-who")
        assert "[b]老板" in who and "[red]x[/]" in who and "[link=x]公司" in who
        assert run.query_one("#gr-message", TextArea).text.startswith("[b]老板")
        await pilot.press("escape")
        await _open_festivals(app, pilot, db.path)
        assert "0/1" in " ".join(_rows(app.screen.query_one("#festivals", DataTable)))


async def test_the_last_one_ends_the_run_and_an_empty_run_says_why(db) -> None:
    cid = add_customer(db, NewCustomer(name="周海涛", honorific="周总", tier="potential"))
    add_customer(db, NewCustomer(name="吴常规", tier="regular"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        run = await _open_run(pilot, db.path, "new_year", date(2027, 1, 1))
        assert [r.customer_id for r in run.rows] == [cid]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert run.at_end and run.has_class("-end")
        assert "这一轮元旦问候处理完了（已问候 1/1）" in _shown(run, "#gr-end")
        assert run.check_action("send", ()) is False and run.check_action("skip", ()) is False
        await pilot.press("ctrl+s", "ctrl+n")  # nothing left to send or skip
        await settle(pilot)
        assert _stored(db.path, "SELECT COUNT(*) FROM interaction") == [(1,)]
        await pilot.press("pageup")
        assert not run.at_end and run.current().customer_id == cid
        await pilot.press("escape")
        await settle(pilot)
        # Reopened: nobody is left, and it says the greetings are done rather than an empty box.
        again = await _open_run(pilot, db.path, "new_year", date(2027, 1, 1))
        assert again.at_end and "处理完了" in _shown(again, "#gr-end")
        assert again.rows == [] and again.check_action("previous", ()) is None


async def test_nobody_to_greet_says_who_would_be(db) -> None:
    add_customer(db, NewCustomer(name="吴常规", tier="regular"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        run = await _open_run(pilot, db.path)
        assert run.at_end
        assert _shown(run, "#gr-end").startswith("没有要问候的客户：春节只问候关键、潜力客户")
        assert _shown(run, "#gr-progress") == "已问候 0/0"


async def test_the_keys_show_in_the_footer_and_work_in_the_message_box(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        run = await _open_run(pilot, demo_db.path)
        assert (await _focused_message(pilot, run)).has_focus
        # The footer shows the focused box's keys once it has redrawn after the focus moved.
        shown = app.export_screenshot()
        for _ in range(60):
            if "恢复模板" in shown:
                break
            await pilot.pause(0.05)
            shown = app.export_screenshot()
        for label in ("记为已发", "复制", "跳过", "今年不发", "下一位", "恢复模板", "返回"):
            assert label in shown, label
        ids = {binding.id for binding in GreetingRun.BINDINGS}
        assert ids == {
            "greeting.send",
            "greeting.copy",
            "greeting.skip",
            "greeting.not_this_year",
            "greeting.next",
            "greeting.previous",
            "greeting.reset",
            "greeting.leave",
        }
        await pilot.press("pagedown")
        assert _shown(run, "#gr-position").startswith("本轮第 2/")


def test_festivals_snapshot(demo_db, snap_compare, monkeypatch) -> None:
    from kequ.services import greetings

    # The screen names the holiday folder in full; a temporary path would change every run.
    monkeypatch.setattr(greetings, "holiday_dir", lambda _db_path: Path("/home/me/.local/share/kequ/holidays"))
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await _open_festivals(app, pilot, demo_db.path)
        app.screen.query_one("#festivals", DataTable).move_cursor(row=4)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 45), run_before=go)


def test_greeting_run_snapshot(demo_db, snap_compare) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        run = await _open_run(pilot, demo_db.path)
        # The message box takes focus after the first frame; the picture is of the focused box
        # (its cursor line lit) with its cursor shown, not caught in a blink, whatever the load.
        area = await _focused_message(pilot, run)
        area.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 45), run_before=go)


async def test_a_run_writes_each_message_when_its_person_is_shown(demo_db) -> None:
    """A run of thousands opens on the first person without writing everyone's message first;
    back on someone already shown, their message is the same one, not written again."""
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        run = GreetingRun("spring_festival", SPRING, DEMO_TODAY)
        app.push_screen(run)
        await settle(pilot)
        assert len(run.rows) > 2
        first = run.current()
        assert first is not None and list(run.templates) == [first.customer_id]
        shown = run.query_one("#gr-message", TextArea).text
        assert shown == run.templates[first.customer_id] and first.honorific in shown
        await pilot.press("pagedown")
        await settle(pilot)
        second = run.current()
        assert second is not None and second != first
        assert list(run.templates) == [first.customer_id, second.customer_id]
        await pilot.press("pageup")
        await settle(pilot)
        assert run.query_one("#gr-message", TextArea).text == shown
