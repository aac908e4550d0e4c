"""Customers and Profile, driven with Pilot on a real demo database."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable, Input, Label, Static, TabbedContent

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.i18n import set_language
from kequ.services.customers import add_customer, list_customers
from kequ.ui.app import KequApp
from kequ.ui.dialogs.classify import ClassifyPrompt
from kequ.ui.dialogs.date import DatePrompt
from kequ.ui.dialogs.gift import GiftPrompt
from kequ.ui.dialogs.log import LogPrompt
from kequ.ui.screens.customers.customer_form import CustomerForm
from kequ.ui.screens.customers.customers import CustomersScreen
from kequ.ui.screens.customers.new_customer import NewCustomerPrompt
from kequ.ui.screens.customers.profile import ProfileScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import on_profile, screen_lines, settle, wait_for_screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_keeps_its_width_and_fits_the_longest_tier_and_type_in_either_language(lang: str) -> None:
    from rich.cells import cell_len

    from kequ.domain.vocab import Tier
    from kequ.i18n import t
    from kequ.ui.screens.customers.customers import COLUMNS, column_widths
    from kequ.ui.widgets.badges import disc_badge

    set_language(lang)
    widths = column_widths()
    assert sum(widths.values()) == sum(width for _, width in COLUMNS)  # 100 columns still hold the list
    assert widths["col.tier"] >= max(cell_len(t(f"vocab.tier.{tier}")) for tier in Tier)
    assert widths["col.disc"] >= disc_badge("I").cell_len


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", [80, 90, 99])
def test_below_100_columns_the_list_fits_the_screen_and_keeps_type_and_last_contact(screen: int, lang: str) -> None:
    from kequ.ui.screens.customers.customers import COMPANY_MIN, PADDING, SCROLLBAR, column_widths

    set_language(lang)
    widths = column_widths(screen)
    assert sum(widths.values()) + PADDING * len(widths) + SCROLLBAR <= screen
    assert {"col.customer", "col.company", "col.tier", "col.disc", "customers.col.last"} <= set(widths)
    assert widths["col.company"] >= COMPANY_MIN - 2  # without the city, never cut below a name's worth
    assert widths["customers.col.last"] >= len("2026-11-23")


def test_at_80_columns_the_city_goes_only_where_the_labels_are_long() -> None:
    from kequ.ui.screens.customers.customers import column_widths

    set_language("zh")
    assert "col.city" in column_widths(80)
    set_language("en")  # Potential, I Influencer: the city makes way for the company
    assert "col.city" not in column_widths(80)
    assert "col.city" in column_widths(90)


def test_the_legal_form_is_left_off_a_company_on_a_narrow_screen() -> None:
    from kequ.ui.screens.customers.customers import short_company

    assert short_company("深圳前海融信供应链有限公司") == "深圳前海融信供应链"
    assert short_company("华为技术股份有限公司") == "华为技术"
    assert short_company("杭州青禾食品有限责任公司") == "杭州青禾食品"
    assert short_company("有限公司") == "有限公司"  # nothing would be left
    assert short_company("Acme Co., Ltd.") == "Acme Co., Ltd."


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_filters_keep_their_boxes_only_where_the_boxes_show_every_label(lang: str) -> None:
    from kequ.ui.screens.customers.customers import boxed_filters_fit

    set_language(lang)
    assert boxed_filters_fit(160)
    assert not boxed_filters_fit(100)  # Rela… ▼ in English, 亲人… once chosen in Chinese
    assert boxed_filters_fit(123) == (lang == "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_on_a_small_screen_the_filters_are_readable_and_the_type_and_last_contact_are_shown(
    demo_db, lang: str, size: tuple[int, int]
) -> None:
    from textual.widgets import Select

    from kequ.i18n import t

    set_language(lang)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=size) as pilot:
        screen = await open_customers(pilot)
        table = screen.query_one("#customers", DataTable)
        assert table.max_scroll_x == 0  # nothing off to the right
        lines = screen_lines(app)
        heading = next(line for line in lines if t("col.customer") in line and t("col.company") in line)
        for key in ("col.tier", "col.disc", "customers.col.last"):
            assert t(key) in heading
        assert (t("col.city") in heading) == (lang == "zh" or size[0] >= 100)
        first = table.get_row_at(0)
        shown = next(line for line in lines if str(first[0]).strip() in line)
        assert str(first[-1]) in shown  # the last contact, e.g. 2026-11-20
        assert str(first[-2]).strip() in shown  # the type, e.g. D 力量型 / I Influencer
        filters = screen.query_one("#filters")
        assert filters.region.height == 2  # two lines, not three boxes' worth
        for field in ("tier", "disc", "relation_type", "city", "tag", "at_risk", "has_due"):
            label = t(f"customers.filter.{field}")
            assert any(label in line for line in lines), label
        assert not any("… ▼" in line for line in lines)
        # A value chosen shows whole, with its count: Potential (16), 潜力 (16).
        tier = screen.query_one("#filter-tier", Select)
        tier.value = "potential"
        await settle(pilot)
        chosen = next(str(prompt) for prompt, value in tier._options if value == "potential")
        assert chosen.startswith(t("vocab.tier.potential"))
        assert any(chosen in line for line in screen_lines(app)), chosen


async def test_at_80_columns_the_company_is_shown_without_its_legal_form(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customers(pilot)
        lines = screen_lines(app)
        assert any("深圳前海融信供应链 " in line for line in lines)
        assert not any("有限公司" in line for line in lines)
        await pilot.resize_terminal(160, 45)  # made wide again, the whole name comes back
        await settle(pilot)
        assert any("深圳前海融信供应链有限公司" in line for line in screen_lines(app))
        assert "-narrow" not in screen.classes


def visible_text(table: DataTable) -> str:
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count))


async def open_customers(pilot) -> CustomersScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    return screen


async def test_search_by_initials_finds_wang_zong(demo_db) -> None:
    wang = add_customer(demo_db, NewCustomer(name="王建军", honorific="王总", company="测试公司", tier="key"))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        await pilot.press("w", "z")  # the search box has the focus on arrival
        await settle(pilot)
        table = screen.query_one("#customers", DataTable)
        assert table.row_count >= 1
        first_key, _ = table.coordinate_to_cell_key((0, 0))
        assert first_key.value == str(wang)
        await pilot.press("enter")  # leaves the search box for the list
        await pilot.press("enter")  # opens the first match
        await settle(pilot)
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert "王总" in str(profile.query_one("#profile-header", Static).render())


async def test_filters_narrow_the_list_and_show_counts(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        table = screen.query_one("#customers", DataTable)
        everyone = table.row_count
        select = screen.query_one("#filter-tier")
        labels = [str(prompt) for prompt, _ in select._options]
        assert any(label.startswith("关键 (") for label in labels)
        select.value = "key"
        await settle(pilot)
        assert 0 < table.row_count < everyone
        assert all("关键" in " ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_markup_in_a_name_is_shown_literally(demo_db) -> None:
    add_customer(demo_db, NewCustomer(name="[bold]张[/]", honorific="[red]张总", tier="key"))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        await pilot.press(*"张总")
        await settle(pilot)
        text = visible_text(screen.query_one("#customers", DataTable))
        assert "[red]张总" in text and "[bold]张[/]" in text


async def test_profile_tabs_show_timeline_dates_gifts_complaint_and_colleagues(demo_db) -> None:
    complaint_customer = sqlite3.connect(demo_db.path).execute("SELECT customer_id FROM complaint").fetchone()[0]
    async with on_profile(demo_db.path, complaint_customer) as (app, pilot):
        screen = app.screen
        assert screen.query_one("#timeline", DataTable).row_count > 0
        assert screen.query_one("#complaints", DataTable).row_count == 1
        assert "5/9" in visible_text(screen.query_one("#complaints", DataTable))
        assert screen.query_one("#people", DataTable).row_count >= 1
        assert "共" in str(screen.query_one("#timeline-summary", Static).render())
        tabs = screen.query_one(TabbedContent)
        tabs.active = "tab-dates"
        await pilot.pause()


async def test_editing_saves_each_field_and_refuses_a_bad_email(demo_db) -> None:
    cid = add_customer(demo_db, NewCustomer(name="孙小美", tier="potential"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("e")
        await wait_for_screen(pilot, CustomerForm)
        form = app.screen
        honorific = form.query_one("#f-honorific", Input)
        honorific.focus()
        await pilot.press(*"孙姐", "enter")
        await settle(pilot)
        email = form.query_one("#f-email", Input)
        email.focus()
        await pilot.press(*"not-an-email")
        await pilot.pause()
        assert "邮箱" in str(form.query_one("#e-email", Label).render())
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "孙姐" in str(app.screen.query_one("#profile-header", Static).render())
    row = sqlite3.connect(demo_db.path).execute("SELECT honorific, email FROM customer WHERE id = ?", (cid,)).fetchone()
    assert row == ("孙姐", "")


async def test_log_from_profile_and_add_a_lunar_leap_birthday(demo_db) -> None:
    cid = add_customer(demo_db, NewCustomer(name="钱进", tier="regular"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("l")
        await wait_for_screen(pilot, LogPrompt)
        await pilot.press(*"聊了新品", "enter")
        await settle(pilot)
        await pilot.press("b")
        await wait_for_screen(pilot, DatePrompt)
        dates_prompt = app.screen
        dates_prompt.query_one("#d-calendar").value = "lunar"
        await pilot.pause()
        await pilot.press(*"2023-03-30", "enter")  # 农历 2023 三月 has 29 days: refused, not moved
        await settle(pilot)
        assert str(dates_prompt.query_one("#d-error", Label).render())
        text_input = dates_prompt.query_one("#d-text", Input)
        text_input.value = "06-12"
        dates_prompt.query_one("#d-leap").value = True
        text_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
    conn = sqlite3.connect(demo_db.path)
    assert conn.execute("SELECT kind, notes FROM interaction WHERE customer_id = ?", (cid,)).fetchall() == [
        ("call", "聊了新品")
    ]
    assert conn.execute(
        "SELECT month, day, lunar, leap FROM important_date WHERE customer_id = ?", (cid,)
    ).fetchall() == [(6, 12, 1, 1)]


async def test_new_customer_from_the_list(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        screen.query_one("#customers", DataTable).focus()
        await pilot.press("n")
        await wait_for_screen(pilot, NewCustomerPrompt)
        await pilot.press("enter")  # an empty name is refused with a message
        await settle(pilot)
        assert "姓名不能为空" in str(app.screen.query_one("#n-error", Label).render())
        await pilot.press(*"单立新", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
    assert sqlite3.connect(demo_db.path).execute("SELECT count(*) FROM customer WHERE name = '单立新'").fetchone() == (
        1,
    )


async def test_help_lists_the_keys(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "完成" in shown and "推迟" in shown and "退出" in shown and "Ctrl+P" in shown
        await pilot.press("escape")


def snapshot_of(db, snap_compare, size: tuple[int, int], profile: bool = False) -> bool:
    """Customers (or the profile of the customer with the demo's complaint) at this size."""
    app = KequApp(db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await settle(pilot)
        if profile:
            who = sqlite3.connect(db.path).execute("SELECT customer_id FROM complaint").fetchone()[0]
            app.push_screen(ProfileScreen(who, DEMO_TODAY))
        else:
            await pilot.press("2")
            await settle(pilot)
            # The search box has the focus: a blinking cursor would make the picture change.
            app.screen.query_one("#search", Input).cursor_blink = False
        await settle(pilot)

    return snap_compare(app, terminal_size=size, run_before=go)


def test_customers_snapshot(demo_db, snap_compare) -> None:
    assert snapshot_of(demo_db, snap_compare, (160, 45))


def test_customers_snapshot_at_80x24(demo_db, snap_compare) -> None:
    assert snapshot_of(demo_db, snap_compare, (80, 24))


def test_profile_snapshot_at_80x24(demo_db, snap_compare) -> None:
    assert snapshot_of(demo_db, snap_compare, (80, 24), profile=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80x24_the_phone_wechat_and_what_is_owed_come_before_the_advice(demo_db, lang: str) -> None:
    """A salesperson opens a profile to call: the number and the reason are on the first screen."""
    from kequ.i18n import t

    set_language(lang)
    who, phones, wechat = (
        sqlite3.connect(demo_db.path)
        .execute("SELECT c.id, c.phones, c.wechat FROM complaint k JOIN customer c ON c.id = k.customer_id")
        .fetchone()
    )
    phone = phones.strip('[]"')
    async with on_profile(demo_db.path, who, size=(80, 24)) as (app, _pilot):
        lines = screen_lines(app)
        tabs = next(i for i, line in enumerate(lines) if t("profile.tab.facts") in line)
        above = "\n".join(lines[:tabs])
        assert phone in above and wechat in above
        assert f"{t('profile.owed.label')}" in above
        # The open complaint is what this customer is owed first.
        assert ("投诉处理中" if lang == "zh" else "Complaint open") in above
        advice = str(app.screen.query_one("#approach", Static).render())
        facts = str(app.screen.query_one("#facts", Static).render())
        assert phone not in facts  # said once, above the tabs
        # Narrow: each kind of touch in one line, the playbook's short advice.
        assert ("先问是否方便" if lang == "zh" else "Ask if it's a good time") in advice


async def test_the_full_advice_comes_back_on_a_wide_screen(demo_db) -> None:
    async with on_profile(demo_db.path, 1, size=(80, 24)) as (app, pilot):
        short = str(app.screen.query_one("#approach", Static).render())
        await pilot.resize_terminal(160, 45)
        await settle(pilot)
        full = str(app.screen.query_one("#approach", Static).render())
        assert len(full) > len(short)
        assert "讲效率" in short and "讲效率" in full  # the type's approach is kept whole at any width


async def test_a_birthday_soon_is_owed_on_the_profile_with_its_day(db) -> None:
    from datetime import timedelta

    from kequ.services.contacts import log_interaction
    from kequ.services.customers import add_date

    cid = add_customer(db, NewCustomer(name="冯晓东", honorific="冯总", tier="key", phones=("13900001111",)))
    add_date(db, cid, "1980-11-26", lunar=False)  # three days after DEMO_TODAY
    for kind in ("call", "visit"):  # called and seen last week: the birthday is what comes next
        log_interaction(db, cid, kind, DEMO_TODAY - timedelta(days=7), "")
    async with on_profile(db.path, cid, size=(80, 24)) as (app, _pilot):
        owed = str(app.screen.query_one("#owed-items", Static).render())
        assert "11-26" in owed and "生日" in owed and "还有 3 天" in owed
        assert "13900001111" in "\n".join(screen_lines(app)[:6])


def test_what_is_owed_reads_overdue_today_and_nothing() -> None:
    from kequ.domain.agenda.rules import DueItem
    from kequ.ui.screens.customers.profile import owed_text

    def item(due_days: int, kind: str = "call") -> DueItem:
        from datetime import timedelta

        day = DEMO_TODAY + timedelta(days=due_days)
        return DueItem(1, "cadence:call", day, day, kind, "reason.planned", {"note": "问问新品"}, 0, "key", "王")

    def said(items: list[DueItem] | None) -> tuple[str, list[str]]:
        label, lines = owed_text(items, DEMO_TODAY)
        return str(label), str(lines).split("\n")

    assert said([]) == ("接下来：", ["30 天内没有要做的"])
    assert said(None) == ("接下来：", ["正在读取……"])
    label, lines = said([item(-4), item(0, "visit"), item(40)])
    assert label == "接下来 3 项："  # all three counted, the first two shown, one a line
    assert lines == ["逾期 4 天 电话 · 计划中：问问新品", "今天 拜访 · 计划中：问问新品"]
    assert said([item(3)])[1] == ["11-26 电话 · 计划中：问问新品"]
    assert said([item(40)])[1] == ["2027-01-02 电话 · 计划中：问问新品"]  # another year: the whole date


def test_owed_puts_an_open_complaint_first_and_keeps_to_one_customer(demo_db) -> None:
    from datetime import timedelta

    from kequ.domain.agenda import sources
    from kequ.services.profile import OWED_DAYS, owed

    who = sqlite3.connect(demo_db.path).execute("SELECT customer_id FROM complaint").fetchone()[0]
    items = owed(demo_db, who, DEMO_TODAY)
    assert items and sources.origin(items[0].source_key) == sources.COMPLAINT
    assert {item.customer_id for item in items} == {who}
    rest = [item.due for item in items[1:]]
    assert rest == sorted(rest)
    assert all(item.due <= DEMO_TODAY + timedelta(days=OWED_DAYS) for item in items)


def test_profile_snapshot(demo_db, snap_compare) -> None:
    assert snapshot_of(demo_db, snap_compare, (160, 45), profile=True)


async def test_classifying_a_customer_changes_the_badge_and_approach_on_today(db) -> None:
    from kequ.ui.screens.today.today import TodayScreen

    cid = add_customer(db, NewCustomer(name="周海涛", honorific="周总", tier="key"))
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        assert "力量型" not in visible_text(today.query_one("#agenda", DataTable))
        app.push_screen(ProfileScreen(cid, DEMO_TODAY))
        await settle(pilot)
        await pilot.press("k")
        await wait_for_screen(pilot, ClassifyPrompt)
        prompt = app.screen
        for question, answer in (("pace", "fast"), ("focus", "task"), ("speech", "direct")):
            prompt.query_one(f"#q-{question}").value = answer
        await pilot.pause()
        result = str(prompt.query_one("#classify-result", Static).render())
        assert "力量型" in result and "⇒" in result
        await pilot.click("#accept")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert "力量型" in str(app.screen.query_one("#profile-header", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        rows = visible_text(today.query_one("#agenda", DataTable))
        assert "力量型" in rows
    assert sqlite3.connect(db.path).execute("SELECT disc FROM customer WHERE id = ?", (cid,)).fetchone() == ("D",)


async def test_a_repeated_gift_is_warned_about_and_ideas_are_shown(demo_db) -> None:
    from kequ.services.gifts import add_gift

    cid = add_customer(demo_db, NewCustomer(name="冯晓东", tier="key"))
    add_gift(demo_db, cid, DEMO_TODAY.replace(month=9, day=20), "西湖龙井 250g", 36000, "中秋节")
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("g")
        await wait_for_screen(pilot, GiftPrompt)
        prompt = app.screen
        shown = " ".join(str(label.render()) for label in prompt.query(Label))
        assert "西湖龙井 250g" in shown and "可以考虑" in shown
        await pilot.press(*"西湖龙井", "enter")
        await settle(pilot)
        assert "已经送过" in str(prompt.query_one("#g-error", Label).render())
        prompt.query_one("#g-item", Input).value = "紫砂小茶宠"
        prompt.query_one("#g-cost", Input).value = "199"
        prompt.query_one("#g-item", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert "今年送礼 2 次" in str(app.screen.query_one("#gift-summary", Static).render())
    rows = sqlite3.connect(demo_db.path).execute("SELECT item, cost_cents FROM gift WHERE customer_id = ?", (cid,))
    assert sorted(rows.fetchall()) == [("紫砂小茶宠", 19900), ("西湖龙井 250g", 36000)]


async def test_a_date_can_be_deleted_from_the_dates_tab(db) -> None:
    from kequ.services.customers import add_date

    cid = add_customer(db, NewCustomer(name="蒋丽娟", tier="regular"))
    add_date(db, cid, "1980-03-08", lunar=False)
    async with on_profile(db.path, cid) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-dates"
        await pilot.pause()
        app.screen.query_one("#dates", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert app.screen.query_one("#dates", DataTable).row_count == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#dates", DataTable).row_count == 0
    assert sqlite3.connect(db.path).execute("SELECT count(*) FROM important_date").fetchone() == (0,)


async def test_help_holds_the_playbook_and_finds_within_it(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        app.screen.query_one(TabbedContent).active = "help-playbook"
        await pilot.pause()
        text = str(app.screen.query_one("#playbook-text", Static).render())
        assert "力量型" in text and "不推卸责任" in text and "电话每 30 天" in text
        app.screen.query_one("#playbook-search", Input).focus()
        await pilot.press(*"推卸")
        await pilot.pause()
        found = str(app.screen.query_one("#playbook-text", Static).render())
        assert "不推卸责任" in found and "一起行动" not in found
        await pilot.press(*"zzz")
        await pilot.pause()
        assert "没有找到" in str(app.screen.query_one("#playbook-text", Static).render())


async def test_a_timeline_entry_can_be_corrected_and_deleted(db) -> None:
    from datetime import timedelta

    from kequ.services.contacts import log_interaction

    cid = add_customer(db, NewCustomer(name="蒋丽娟", honorific="蒋姐", tier="regular"))
    earlier = DEMO_TODAY - timedelta(days=5)
    log_interaction(db, cid, "call", earlier, "聊了报价", "")
    log_interaction(db, cid, "visit", DEMO_TODAY - timedelta(days=40), "第一次拜访")
    async with on_profile(db.path, cid) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-timeline"
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        table.focus()
        assert "聊了报价" in visible_text(table)  # newest first, under the cursor
        await pilot.press("enter")
        await wait_for_screen(pilot, LogPrompt)
        prompt = app.screen
        assert prompt.query_one("#log-note", Input).value == "聊了报价"
        assert prompt.query_one("#log-day", Input).value == earlier.isoformat()
        prompt.query_one("#log-note", Input).value = "聊了报价，[b]对方[/b]嫌贵"
        prompt.query_one("#log-outcome", Input).value = "下周再报"
        prompt.query_one("#log-note", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        shown = visible_text(app.screen.query_one("#timeline", DataTable))
        assert "聊了报价，[b]对方[/b]嫌贵" in shown and "下周再报" in shown

        app.screen.query_one("#timeline", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert app.screen.query_one("#timeline", DataTable).row_count == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert visible_text(app.screen.query_one("#timeline", DataTable)).count("\n") == 0
        assert "第一次拜访" in visible_text(app.screen.query_one("#timeline", DataTable))
    rows = sqlite3.connect(db.path).execute("SELECT kind, notes FROM interaction WHERE customer_id = ?", (cid,))
    assert rows.fetchall() == [("visit", "第一次拜访")]


async def test_escape_leaves_the_search_box_so_number_keys_switch_screens(demo_db) -> None:
    from kequ.ui.screens.today.today import TodayScreen

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_customers(pilot)
        await pilot.press("z", "j", "l", "escape")
        assert screen.query_one("#customers", DataTable).has_focus
        assert screen.query_one("#search", Input).value == "zjl"  # the search is kept
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_an_edit_over_a_change_made_in_another_window_is_refused_and_the_form_reloads(demo_db) -> None:
    """Windows A and B edit one customer; B's form still shows the old company when it saves."""
    from kequ.services.customers import update_field

    cid = add_customer(demo_db, NewCustomer(name="卫东", tier="key", company="旧公司"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("e")
        await wait_for_screen(pilot, CustomerForm)
        form = app.screen
        # Window A saves while this form is open.
        update_field(demo_db, cid, "company", "A公司")
        company = form.query_one("#f-company", Input)
        company.focus()
        company.value = ""
        await pilot.press(*"B公司", "tab")
        await settle(pilot)
        assert company.value == "A公司"  # the form shows what is there now
        assert any("刚在别处改过" in str(n.message) for n in app._notifications)
        # Edited again from the fresh values, it saves.
        company.focus()
        company.value = ""
        await pilot.press(*"C公司", "tab")
        await settle(pilot)
    row = sqlite3.connect(demo_db.path).execute("SELECT company FROM customer WHERE id = ?", (cid,)).fetchone()
    assert row == ("C公司",)


def test_the_service_refuses_a_write_over_a_newer_version(demo_db) -> None:
    from kequ.services.customers import update_field

    cid = add_customer(demo_db, NewCustomer(name="卫南", tier="key"))
    seen_by_a = seen_by_b = next(c for c in list_customers(demo_db) if c.id == cid).version
    assert seen_by_a is not None
    saved = update_field(demo_db, cid, "company", "A公司", seen_by_a)
    assert saved.version is not None and saved.version > seen_by_a
    with pytest.raises(KequError, match="刚在别处改过"):
        update_field(demo_db, cid, "company", "B公司", seen_by_b)
    assert update_field(demo_db, cid, "title", "总监", saved.version).company == "A公司"


async def test_an_impossible_gift_cost_is_explained_and_the_app_keeps_running(demo_db) -> None:
    cid = add_customer(demo_db, NewCustomer(name="甘霖", tier="key"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("g")
        await wait_for_screen(pilot, GiftPrompt)
        prompt = app.screen
        prompt.query_one("#g-item", Input).value = "茶叶"
        prompt.query_one("#g-cost", Input).value = "inf"
        prompt.query_one("#g-item", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is prompt and app.is_running
        assert "金额" in str(prompt.query_one("#g-error", Label).render())
    assert sqlite3.connect(demo_db.path).execute(
        "SELECT count(*) FROM gift WHERE customer_id = ?", (cid,)
    ).fetchone() == (0,)


async def test_tabbing_into_a_filled_field_keeps_its_text(demo_db) -> None:
    """The first key typed after Tab adds to the phone number instead of replacing it."""
    cid = add_customer(demo_db, NewCustomer(name="孙小美", company="青禾", tier="potential"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("e")
        await wait_for_screen(pilot, CustomerForm)
        form = app.screen
        form.query_one("#f-honorific", Input).focus()
        await pilot.press("tab")
        company = form.query_one("#f-company", Input)
        assert company.has_focus
        await pilot.press(*"食品")
        assert company.value == "青禾食品"


async def test_enter_on_the_tier_choice_saves_a_new_prospect(demo_db) -> None:
    """The hint says Enter saves: on the tier list too, instead of opening it again."""
    from textual.widgets import Select

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        screen.query_one("#customers", DataTable).focus()
        await pilot.press("n")
        await wait_for_screen(pilot, NewCustomerPrompt)
        await pilot.press(*"单立新")
        tier = app.screen.query_one("#n-tier", Select)
        tier.focus()
        await pilot.press("down")  # arrows still open the list to choose
        await pilot.pause()
        assert tier.expanded
        await pilot.press("down", "enter")  # choose the next tier in the list
        await pilot.pause()
        assert not tier.expanded
        chosen = tier.value
        await pilot.press("enter")  # and Enter on the closed choice saves
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
    row = sqlite3.connect(demo_db.path).execute("SELECT tier, stage FROM customer WHERE name = '单立新'").fetchone()
    assert row == (chosen, "prospect")


async def test_the_number_key_returns_to_the_list_not_to_a_profile_left_open(demo_db) -> None:
    from kequ.ui.screens.customers.customers import CustomersScreen

    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_customers(pilot)
        screen.query_one("#customers", DataTable).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, ProfileScreen)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert len(app.screen_stack) == 1


async def test_a_lunar_date_typed_in_chinese_switches_the_calendar_by_itself(demo_db) -> None:
    from textual.widgets import Select

    cid = add_customer(demo_db, NewCustomer(name="钱进", tier="regular"))
    async with on_profile(demo_db.path, cid) as (app, pilot):
        await pilot.press("b")
        await wait_for_screen(pilot, DatePrompt)
        prompt = app.screen
        assert prompt.query_one("#d-calendar", Select).value == "solar"
        await pilot.press(*"八月十五", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
    rows = (
        sqlite3.connect(demo_db.path)
        .execute("SELECT month, day, lunar FROM important_date WHERE customer_id = ?", (cid,))
        .fetchall()
    )
    assert rows == [(8, 15, 1)]


async def test_a_long_refusal_in_a_dialog_wraps_inside_it(demo_db) -> None:
    from rich.cells import cell_len

    cid = add_customer(demo_db, NewCustomer(name="钱进", tier="regular"))
    async with on_profile(demo_db.path, cid, size=(80, 24)) as (app, pilot):
        await pilot.press("b")
        await wait_for_screen(pilot, DatePrompt)
        prompt = app.screen
        await pilot.press(*"2023年三月三十", "enter")  # that 三月 has 29 days: a long, two-line refusal
        await settle(pilot)
        error = prompt.query_one("#d-error", Label)
        said = str(error.render())
        box = prompt.query_one(".prompt")
        assert cell_len(said) > box.content_region.width  # longer than one line of the dialog…
        assert error.region.right <= box.region.right  # …so it wraps instead of running out
        assert error.region.height >= 2


async def test_gender_is_shown_as_a_guess_until_confirmed_in_the_form(db) -> None:
    from textual.widgets import Select

    sun = add_customer(db, NewCustomer(name="孙丽", honorific="孙姐", tier="key", disc="D"))
    async with on_profile(db.path, sun) as (app, pilot):
        header = str(app.screen.query_one("#profile-header", Static).render())
        assert "女？（按称呼猜的，按 e 确认）" in header
        approach = str(app.screen.query_one("#approach", Static).render())
        assert "让她拍板" in approach and "TA" not in approach and "让他" not in approach
        await pilot.press("e")
        await wait_for_screen(pilot, CustomerForm)
        form = app.screen
        gender = form.query_one("#f-gender", Select)
        assert gender.value is Select.NULL and "按称呼猜是女" in str(gender.prompt)
        gender.value = "female"  # confirming the guess
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        header = str(app.screen.query_one("#profile-header", Static).render())
        assert " · 女" in header and "猜" not in header
    stored = sqlite3.connect(db.path).execute("SELECT gender FROM customer WHERE id = ?", (sun,)).fetchone()
    assert stored == ("female",)


async def test_a_title_is_not_a_gender(db) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key", disc="D"))
    async with on_profile(db.path, wang) as (app, _pilot):
        header = str(app.screen.query_one("#profile-header", Static).render())
        assert "女" not in header and "男" not in header
        assert "让TA拍板" in str(app.screen.query_one("#approach", Static).render())


async def test_leaving_the_profile_before_what_is_owed_is_read_is_harmless(demo_db, monkeypatch) -> None:
    """In a big book the agenda takes a moment: Escape before it arrives must not crash."""
    import threading

    from kequ.services import profile as service

    read, leave, done = threading.Event(), threading.Event(), threading.Event()
    real = service.owed

    def slow(*args, **kwargs):
        read.set()
        leave.wait(5)
        try:
            return real(*args, **kwargs)
        finally:
            done.set()

    monkeypatch.setattr(service, "owed", slow)
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        profile = ProfileScreen(1, DEMO_TODAY)
        app.push_screen(profile)
        for _ in range(200):
            if read.is_set():
                break
            await pilot.pause(0.01)
        assert read.is_set()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
        leave.set()
        assert done.wait(5)
        await pilot.pause(0.2)  # time for an answer to come back to the UI thread
        await settle(pilot)
        assert app.is_running and profile.owed is None  # dropped with the screen, not shown on it
        await pilot.press("2")  # and the app goes on as before
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)


def test_the_twelve_month_chart_is_labelled_with_its_months() -> None:
    from datetime import date

    from kequ.ui.screens.customers.profile import month_axis

    assert month_axis(date(2026, 12, 6)).split() == [str(m) for m in range(1, 13)]
    assert month_axis(date(2026, 3, 1)).split() == [str(m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    assert len(month_axis(date(2026, 3, 1))) <= 36  # under the 36-cell chart, three cells a month


async def test_the_timeline_tab_shows_the_months_under_the_chart(demo_db) -> None:
    cid = add_customer(demo_db, NewCustomer(name="钱进", tier="regular"))
    async with on_profile(demo_db.path, cid) as (app, _pilot):
        months = str(app.screen.query_one("#timeline-months", Static).render())
        assert months.split()[-1] == str(DEMO_TODAY.month)


@pytest.mark.parametrize("freeze_at", [1, 1_000_000])
async def test_a_large_book_freezes_what_is_loaded_when_the_list_is_ready(demo_db, monkeypatch, freeze_at) -> None:
    """At 100,000 customers the cycle collector's full collections walked the agenda the app
    holds, half a second to a second in the middle of a keystroke: from FREEZE_AT customers
    on, what is loaded once the marks are read is moved out of its sight. A small book is
    left alone."""
    import gc

    from kequ.ui.screens.customers import customers

    monkeypatch.setattr(customers, "FREEZE_AT", freeze_at)
    gc.unfreeze()
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            screen = await open_customers(pilot)
            await settle(pilot)
            assert screen.flags is not None
            assert (gc.get_freeze_count() > 0) == (freeze_at == 1)
    finally:
        gc.unfreeze()
