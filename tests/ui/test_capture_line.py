"""The capture line on ``:``: a live preview of what Enter saves, choices for what is ambiguous,
and on a profile the customer implied."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer
from kequ.ui.app import KequApp
from kequ.ui.dialogs.capture import CaptureLine
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.conftest import DEMO_TODAY
from tests.helpers import stored
from tests.ui.helpers import on_profile, settle, wait_for_screen


async def _open(pilot) -> CaptureLine:
    await settle(pilot)
    await pilot.press("colon")
    await wait_for_screen(pilot, CaptureLine)
    await settle(pilot)  # the book is read in a worker
    screen = pilot.app.screen
    assert isinstance(screen, CaptureLine)
    return screen


async def _type(pilot, line: CaptureLine, text: str) -> str:
    line.query_one("#capture-input", Input).value = text
    await pilot.pause()
    return str(line.query_one("#capture-preview", Label).render())


async def test_the_line_shows_what_enter_will_save_and_saves_both_in_one_go(db) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        line = await _open(pilot)
        shown = await _type(pilot, line, "今天电话王总，下周三上门带样品")
        # DEMO_TODAY is a Monday: 下周三 is 2 December.
        assert shown == "记一笔：电话 王总（王建国） 今天 ｜ 下一步：拜访 12月2日（周三）"
        assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]  # nothing before Enter
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureLine)
    assert stored(db.path, "SELECT customer_id, kind, notes FROM interaction") == [
        (wang, "call", "今天电话王总，下周三上门带样品")
    ]
    assert stored(db.path, "SELECT customer_id, kind, due_date, source_key FROM touchpoint") == [
        (wang, "visit", "2026-12-02", "manual")
    ]


async def test_what_is_not_understood_is_said_and_escape_saves_nothing(db) -> None:
    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        line = await _open(pilot)
        shown = await _type(pilot, line, "王总发了微信，过几天再联系")
        assert shown.startswith("记一笔：消息 王总（王建国） 今天")
        assert "没看懂：“过几天”没说是哪天" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureLine)
    assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]


async def test_two_customers_of_one_name_are_offered_and_one_is_picked(db) -> None:
    add_customer(db, NewCustomer(name="陈明", honorific="陈总", company="恒瑞"))
    second = add_customer(db, NewCustomer(name="陈刚", honorific="陈总", company="锐芯"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        line = await _open(pilot)
        shown = await _type(pilot, line, "陈总 打了电话")
        assert "“陈总”是哪位？" in shown
        choices = line.query_one("#capture-choices", OptionList)
        assert choices.display and choices.option_count == 3  # the question, then both
        assert "陈刚" in str(choices.get_option_at_index(2).prompt)
        await pilot.press("enter")  # not saved while the question is open: the choices take the keys
        await pilot.pause()
        assert isinstance(app.screen, CaptureLine) and choices.has_focus
        assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]
        await pilot.press("down", "enter")  # the second: 陈刚
        await pilot.pause()
        assert "记一笔：电话 陈总（陈刚） 今天" in str(line.query_one("#capture-preview", Label).render())
        line.query_one("#capture-input", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert stored(db.path, "SELECT customer_id, kind FROM interaction") == [(second, "call")]


async def test_said_on_a_wednesday_the_wednesday_is_asked(db) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    wednesday = DEMO_TODAY.replace(day=25)
    app = KequApp(db.path, today=wednesday)
    async with app.run_test(size=(140, 40)) as pilot:
        line = await _open(pilot)
        shown = await _type(pilot, line, "周三去王总公司")
        assert "下一步：拜访 今天 或 12月2日（周三）" in shown
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # 12月2日
        await pilot.pause()
        line.query_one("#capture-input", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert stored(db.path, "SELECT customer_id, kind, due_date FROM touchpoint") == [(wang, "visit", "2026-12-02")]


async def test_on_a_profile_the_customer_is_implied(db) -> None:
    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    li = add_customer(db, NewCustomer(name="李丽", honorific="李姐"))
    async with on_profile(db.path, li) as (app, pilot):
        line = await _open(pilot)
        assert "李姐（李丽）" in str(line.query_one("#capture-title", Label).render())
        shown = await _type(pilot, line, "明天下午3点打给她")
        assert shown == "记一笔：李姐（李丽） ｜ 下一步：电话 明天 15:00"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
    assert stored(db.path, "SELECT customer_id, kind, due_date, due_time, reason FROM touchpoint") == [
        (li, "call", "2026-11-24", "15:00", "明天下午3点打给她")
    ]


async def test_on_a_profile_a_line_naming_another_customer_asks_whose_it_is(db) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    li = add_customer(db, NewCustomer(name="李丽", honorific="李姐"))
    async with on_profile(db.path, li) as (_app, pilot):
        line = await _open(pilot)
        shown = await _type(pilot, line, "王总明天拜访")
        assert shown.startswith("记一笔：李姐（李丽）还是“王总”？")
        choices = line.query_one("#capture-choices", OptionList)
        assert "这句话提到了“王总”，不是李姐（李丽）：记给哪位？" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("enter")  # not saved to 李姐 in silence
        await pilot.pause()
        assert stored(db.path, "SELECT count(*) FROM touchpoint") == [(0,)]
        await pilot.press("down", "enter")  # the second: 王总
        await pilot.pause()
        assert str(line.query_one("#capture-preview", Label).render()).startswith("记一笔：王总（王建国）")
        line.query_one("#capture-input", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        # Naming the profile's own customer asks nothing.
        line = await _open(pilot)
        assert (await _type(pilot, line, "李姐说王总明天拜访")).startswith("记一笔：李姐（李丽）")
    assert stored(db.path, "SELECT customer_id, kind, due_date FROM touchpoint") == [(wang, "visit", "2026-11-24")]


async def test_a_refusal_speaks_of_the_app_not_the_shell_and_wraps_at_80_columns(db) -> None:
    director = add_customer(db, NewCustomer(name="王建国", honorific="王总监"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        line = await _open(pilot)
        await _type(pilot, line, "明天上门")
        await pilot.press("enter")
        await pilot.pause()
        label = line.query_one("#capture-preview", Label)
        said = str(label.render())
        assert said.startswith("这句话里没有认出客户") and "kequ" not in said
        assert label.size.width <= 80 and label.size.height >= 2  # wrapped, not cut off
        await _type(pilot, line, "王总明天上门")
        await pilot.press("enter")
        await pilot.pause()
        assert str(label.render()).startswith(f"没找到「王总」。是不是：王总监（王建国） #{director}？")
        # The #编号 form it suggests works here too.
        shown = await _type(pilot, line, f"#{director} 明天上门")
        assert shown == "记一笔：王总监（王建国） ｜ 下一步：拜访 明天"
        await pilot.press("enter")
        await settle(pilot)
    assert stored(db.path, "SELECT customer_id, due_date FROM touchpoint") == [(director, "2026-11-24")]


async def test_the_choices_say_how_to_pick_take_the_down_key_from_the_box_and_scroll_at_80_by_24(db) -> None:
    ids = [add_customer(db, NewCustomer(name=f"陈{n}", honorific="陈总")) for n in "一二三四五六七八九十"]
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        line = await _open(pilot)
        await _type(pilot, line, "陈总打了电话")
        assert str(line.query_one("#capture-hint", Label).render()) == "↑↓ 选一个，回车确定；Esc 取消。"
        choices = line.query_one("#capture-choices", OptionList)
        assert str(choices.get_option_at_index(0).prompt) == "“陈总”是哪位？"  # no command line in it
        assert choices.option_count == 11
        await pilot.press("down")  # from the box, no Tab
        await pilot.pause()
        assert choices.has_focus and choices.highlighted == 1
        await pilot.press(*["down"] * 9)
        await pilot.pause()
        assert choices.highlighted == 10 and choices.scroll_offset.y > 0  # the last one scrolled into view
        assert choices.region.bottom <= 24 and line.query_one("#capture-hint", Label).region.bottom <= 24
        await pilot.press("enter")
        await pilot.pause()
        assert "陈总（陈十）" in str(line.query_one("#capture-preview", Label).render())
        line.query_one("#capture-input", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert stored(db.path, "SELECT customer_id FROM interaction") == [(ids[-1],)]


async def test_the_colon_key_is_called_quick_note_on_today_and_customers_and_leaves_the_footer_to_help(db) -> None:
    from textual.binding import Binding
    from textual.widgets import Footer

    from kequ.ui.screens.customers.customers import CustomersScreen

    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)

        def footer_keys() -> dict[str, str]:
            footer = app.screen.query_one(Footer)
            return {key.key_display or key.key: key.description for key in footer.query("FooterKey")}  # type: ignore[attr-defined]

        keys = footer_keys()
        # Two names for two things; 速记 is listed under ?, so quit and help keep their place.
        assert keys.get("l") == "记一笔" and ":" not in keys and keys.get("?") == "帮助"
        listed = {b.id: b.description for b in app.screen.BINDINGS if isinstance(b, Binding)}
        assert listed["today.capture"] == "速记"
        line = await _open(pilot)
        assert str(line.query_one("#capture-title", Label).render()) == "速记"
        await pilot.press("escape")
        await pilot.press("2")
        await wait_for_screen(pilot, CustomersScreen)
        await settle(pilot)
        # In the search box ":" is a letter; Escape, then ":" opens the line.
        await pilot.press("slash", "colon")
        await pilot.pause()
        assert not isinstance(app.screen, CaptureLine)
        await pilot.press("escape")
        await pilot.pause()
        assert ":" not in footer_keys()
        listed = {b.id: b.description for b in app.screen.BINDINGS if isinstance(b, Binding)}
        assert listed["customers.capture"] == "速记"
        await pilot.press("colon")
        await wait_for_screen(pilot, CaptureLine)


async def test_in_the_complaint_wizard_the_line_is_about_the_complaints_customer(db) -> None:
    from kequ.ui.screens.complaints.wizard import ComplaintWizard

    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    li = add_customer(db, NewCustomer(name="李丽", honorific="李姐"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ComplaintWizard(customer_id=li, today=DEMO_TODAY))
        await settle(pilot)
        app.action_capture()  # as ctrl+p → 速记 runs it
        await wait_for_screen(pilot, CaptureLine)
        await settle(pilot)
        line = app.screen
        assert isinstance(line, CaptureLine) and line.customer_id == li
        assert str(line.query_one("#capture-title", Label).render()) == "速记：李姐（李丽）"


async def test_enter_on_an_empty_line_says_what_to_do_and_the_saved_toast_says_it_once(db) -> None:
    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(140, 40)) as pilot:
        line = await _open(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert str(line.query_one("#capture-preview", Label).render()) == "写一句话再回车。"
        await _type(pilot, line, "王总打了电话")
        await pilot.press("enter")
        await settle(pilot)
        (toast,) = list(app._notifications)
        assert (toast.title, toast.message) == ("已记下", "记一笔：电话 王总（王建国） 今天")
