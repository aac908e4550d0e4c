"""出差 driven as a person would: plan a trip, pick whom to see, write a visit up, read the summary."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from textual.widgets import DataTable, SelectionList, Static

from kequ.ui.app import KequApp
from kequ.ui.screens.trips.forms import NewTripPrompt, VisitPrompt, WriteUpPrompt
from kequ.ui.screens.trips.plan import TripPlanScreen
from kequ.ui.screens.trips.trips import TripsScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _rows(table: DataTable) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def _open_trips(pilot, app: KequApp) -> TripsScreen:
    await settle(pilot)
    # The mode is wired in app.py ("5"); pushing the screen keeps this test independent of that.
    app.push_screen(TripsScreen(DEMO_TODAY))
    await settle(pilot)
    assert isinstance(app.screen, TripsScreen)
    return app.screen


async def test_plan_suzhou_pick_two_write_one_up_and_read_the_summary(demo_db) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        trips = await _open_trips(pilot, app)
        assert "还没有出差计划" in _text(trips, "#trips-summary")

        await pilot.press("n")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, NewTripPrompt)
        picker = prompt.query_one("#t-cities", SelectionList)
        cities = [picker.get_option_at_index(i).value for i in range(picker.option_count)]
        await pilot.press(*["down"] * cities.index("苏州"), "space")
        # The default days are today and the two after: a three-day trip.
        await pilot.press("ctrl+s")
        await settle(pilot)

        plan = app.screen
        assert isinstance(plan, TripPlanScreen)
        assert plan.loaded is not None
        trip = plan.loaded.trip
        assert (trip.cities, trip.start_on, trip.end_on) == (("苏州",), DEMO_TODAY, DEMO_TODAY + timedelta(days=2))
        candidates = plan.query_one("#candidates", DataTable)
        assert candidates.row_count == 9
        assert "生日" in _rows(candidates)[0] and "冷落" in _rows(candidates)[0]
        assert "出差期间过生日" in _text(plan, "#candidate-detail")
        first, second = (c.customer for c in plan.loaded.candidates[:2])

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, VisitPrompt)
        await pilot.press(*"9:30", "enter")
        await settle(pilot)
        await pilot.press("down", "a")
        await settle(pilot)
        await pilot.press(*"14:00", "enter")
        await settle(pilot)
        assert app.screen is plan
        planned = _rows(candidates)
        assert "11-23 周一" in planned[0] and "11-23 周一" in planned[1]

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert plan.active_tab == "tab-visits"
        visits = plan.query_one("#visits", DataTable)
        rows = _rows(visits)
        assert len(rows) == 2
        assert "09:30" in rows[0] and first.display_name in rows[0]
        assert "14:00" in rows[1] and second.display_name in rows[1]
        shown = _text(plan, "#visit-plan")
        assert "公司里的人" in shown and "怎么聊" in shown and "已送过的礼" in shown

        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WriteUpPrompt)
        for answer in ("二期项目明年开工", "要更短的交期", "有一家在压价"):
            await pilot.press(*answer, "enter")
        await pilot.press(*"周五前发报价", "enter")
        await pilot.press(*(DEMO_TODAY + timedelta(days=4)).isoformat(), "enter")
        await settle(pilot)
        assert app.screen is plan
        assert "已拜访" in _rows(visits)[0]

        for _ in range(3):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert plan.active_tab == "tab-summary"
        summary = _text(plan, "#summary-text")
        assert "拜访：完成 1 · 待拜访 1 · 取消 0" in summary
        assert "二期项目明年开工" in summary and "周五前发报价（2026-11-27 电话）" in summary

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is trips
        assert "已拜访 1 · 待拜访 1" in _rows(trips.query_one("#trips", DataTable))[0]

    conn = sqlite3.connect(demo_db.path)
    notes = conn.execute(
        "SELECT i.notes FROM interaction i JOIN trip_visit v ON v.interaction_id = i.id WHERE i.kind = 'visit'"
    ).fetchall()
    assert notes == [("了解到：二期项目明年开工\n需求：要更短的交期\n竞争对手：有一家在压价\n下一步：周五前发报价",)]
    assert conn.execute(
        "SELECT customer_id, due_date, status FROM touchpoint WHERE source_key = 'manual' AND reason = '周五前发报价'"
    ).fetchall() == [(first.id, "2026-11-27", "planned")]
    conn.close()


async def test_expenses_add_up_and_a_mistake_can_be_deleted(demo_db) -> None:
    from kequ.services.trips import plan_trip

    trip_id = plan_trip(demo_db, "杭州", ["杭州"], DEMO_TODAY, DEMO_TODAY + timedelta(days=1))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(TripPlanScreen(trip_id, DEMO_TODAY))
        await settle(pilot)
        plan = app.screen
        for _ in range(3):
            await pilot.press("right_square_bracket")
        assert plan.active_tab == "tab-expenses"
        for amount in ("128.50", "¥450", "abc"):
            await pilot.press("m")
            await settle(pilot)
            await pilot.press(*amount, "enter")
            await settle(pilot)
        # The last amount is refused in the form, which stays open to be corrected.
        assert "金额「abc」不对" in _text(app.screen, "#form-error")
        await pilot.press("escape")
        await settle(pilot)
        assert "交通 ¥578.50" in _text(plan, "#expense-summary")
        await pilot.press("delete")
        await settle(pilot)
        assert "合计 ¥450.00" in _text(plan, "#expense-summary")


async def test_keys_follow_the_tab_and_every_binding_has_an_id() -> None:
    ids = [binding.id for binding in TripPlanScreen.BINDINGS + TripsScreen.BINDINGS]
    assert all(ids) and len(ids) == len(set(ids))
    assert set(TripPlanScreen.TAB_ACTIONS) <= {binding.action for binding in TripPlanScreen.BINDINGS}


async def test_english_labels(demo_db) -> None:
    from kequ.i18n import set_language
    from kequ.services.trips import plan_trip

    set_language("en")
    trip_id = plan_trip(demo_db, "", ["上海"], DEMO_TODAY, DEMO_TODAY + timedelta(days=1))
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        app.push_screen(TripPlanScreen(trip_id, DEMO_TODAY))
        await settle(pilot)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Candidates" in shown and "Day sheet" in shown
        assert "Complaint" in shown and "An open complaint (step 5)" in shown


def _board(demo_db) -> int:
    """A Suzhou trip with two visits planned and one written up, made before the app starts."""
    from kequ.services.trips import add_expense, add_visit, candidates, plan_trip, write_up

    trip = plan_trip(demo_db, "苏州三日", ["苏州"], DEMO_TODAY, DEMO_TODAY + timedelta(days=2))
    ranked = candidates(demo_db, trip, DEMO_TODAY)
    done = add_visit(demo_db, trip, ranked[0].id, DEMO_TODAY, "9:30", purpose="生日当面祝福", bring="行业简报")
    add_visit(demo_db, trip, ranked[1].id, DEMO_TODAY + timedelta(days=1), "14:00", purpose="了解二期需求")
    write_up(demo_db, done, "准备扩产", "交期", "", "发报价", DEMO_TODAY + timedelta(days=4), today=DEMO_TODAY)
    add_expense(demo_db, trip, DEMO_TODAY, 12850, "transport", "高铁")
    return trip


def test_trip_plan_snapshot(demo_db, snap_compare) -> None:
    trip = _board(demo_db)
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await settle(pilot)
        app.push_screen(TripPlanScreen(trip, DEMO_TODAY))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 45), run_before=go)


def test_trip_candidates_snapshot_small_terminal(demo_db, snap_compare) -> None:
    trip = _board(demo_db)
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await settle(pilot)
        app.push_screen(TripPlanScreen(trip, DEMO_TODAY))
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=go)
