"""Life events on plain values: which touch, how early, once only, in which words and tone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain.agenda.reasons import reason_text
from kequ.domain.agenda.rules import AgendaInput, CustomerFacts, DatedEvent, DueItem, Handled, Rules, due
from kequ.domain.agenda.suggest import approach_for, message_for, occasion_for, tone_for
from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.disc import approach
from kequ.domain.life_events import (
    CONDOLENCE,
    CONGRATULATIONS,
    LIFE_EVENTS,
    MOURNING_DAYS,
    days_between,
    default_lead,
    in_mourning,
    is_one_off,
    losses,
    one_off_day,
    tone_of,
    touch_kind,
)
from kequ.domain.vocab import ONE_OFF_DATE_KINDS, DateKind, TouchKind

TODAY = date(2026, 11, 23)
# Only the dates speak: no rhythms, no festivals.
QUIET = Rules(cadences={}, festival_keys=frozenset())

# The table as the salesperson should experience it; a change here must be deliberate.
EXPECTED = {
    "wedding": ("gift", 5, CONGRATULATIONS),
    "baby": ("gift", 0, CONGRATULATIONS),
    "exam": ("message", 0, CONGRATULATIONS),
    "promotion": ("call", 0, CONGRATULATIONS),
    "relocation": ("gift", 3, CONGRATULATIONS),
    "new_project": ("gift", 3, CONGRATULATIONS),
    "illness": ("visit", 0, CONDOLENCE),
    "bereavement": ("call", 0, CONDOLENCE),
}
CONDOLENCE_KINDS = [kind for kind, (_, _, tone) in EXPECTED.items() if tone == CONDOLENCE]
CONGRATULATION_KINDS = [kind for kind, (_, _, tone) in EXPECTED.items() if tone == CONGRATULATIONS]
TYPES = [None, "D", "I", "S", "C"]
# What must never be said to someone who is ill or grieving.
FESTIVE = ("恭喜", "快乐", "喜", "！", "!", "Congratulations", "congratulations", "Happy", "happy", "celebrat")


def customer(cid: int = 1, disc: str | None = None, honorific: str = "曾经理") -> CustomerFacts:
    return CustomerFacts(cid, "曾志强", "key", date(2025, 1, 1), honorific=honorific, disc=disc)


def event(kind: str, day: date, *, lead: int | None = None, label: str = "", eid: int = 7) -> DatedEvent:
    annual = AnnualDate(day.month, day.day, year=day.year)
    return DatedEvent(eid, 1, kind, annual, default_lead(kind) if lead is None else lead, label)


def items_for(events: list[DatedEvent], today: date, days: int = 0, **kw: object) -> list[DueItem]:
    data = AgendaInput([customer(**kw)], dates=events)  # type: ignore[arg-type]
    return due(data, QUIET, today, today + timedelta(days=days))


# ------------------------------------------------------------------ the table


def test_every_life_event_has_its_touch_lead_and_tone() -> None:
    assert set(EXPECTED) == set(ONE_OFF_DATE_KINDS) == set(LIFE_EVENTS)
    for kind, (touch, lead, tone) in EXPECTED.items():
        assert (touch_kind(kind, lead), default_lead(kind), tone_of(kind)) == (touch, lead, tone), kind
        assert is_one_off(kind)
        assert touch in {k.value for k in TouchKind}


def test_yearly_dates_keep_their_rules() -> None:
    for kind in ("birthday", "anniversary", "other"):
        assert not is_one_off(kind)
        assert default_lead(kind) == 0
        assert tone_of(kind) is None
        assert touch_kind(kind, 0) == "message"  # a greeting on the day
        assert touch_kind(kind, 3) == "gift"  # reminded early: something to prepare
    assert {k.value for k in DateKind} == {"birthday", "anniversary", "other", *ONE_OFF_DATE_KINDS}


def test_a_life_events_touch_does_not_change_with_the_lead() -> None:
    assert touch_kind("illness", 5) == "visit"
    assert touch_kind("bereavement", 2) == "call"


# ------------------------------------------------------------------ the agenda


@pytest.mark.parametrize("kind", EXPECTED)
def test_each_life_event_is_due_its_lead_before_the_day_with_its_touch(kind: str) -> None:
    touch, lead, _ = EXPECTED[kind]
    day = TODAY + timedelta(days=10)
    found = items_for([event(kind, day)], TODAY, days=30)
    assert [(i.source_key, i.occurrence, i.due, i.kind) for i in found] == [
        ("date:7", day, day - timedelta(days=lead), touch)
    ]
    assert found[0].reason_key == f"reason.date_{kind}"
    # Nothing yet while the reminder's day is still ahead (every lead is under 10 days).
    assert items_for([event(kind, day)], TODAY) == []


@pytest.mark.parametrize("kind", EXPECTED)
def test_a_life_event_comes_once_and_never_again_the_next_year(kind: str) -> None:
    day = date(2026, 12, 5)
    once = [event(kind, day)]
    whole_year = items_for(once, date(2026, 1, 1), days=365)
    assert [i.occurrence for i in whole_year] == [day]
    # The same day a year on, and every later year: nothing.
    for year in (2027, 2028, 2035):
        assert items_for(once, date(year, 11, 1), days=60) == []
    # Nor the years before it.
    assert items_for(once, date(2025, 11, 1), days=60) == []


def test_a_birthday_still_comes_every_year() -> None:
    birthday = DatedEvent(1, 1, "birthday", AnnualDate(12, 5, year=1980), 0)
    for year in (2026, 2027, 2035):
        assert [i.occurrence for i in items_for([birthday], date(year, 12, 1), days=10)] == [date(year, 12, 5)]


def test_late_news_of_a_life_event_still_shows_for_a_month() -> None:
    illness = [event("illness", TODAY - timedelta(days=20))]
    found = items_for(illness, TODAY)
    assert [(i.kind, i.overdue_days) for i in found] == [("visit", 20)]
    assert items_for([event("illness", TODAY - timedelta(days=31))], TODAY) == []
    # A birthday that long ago has dropped off: a late "happy birthday" does more harm.
    birthday = DatedEvent(1, 1, "birthday", AnnualDate(11, 3), 0)
    assert items_for([birthday], TODAY) == []


def test_done_or_skipped_never_returns_and_snoozed_moves() -> None:
    day = TODAY + timedelta(days=5)
    wedding = [event("wedding", day)]
    key = (1, "date:7", day)
    for status in ("done", "skipped"):
        handled = [Handled(*key, status, day - timedelta(days=5))]
        data = AgendaInput([customer()], dates=wedding, handled=handled)
        for today in (TODAY, day, day + timedelta(days=20), date(2027, 12, 1)):
            assert due(data, QUIET, today, today + timedelta(days=30)) == []
    later = TODAY + timedelta(days=2)
    data = AgendaInput([customer()], dates=wedding, handled=[Handled(*key, "snoozed", later)])
    assert [(i.due, i.occurrence) for i in due(data, QUIET, TODAY, TODAY + timedelta(days=3))] == [(later, day)]


def test_a_lunar_life_event_falls_on_its_one_gregorian_day() -> None:
    # 2026 农历冬月十六 is 2026-12-24 (lunar_python); a lunar wedding date is kept as the couple chose it.
    annual = AnnualDate(11, 16, lunar=True, year=2026)
    assert one_off_day(annual) == date(2026, 12, 24)
    wedding = DatedEvent(3, 1, "wedding", annual, 5)
    found = items_for([wedding], date(2026, 12, 18), days=30)
    assert [(i.occurrence, i.due) for i in found] == [(date(2026, 12, 24), date(2026, 12, 19))]
    assert reason_text(found[0], "zh") == "婚礼 农历冬月十六（还有 6 天）"
    assert items_for([wedding], date(2027, 12, 1), days=60) == []


def test_days_between_for_one_off_and_yearly_dates() -> None:
    annual = AnnualDate(3, 8, year=2026)
    assert days_between("promotion", annual, date(2020, 1, 1), date(2030, 1, 1)) == [date(2026, 3, 8)]
    assert days_between("promotion", annual, date(2026, 3, 9), date(2030, 1, 1)) == []
    assert days_between("anniversary", annual, date(2026, 1, 1), date(2027, 12, 31)) == [
        date(2026, 3, 8),
        date(2027, 3, 8),
    ]
    # A stored row without its year (the schema refuses it; an old file might not) never raises.
    assert days_between("wedding", AnnualDate(3, 8), date(2026, 1, 1), date(2027, 1, 1)) == []


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ONE_OFF_DATE_KINDS),
    st.integers(1, 12),
    st.integers(1, 31),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.integers(-5, 9999)),
    st.integers(0, 60),
    st.dates(date(1902, 1, 1), date(2098, 12, 1)),
)
def test_the_agenda_never_raises_on_any_stored_life_event(
    kind: str, month: int, day: int, lunar: bool, leap: bool, year: int | None, lead: int, today: date
) -> None:
    annual = AnnualDate(month, min(day, 30) if lunar else day, lunar=lunar, leap=leap, year=year)
    data = AgendaInput([customer()], dates=[DatedEvent(1, 1, kind, annual, lead)])
    items = due(data, QUIET, today, today + timedelta(days=30))
    assert len(items) <= 1
    for item in items:
        assert item.due <= today + timedelta(days=30)
        reason_text(item, "zh")
        reason_text(item, "en")


# ------------------------------------------------------------------ what it says


def test_reason_names_the_event_its_day_the_countdown_and_the_note() -> None:
    found = items_for([event("wedding", date(2026, 12, 5), label="女儿出嫁")], date(2026, 12, 2))
    assert reason_text(found[0], "zh") == "婚礼 12月5日（还有 3 天） · 女儿出嫁"
    assert reason_text(found[0], "en") == "Wedding December 5 (in 3 days) · 女儿出嫁"
    plain = items_for([event("bereavement", date(2026, 11, 20))], TODAY)
    assert reason_text(plain[0], "zh") == "家中丧事 11月20日（已过 3 天）"
    assert reason_text(plain[0], "en") == "Bereavement November 20 (3 days ago)"


@pytest.mark.parametrize("kind", EXPECTED)
def test_every_life_event_has_a_reason_in_both_languages(kind: str) -> None:
    item = items_for([event(kind, TODAY)], TODAY)[0]
    for lang in ("zh", "en"):
        text = reason_text(item, lang)
        assert "reason." not in text and "{" not in text
        assert ("今天" if lang == "zh" else "today") in text


@pytest.mark.parametrize("kind", EXPECTED)
def test_the_occasion_is_the_event_itself_in_its_tone(kind: str) -> None:
    item = items_for([event(kind, TODAY)], TODAY)[0]
    assert occasion_for(item) == kind
    assert tone_for(item) == EXPECTED[kind][2]


def test_a_birthday_keeps_its_own_occasion_and_has_no_tone() -> None:
    item = items_for([DatedEvent(1, 1, "birthday", AnnualDate(11, 23), 0)], TODAY)[0]
    assert (occasion_for(item), tone_for(item)) == ("birthday", None)


@pytest.mark.parametrize("kind", CONDOLENCE_KINDS)
@pytest.mark.parametrize("disc", TYPES)
@pytest.mark.parametrize("honorific", ["曾经理", "曾哥"])  # formal and close
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_illness_and_bereavement_never_sound_festive(kind: str, disc: str | None, honorific: str, lang: str) -> None:
    item = items_for([event(kind, TODAY)], TODAY, disc=disc, honorific=honorific)[0]
    text = message_for(item, lang, my_name="小李")
    assert text and "{" not in text
    assert not [word for word in FESTIVE if word in text], text
    if lang == "zh":
        assert any(word in text for word in ("挂念", "惦记", "节哀", "哀悼", "难过", "康复")), text


@pytest.mark.parametrize("kind", CONGRATULATION_KINDS)
@pytest.mark.parametrize("disc", TYPES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_good_news_is_met_with_a_message_about_that_news(kind: str, disc: str | None, lang: str) -> None:
    item = items_for([event(kind, TODAY)], TODAY, disc=disc)[0]
    text = message_for(item, lang, my_name="小李")
    assert text.startswith("曾经理") or "曾经理" in text
    assert text.endswith("小李")
    assert not any(word in text for word in ("节哀", "哀悼", "早日康复", "condolence", "loss")), text
    # Each event is spoken of in its own words, not in a one-size "恭喜" for all.
    others = {message_for(items_for([event(k, TODAY)], TODAY, disc=disc)[0], lang) for k in CONGRATULATION_KINDS}
    assert len(others) == len(CONGRATULATION_KINDS)


@pytest.mark.parametrize("kind", CONDOLENCE_KINDS)
@pytest.mark.parametrize("disc", TYPES)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_visiting_the_sick_or_bereaved_comes_with_words_of_care(
    kind: str, disc: str | None, full: bool, lang: str
) -> None:
    item = items_for([event(kind, TODAY)], TODAY, disc=disc)[0]
    advice = approach_for(item, lang, full)
    # Not the sales advice for the same kind of touch ("bring an agenda and options").
    assert advice != approach(disc, item.kind, lang, full)
    assert not [word for word in FESTIVE if word in advice], advice
    assert ("生意" in advice or "订单" in advice) if lang == "zh" else "business" in advice, advice


@pytest.mark.parametrize("kind", [*CONGRATULATION_KINDS, "birthday"])
def test_good_news_keeps_the_advice_for_its_touch(kind: str) -> None:
    day = TODAY + timedelta(days=default_lead(kind))
    item = items_for([event(kind, day)], TODAY)[0]
    assert approach_for(item, "zh") == approach(None, item.kind, "zh")


def test_each_type_is_cared_for_in_its_own_way() -> None:
    texts = {approach_for(items_for([event("illness", TODAY)], TODAY, disc=disc)[0], "zh") for disc in TYPES}
    assert len(texts) == len(TYPES)


def test_the_types_hear_different_words() -> None:
    for kind in EXPECTED:
        texts = {message_for(items_for([event(kind, TODAY)], TODAY, disc=disc)[0], "zh") for disc in TYPES}
        assert len(texts) == len(TYPES), kind


# ------------------------------------------------------------------ 守孝: no festive greetings in the first year


def test_the_first_year_after_a_loss_is_a_year_of_mourning() -> None:
    loss = date(2026, 11, 1)
    assert MOURNING_DAYS == 365
    assert in_mourning([loss], loss)
    assert in_mourning([loss], loss + timedelta(days=364))
    assert not in_mourning([loss], loss + timedelta(days=365))
    assert not in_mourning([loss], loss - timedelta(days=1))  # a festival before the loss was still greeted
    assert in_mourning([date(2020, 1, 1), loss], date(2027, 2, 6))
    assert not in_mourning([], loss)


def test_losses_are_read_from_bereavements_only() -> None:
    rows = [
        (1, "bereavement", AnnualDate(11, 1, year=2026)),
        (1, "illness", AnnualDate(10, 1, year=2026)),
        (2, "birthday", AnnualDate(3, 3)),
        (3, "bereavement", AnnualDate(9, 20, lunar=True, year=2026)),  # 农历九月二十
        (4, "bereavement", AnnualDate(2, 30, year=2026)),  # an imported odd row: clamped, never raises
        (5, "bereavement", AnnualDate(1, 30, lunar=True, year=2300)),  # beyond the calendar: left out
    ]
    assert losses(rows) == {1: [date(2026, 11, 1)], 3: [date(2026, 10, 29)], 4: [date(2026, 2, 28)]}


def test_a_family_in_mourning_gets_the_care_call_but_no_festive_greeting() -> None:
    loss = date(2026, 11, 20)
    spring = date(2027, 2, 6)  # 春节 2027
    today = spring - timedelta(days=2)
    bereaved = CustomerFacts(1, "曾志强", "key", date(2025, 1, 1), honorific="曾经理")
    other = CustomerFacts(2, "王建国", "key", date(2025, 1, 1), honorific="王总")
    long_ago = CustomerFacts(3, "安然", "key", date(2025, 1, 1), honorific="安姐")
    dates = [
        DatedEvent(7, 1, "bereavement", AnnualDate(loss.month, loss.day, year=loss.year)),
        DatedEvent(8, 3, "bereavement", AnnualDate(1, 10, year=2025)),
    ]
    items = due(AgendaInput([bereaved, other, long_ago], dates=dates), Rules(), today, spring)
    greeted = {i.customer_id for i in items if i.source_key == "festival:spring_festival"}
    assert greeted == {2, 3}
    # Nothing else of theirs is held back: the rhythm of calls goes on.
    assert any(i.customer_id == 1 and i.kind == "call" for i in items)
    # On the day of the loss itself, the care call is due and still no festival greeting.
    on_the_day = due(AgendaInput([bereaved], dates=dates[:1]), Rules(), loss, loss + timedelta(days=3))
    assert [i.reason_key for i in on_the_day if i.source_key == "date:7"] == ["reason.date_bereavement"]


def test_a_birthday_in_the_year_of_mourning_is_remembered_quietly() -> None:
    """Still on the list, but the reason says why not 生日快乐 and the message is a quiet word."""
    loss = date(2026, 9, 1)
    person = CustomerFacts(1, "曾志强", "key", date(2025, 1, 1), honorific="曾经理", disc="S")
    dates = [
        DatedEvent(7, 1, "bereavement", AnnualDate(loss.month, loss.day, year=loss.year)),
        DatedEvent(8, 1, "birthday", AnnualDate(11, 25)),  # 2026-11-25: within the year
    ]
    window = TODAY + timedelta(days=3)
    (item,) = [i for i in due(AgendaInput([person], dates=dates), QUIET, TODAY, window) if i.source_key == "date:8"]
    assert item.reason_params["mourning"] is True
    assert reason_text(item, "zh") == "生日 11月25日（还有 2 天） · 守孝期内：不说生日快乐，不送喜庆的礼"
    assert "in mourning" in reason_text(item, "en")
    assert occasion_for(item) == "birthday_mourning"
    for lang in ("zh", "en"):
        message = message_for(item, lang, my_name="李明")
        assert "快乐" not in message and "happy" not in message.lower() and "!" not in message and "！" not in message
        assert "曾经理" in message and "李明" in message

    # The next year's birthday, past the year of mourning, is a birthday again.
    next_year = date(2027, 11, 23)
    later = [
        i
        for i in due(AgendaInput([person], dates=dates), QUIET, next_year, next_year + timedelta(days=3))
        if i.source_key == "date:8"
    ]
    # (two days off, so wished early and by its day: kequ.domain.agenda.suggest)
    assert [("mourning" in i.reason_params, occasion_for(i)) for i in later] == [(False, "birthday_ahead")]
    # Anyone else's birthday is a birthday; so is one that fell before the loss.
    other = CustomerFacts(2, "王建国", "key", date(2025, 1, 1))
    theirs = DatedEvent(9, 2, "birthday", AnnualDate(11, 25))
    items = due(AgendaInput([person, other], dates=[*dates, theirs]), QUIET, TODAY, window)
    assert [occasion_for(i) for i in items if i.customer_id == 2] == ["birthday_ahead"]
    loss_after = [DatedEvent(7, 1, "bereavement", AnnualDate(11, 26, year=2026)), dates[1]]
    before = due(AgendaInput([person], dates=loss_after), QUIET, TODAY, window)
    assert [occasion_for(i) for i in before if i.source_key == "date:8"] == ["birthday_ahead"]


@pytest.mark.parametrize(("typed", "days"), [("0", 0), ("7", 7), (" 30 ", 30), ("１４", 14)])
def test_days_ahead_are_read_as_typed_in_the_dialog_or_on_the_command_line(typed: str, days: int) -> None:
    from kequ.domain.life_events import parse_lead

    assert parse_lead(typed) == days


@pytest.mark.parametrize("typed", ["", "-1", "3.5", "两天", "²", "99999"])
def test_days_ahead_that_are_not_a_whole_number_in_range_are_refused(typed: str) -> None:
    from kequ.domain.life_events import parse_lead
    from kequ.domain.vocab import MAX_LEAD_DAYS
    from kequ.errors import KequError

    with pytest.raises(KequError) as refused:
        parse_lead(typed)
    assert refused.value.key == "input.bad_lead" and str(MAX_LEAD_DAYS) in refused.value.message()
