"""The nine-step complaint wizard on plain values: moves, limits, resume, close, follow-ups."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain import complaints as cw
from kequ.domain.calendar.holidays import work_calendar
from kequ.domain.complaints import DEFAULT_FOLLOWUPS, ComplaintError, Followup, WizardState
from kequ.i18n import catalogue, t
from tests.helpers import refused

SRC = Path(__file__).resolve().parents[2] / "src" / "kequ"


def at_step(step: int, **kw: object) -> WizardState:
    state = cw.start()
    while state.current < step:
        state = cw.forward(state)
    return state if not kw else cw.edit_notes(state, step, str(kw["notes"]))


# ---------------------------------------------------------------- moving


def test_a_new_complaint_starts_open_at_step_one_with_nothing_written() -> None:
    state = cw.start()
    assert (state.status, state.current, state.reached, dict(state.notes), dict(state.data)) == ("open", 1, 1, {}, {})
    assert state.closure is None and state.can_forward and not state.can_back


def test_forward_walks_the_nine_steps_and_stops_at_the_last() -> None:
    state = cw.start()
    seen = [state.current]
    while state.can_forward:
        state = cw.forward(state)
        seen.append(state.current)
        assert state.reached == state.current
    assert seen == list(range(1, 10))
    refused("complaint.error.no_next_step", cw.forward, state)


def test_back_keeps_the_furthest_step_reached() -> None:
    state = cw.back(cw.back(at_step(5)))
    assert (state.current, state.reached) == (3, 5)
    assert cw.forward(state).reached == 5
    refused("complaint.error.no_previous_step", cw.back, cw.start())


def test_goto_revisits_any_reached_step_or_the_next_but_never_skips_ahead() -> None:
    state = at_step(4)
    assert cw.goto(state, 1).current == 1
    assert (cw.goto(state, 5).current, cw.goto(state, 5).reached) == (5, 5)
    assert cw.goto(cw.goto(state, 2), 5).reached == 5
    error = refused("complaint.error.step_ahead", cw.goto, state, 6)
    assert error.params == {"step": 6, "limit": 5}
    for bad in (0, 10, -1, True, "3", 2.0):
        refused("complaint.error.bad_step", cw.goto, state, bad)


def test_a_closed_complaint_can_be_reviewed_but_not_taken_further() -> None:
    closed = cw.close(at_step(4), "换货", 4, "delivery")
    assert cw.goto(closed, 2).current == 2
    assert cw.forward(cw.goto(closed, 2)).current == 3
    assert not cw.goto(closed, 4).can_forward
    refused("complaint.error.step_ahead", cw.goto, closed, 5)


# ---------------------------------------------------------------- writing


def test_notes_are_per_step_and_replacing_them_returns_a_new_state() -> None:
    state = at_step(3)
    first = cw.edit_notes(state, 2, "客户讲了二十分钟")
    second = cw.edit_notes(first, 2, "客户讲了二十分钟，主要是交期")
    assert state.notes_at(2) == "" and first.notes_at(2) == "客户讲了二十分钟"
    assert dict(second.notes) == {2: "客户讲了二十分钟，主要是交期"}
    assert dict(cw.edit_notes(second, 2, "").notes) == {}
    with pytest.raises(TypeError):
        second.notes[3] = "no"  # type: ignore[index]


def test_writing_at_the_next_step_reaches_it_but_further_is_refused() -> None:
    state = at_step(3)
    assert cw.edit_notes(state, 4, "谢谢您告诉我们").reached == 4
    assert cw.edit_notes(state, 4, "x").current == 3
    refused("complaint.error.step_ahead", cw.edit_notes, state, 6, "too early")
    refused("complaint.error.bad_step", cw.edit_notes, state, 10, "no such step")


def test_structured_fields_belong_to_steps_six_to_eight() -> None:
    state = at_step(8)
    for step, fields in cw.STEP_FIELDS.items():
        for name in fields:
            value = "2026-12-05" if name == "deadline" else f"{name} 的内容"
            state = cw.set_field(state, step, name, value)
    assert state.field_at(6, "asks") == "asks 的内容" and state.field_at(7, "deadline") == "2026-12-05"
    assert set(state.data) == {6, 7, 8}
    assert cw.set_field(state, 6, "asks", "").field_at(6, "asks") == ""
    error = refused("complaint.error.unknown_field", cw.set_field, state, 6, "deadline", "2026-12-05")
    assert error.params["options"] == "asks/can_do/cannot_do/why_not"
    refused("complaint.error.no_fields", cw.set_field, state, 5, "asks", "x")
    refused("complaint.error.step_ahead", cw.set_field, at_step(5), 7, "action", "补发")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-12-05", "2026-12-05"),
        (" 2026-1-5 ", "2026-01-05"),
        ("２０２６－１２－０５", "2026-12-05"),
        ("2026/12/5", "2026-12-05"),
    ],
)
def test_a_deadline_is_stored_as_an_iso_date(typed: str, stored: str) -> None:
    assert cw.set_field(at_step(7), 7, "deadline", typed).field_at(7, "deadline") == stored


@pytest.mark.parametrize("typed", ["2026-02-30", "下周三", "2026-W49-1", "20261205", "12/05/2026", "2026-13-01"])
def test_a_deadline_that_is_not_a_date_is_refused(typed: str) -> None:
    error = refused("complaint.error.bad_deadline", cw.set_field, at_step(7), 7, "deadline", typed)
    assert error.params["value"] == typed


def test_a_closed_complaint_is_read_only() -> None:
    closed = cw.close(at_step(9), "全额补发", 5, "delivery")
    refused("complaint.error.closed", cw.edit_notes, closed, 9, "more")
    refused("complaint.error.closed", cw.set_field, closed, 7, "action", "x")
    refused("complaint.error.closed", cw.close, closed, "again", 5, "delivery")


def test_only_an_open_complaint_at_step_one_with_nothing_written_is_blank() -> None:
    assert cw.start().is_blank
    assert cw.edit_notes(cw.start(), 1, "").is_blank  # wiped again: nothing written
    assert not cw.edit_notes(cw.start(), 1, "客户来电").is_blank
    assert not cw.forward(cw.start()).is_blank  # moved on: step two was opened
    assert not cw.back(cw.forward(cw.start())).is_blank  # and that stays so, back at step one
    assert not cw.set_field(at_step(6), 6, "asks", "换货").is_blank
    assert not cw.close(cw.start(), "客户说不用处理了", 3, "other").is_blank
    assert not cw.withdraw(cw.start()).is_blank


# ---------------------------------------------------------------- withdrawing


def test_withdraw_ends_an_open_complaint_without_an_outcome() -> None:
    state = cw.goto(at_step(4, notes="客户说误会了"), 2)
    gone = cw.withdraw(state)
    assert (gone.status, gone.is_open, gone.closure) == ("withdrawn", False, None)
    # What was written stays readable, as far as it got, and goes no further.
    assert (gone.current, gone.reached, gone.notes_at(4)) == (2, 4, "客户说误会了")
    assert gone.limit == 4 and cw.goto(gone, 4).current == 4
    refused("complaint.error.step_ahead", cw.goto, gone, 5)


def test_a_withdrawn_complaint_is_read_only_and_says_why() -> None:
    gone = cw.withdraw(at_step(7))
    refused("complaint.error.withdrawn", cw.edit_notes, gone, 7, "more")
    refused("complaint.error.withdrawn", cw.set_field, gone, 7, "action", "x")
    refused("complaint.error.withdrawn", cw.close, gone, "补发", 5, "delivery")
    refused("complaint.error.withdrawn", cw.withdraw, gone)
    refused("complaint.error.withdrawn", cw.check_open, gone)
    # A closed one was handled: it cannot be withdrawn afterwards.
    refused("complaint.error.closed", cw.withdraw, cw.close(at_step(3), "补发", 4, "delivery"))


def test_resume_of_a_withdrawn_complaint_has_no_outcome() -> None:
    state = cw.resume("withdrawn", 3, {3: "撤了"}, {}, resolution="", satisfaction=None, cause=None)
    assert (state.status, state.reached, state.closure, state.is_open) == ("withdrawn", 3, None, False)
    assert cw.status_key("withdrawn") == "complaint.status.withdrawn"


# ---------------------------------------------------------------- closing


def test_close_records_the_outcome_and_the_default_followups() -> None:
    closed = cw.close(at_step(7), "  补发 4 箱，运费我方承担  ", 4, "delivery")
    assert closed.status == "closed" and not closed.is_open
    assert closed.closure == cw.Closure("补发 4 箱，运费我方承担", 4, "delivery", DEFAULT_FOLLOWUPS)
    assert DEFAULT_FOLLOWUPS == ((3, "call"), (14, "visit"))


def test_close_takes_an_edited_followup_plan() -> None:
    closed = cw.close(at_step(2), "解释清楚了", 3, "misunderstanding", [(7, "call"), (30, "call")])
    assert closed.closure is not None
    assert closed.closure.followups == (Followup(7, "call"), Followup(30, "call"))
    assert cw.close(at_step(2), "ok", 3, "other", []).closure.followups == ()  # type: ignore[union-attr]


@pytest.mark.parametrize("resolution", ["", "   ", "\n\t"])
def test_close_needs_a_resolution(resolution: str) -> None:
    refused("complaint.error.no_resolution", cw.close, at_step(5), resolution, 4, "product")


@pytest.mark.parametrize("score", [0, 6, -1, True, "5", 4.5, None])
def test_close_needs_a_satisfaction_from_one_to_five(score: object) -> None:
    refused("complaint.error.bad_satisfaction", cw.close, at_step(5), "ok", score, "product")


@pytest.mark.parametrize("cause", ["", None, "weather", "Product"])
def test_close_needs_a_known_cause(cause: object) -> None:
    error = refused("complaint.error.bad_cause", cw.close, at_step(5), "ok", 4, cause)
    assert "misunderstanding" in str(error.params["options"])


@pytest.mark.parametrize(
    ("plan", "key"),
    [
        ([(0, "call")], "complaint.error.bad_followup_days"),
        ([(367, "call")], "complaint.error.bad_followup_days"),
        ([("3", "call")], "complaint.error.bad_followup_days"),
        ([(True, "call")], "complaint.error.bad_followup_days"),
        ([(3,)], "complaint.error.bad_followup_days"),
        ([(3, "gift")], "complaint.error.bad_followup_kind"),
        ([(3, "Call")], "complaint.error.bad_followup_kind"),
        ([(d, "call") for d in range(1, 8)], "complaint.error.too_many_followups"),
    ],
)
def test_a_bad_followup_plan_is_refused(plan: list[tuple[object, ...]], key: str) -> None:
    refused(key, cw.close, at_step(5), "ok", 4, "service", plan)


def test_followup_dates_default_to_a_call_after_three_days_and_a_visit_after_fourteen() -> None:
    closed_on = date(2026, 11, 23)
    assert cw.followup_dates(closed_on) == [(date(2026, 11, 26), "call"), (date(2026, 12, 7), "visit")]
    assert cw.followup_dates(closed_on, DEFAULT_FOLLOWUPS) == cw.followup_dates(closed_on)


def test_followup_dates_come_out_earliest_first_across_the_year_end() -> None:
    plan = [(14, "visit"), (3, "call"), (3, "visit")]
    # Two asked for the same day are booked on two (one planned touch a day): the later on the 29th.
    assert cw.followup_dates(date(2026, 12, 25), plan) == [
        (date(2026, 12, 28), "call"),
        (date(2026, 12, 29), "visit"),
        (date(2027, 1, 8), "visit"),
    ]
    assert cw.followup_dates(date(2028, 2, 27), [(2, "call")]) == [(date(2028, 2, 29), "call")]
    assert cw.followup_dates(date(2026, 1, 1), []) == []
    refused("complaint.error.bad_followup_kind", cw.followup_dates, date(2026, 1, 1), [(3, "email")])


def test_followups_land_on_working_days_the_customer_has_free() -> None:
    official = work_calendar()
    # Closed Sunday 6 December: day 14 is Sunday the 20th ("2026-12-20（周日）拜访"), booked Monday.
    assert cw.followup_dates(date(2026, 12, 6), DEFAULT_FOLLOWUPS, official) == [
        (date(2026, 12, 9), "call"),
        (date(2026, 12, 21), "visit"),
    ]
    # Closed 28 September: day 3 is 国庆, booked the day after the break; day 12 is the 调休
    # Saturday 10 October, a working day, so it stays.
    assert cw.followup_dates(date(2026, 9, 28), [(3, "call"), (12, "visit")], official) == [
        (date(2026, 10, 8), "call"),
        (date(2026, 10, 10), "visit"),
    ]
    # A second complaint closed the same day: days 3 and 14 are taken by the first one's
    # follow-ups, so these are the next working days, and that is what the dialog shows.
    closed = date(2026, 11, 23)
    first = cw.followup_dates(closed, DEFAULT_FOLLOWUPS, official)
    second = cw.followup_dates(closed, DEFAULT_FOLLOWUPS, official, {day for day, _kind in first})
    assert [day for day, _kind in first] == [date(2026, 11, 26), date(2026, 12, 7)]
    assert [day for day, _kind in second] == [date(2026, 11, 27), date(2026, 12, 8)]
    # Taken on a Friday: the next free working day is Monday.
    assert cw.followup_dates(date(2026, 11, 24), [(3, "call")], official, {date(2026, 11, 27)}) == [
        (date(2026, 11, 30), "call")
    ]
    # A year without holiday data: weekends only (2027-10-01 is a Friday, taken as a working day).
    assert cw.followup_dates(date(2027, 9, 28), [(3, "call"), (4, "visit")], official) == [
        (date(2027, 10, 1), "call"),
        (date(2027, 10, 4), "visit"),
    ]
    # At the end of the calendar: still weekdays, into 2100.
    assert cw.followup_dates(date(2099, 12, 31), [(3, "call")], official) == [(date(2100, 1, 4), "call")]


# ---------------------------------------------------------------- resuming


def test_resume_opens_exactly_where_it_was_left() -> None:
    state = cw.resume("open", 5, {1: "肯定感受", 2: "让客户讲完", 3: "", 4: "感谢"}, {})
    assert (state.current, state.reached) == (5, 5)
    assert dict(state.notes) == {1: "肯定感受", 2: "让客户讲完", 4: "感谢"}
    assert cw.resume("open", 5, {}, {}, current=2).current == 2


def test_resume_round_trips_any_state() -> None:
    state = cw.set_field(cw.edit_notes(at_step(7), 6, "核实了"), 7, "deadline", "2026-12-01")
    state = cw.goto(state, 3)
    again = cw.resume(state.status, state.reached, state.notes, state.data, current=state.current)
    assert again == state


def test_resume_never_hides_something_written_beyond_the_stored_step() -> None:
    state = cw.resume("open", 2, {5: "写在第五步"}, {6: {"asks": "换货"}, 7: {"action": ""}})
    assert state.reached == 6 and state.current == 6


def test_resume_of_a_closed_complaint_keeps_its_outcome() -> None:
    state = cw.resume("closed", 9, {9: "回访过了"}, {}, resolution="补发", satisfaction=5, cause="delivery")
    assert state.closure == cw.Closure("补发", 5, "delivery")
    assert not state.is_open and state.limit == 9
    assert cw.resume("closed", 3, {}, {}).closure is None


def test_resume_refuses_stored_values_it_cannot_make_sense_of() -> None:
    refused("complaint.error.bad_status", cw.resume, "pending", 1, {}, {})
    refused("complaint.error.bad_step", cw.resume, "open", 0, {}, {})
    refused("complaint.error.bad_step", cw.resume, "open", 3, {12: "x"}, {})
    refused("complaint.error.step_ahead", cw.resume, "open", 3, {}, {}, current=4)


_moves = st.lists(
    st.one_of(
        st.just(("forward",)),
        st.just(("back",)),
        st.tuples(st.just("goto"), st.integers(0, 10)),
        st.tuples(st.just("notes"), st.integers(1, 9), st.text(string.printable + "客户投诉", max_size=5)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(_moves)
def test_any_sequence_of_moves_keeps_the_invariants(moves: list[tuple[object, ...]]) -> None:
    state = cw.start()
    for move in moves:
        before = state
        try:
            if move[0] == "forward":
                state = cw.forward(state)
            elif move[0] == "back":
                state = cw.back(state)
            elif move[0] == "goto":
                state = cw.goto(state, move[1])  # type: ignore[arg-type]
            else:
                state = cw.edit_notes(state, move[1], move[2])  # type: ignore[arg-type]
        except ComplaintError:
            assert state is before
            continue
        assert 1 <= state.current <= state.reached <= 9
        assert state.reached in (before.reached, before.reached + 1)
        assert all(step <= state.reached for step in state.notes)
    assert cw.resume(state.status, state.reached, state.notes, state.data, current=state.current) == state


# ---------------------------------------------------------------- texts and layering


def test_disc_tips_exist_where_the_type_matters_and_only_there() -> None:
    assert cw.disc_tip_key(2, "D") == "complaint.step.2.disc.D"
    assert {2, 3, 6, 7} <= set(cw.DISC_TIP_STEPS)
    assert cw.disc_tip_key(1, "D") is None
    assert cw.disc_tip_key(2, None) is None
    assert cw.disc_tip_key(2, "X") is None
    for step in cw.STEPS:
        for part in cw.STEP_PARTS:
            assert t(cw.step_key(step, part), "zh") != cw.step_key(step, part)
    assert len(t(cw.step_key(5, "avoid"), "en").splitlines()) >= 3
    assert "不归我管" in t(cw.step_key(5, "avoid"), "zh")


def _keys_in_source(*paths: Path) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found |= set(
            re.findall(r"\"((?:complaint|customer)\.[a-z0-9_.]+[a-z0-9_])\"", path.read_text(encoding="utf-8"))
        )
    return found


def test_every_key_the_code_uses_exists_in_both_languages() -> None:
    import tomllib

    own = tomllib.loads((SRC / "locale" / "complaint.toml").read_text(encoding="utf-8"))

    def leaf(key: str) -> dict[str, str] | None:
        node: object = own
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, dict) else None

    used = _keys_in_source(SRC / "domain" / "complaints.py", SRC / "services" / "complaints.py") | set(cw.text_keys())
    assert "complaint.error.closed" in used and "complaint.followup.reason" in used
    for key in sorted(used):
        entry = leaf(key) if key.startswith("complaint.") else catalogue().get(key)
        assert entry is not None, f"missing text: {key}"
        assert entry.get("zh", "").strip() and entry.get("en", "").strip(), key


def test_both_languages_ask_for_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, entry in catalogue().items():
        if key.startswith("complaint."):
            names = [{name for _, name, _, _ in fields.parse(entry[lang]) if name} for lang in ("zh", "en")]
            assert names[0] == names[1], key


def test_the_wizard_imports_no_ui_and_no_database() -> None:
    code = (
        "import sys, kequ.domain.complaints; "
        "print([m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
