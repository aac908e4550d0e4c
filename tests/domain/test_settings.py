"""The known settings, how typed values are read, and the messages they sign."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.domain.agenda.rules import DueItem, Rules
from kequ.domain.agenda.suggest import message_for
from kequ.domain.settings import KEYS, SETTINGS, as_text, check, parse, resolve, shown, spec_for, stored_value
from kequ.domain.templates import fill, occasion_year, sign
from kequ.errors import KequError


def test_the_settings_there_are_with_their_defaults() -> None:
    rhythms = tuple(
        f"rhythm.{tier}.{kind}" for tier in ("key", "potential", "regular", "temporary") for kind in ("call", "visit")
    )
    first = (
        "my_name",
        "my_signature",
        "first_touch_cap",
        "festival_tiers",
        "festivals",
        "remind_minutes",
        "remind_feed",
    )
    assert list(KEYS) == [*first, *rhythms]
    defaults = resolve({})
    assert defaults["my_name"] == "" and defaults["my_signature"] == ""
    assert defaults["first_touch_cap"] == 15
    assert defaults["remind_minutes"] == 30  # kequ remind's alert before a timed visit
    assert defaults["remind_feed"] == ""  # no calendar file kept current
    assert defaults["festival_tiers"] == ("key", "potential")
    assert "new_year" in defaults["festivals"] and "christmas" not in defaults["festivals"]  # type: ignore[operator]
    assert [defaults[key] for key in rhythms] == [30, 180, 30, 0, 90, 0, 0, 0]  # the playbook's cadences
    for spec in SETTINGS:  # every one has its name and explanation in both languages
        assert spec.label("zh") != spec.label("en") and spec.help("zh") and spec.help("en")


def test_a_book_with_no_settings_greets_as_the_agenda_rules_do_by_default() -> None:
    """The defaults are one list: the settings start from the agenda's own rules."""
    defaults = resolve({})
    assert frozenset(defaults["festivals"]) == Rules().festival_keys  # type: ignore[arg-type]
    assert frozenset(defaults["festival_tiers"]) == Rules().festival_tiers  # type: ignore[arg-type]
    assert defaults["first_touch_cap"] == Rules().first_touch_cap


def test_a_key_is_found_whatever_its_case_or_dashes() -> None:
    assert spec_for(" My-Name ").key == "my_name"


def test_an_unknown_key_is_one_line_listing_the_known_ones() -> None:
    with pytest.raises(KequError) as refused:
        spec_for("name")
    message = refused.value.message("zh")
    assert "没有叫“name”的设置" in message and "my_name, my_signature, first_touch_cap" in message
    assert "\n" not in message


class TestParsing:
    def test_text_is_trimmed_and_made_inert(self) -> None:
        assert parse(spec_for("my_name"), "  张伟\x1b[31m ") == "张伟[31m"

    def test_text_too_long_is_refused_saying_the_limit(self) -> None:
        with pytest.raises(KequError) as refused:
            parse(spec_for("my_name"), "张" * 41)
        assert "最多 40 个字，这里有 41 个" in refused.value.message("zh")

    @pytest.mark.parametrize(("typed", "value"), [("20", 20), (" 1 ", 1), ("５００", 500)])
    def test_counts_in_range_and_full_width(self, typed: str, value: int) -> None:
        assert parse(spec_for("first_touch_cap"), typed) == value

    @pytest.mark.parametrize(
        ("typed", "why"), [("0", "1 到 500 之间"), ("501", "1 到 500"), ("十五", "整数"), ("-3", "整数")]
    )
    def test_bad_counts_say_what_to_write(self, typed: str, why: str) -> None:
        with pytest.raises(KequError) as refused:
            parse(spec_for("first_touch_cap"), typed)
        message = refused.value.message("zh")
        assert message.startswith(f"每天首次联系上限（first_touch_cap）不能设为“{typed}”") and why in message

    @pytest.mark.parametrize("typed", ["key,regular", "关键、常规", "Regular ， KEY", "常规;key;关键"])
    def test_tiers_by_key_or_name_in_either_language_in_their_order(self, typed: str) -> None:
        assert parse(spec_for("festival_tiers"), typed) == ("key", "regular")

    def test_an_empty_list_means_none(self) -> None:
        spec = spec_for("festival_tiers")
        assert parse(spec, "") == ()
        assert shown(spec, (), "zh") == "（都不）"

    def test_festivals_by_chinese_name_and_an_unknown_one_refused(self) -> None:
        spec = spec_for("festivals")
        assert parse(spec, "中秋节，春节") == ("spring_festival", "mid_autumn")
        with pytest.raises(KequError) as refused:
            parse(spec, "春节, halloween")
        assert "不认识“halloween”" in refused.value.message("zh")
        assert "mid_autumn=中秋节" in refused.value.message("zh")

    def test_a_value_from_a_form_is_checked_like_typed_text(self) -> None:
        assert check(spec_for("festival_tiers"), ["regular", "key"]) == ("key", "regular")
        assert check(spec_for("first_touch_cap"), 30) == 30
        with pytest.raises(KequError):
            check(spec_for("first_touch_cap"), True)
        with pytest.raises(KequError):
            check(spec_for("my_name"), ["张伟"])


def test_a_stored_value_that_no_longer_fits_falls_back_to_the_default() -> None:
    assert stored_value(spec_for("first_touch_cap"), 9999) == 15
    assert stored_value(spec_for("first_touch_cap"), "abc") == 15
    assert stored_value(spec_for("festival_tiers"), ["key", "vip"]) == ("key", "potential")
    assert stored_value(spec_for("my_name"), {"x": 1}) == ""
    assert stored_value(spec_for("first_touch_cap"), 20) == 20


def test_values_round_trip_through_their_text() -> None:
    for key, value in (("festival_tiers", ("potential",)), ("first_touch_cap", 7), ("my_name", "张伟")):
        spec = spec_for(key)
        assert parse(spec, as_text(spec, value)) == value


class TestMessages:
    def test_the_signature_goes_on_a_line_of_its_own_once(self) -> None:
        assert sign("祝好！——张伟", "恒瑞精密 138-0000-0000") == "祝好！——张伟\n恒瑞精密 138-0000-0000"
        assert sign("祝好！\n恒瑞精密", "恒瑞精密") == "祝好！\n恒瑞精密"
        assert sign("祝好！", "  ") == "祝好！"
        assert sign("您好，我是张伟", "恒瑞精密", "deal_call_3") == "您好，我是张伟"  # said on the phone

    def test_a_due_festival_greeting_is_signed_with_my_name_and_signature(self) -> None:
        item = DueItem(
            1, "festival:new_year", date(2027, 1, 1), date(2027, 1, 1), "festival", "reason.festival", {}, 0,
            "key", "王建国", "王总",
        )  # fmt: skip
        text = message_for(item, "zh", my_name="张伟", signature="恒瑞精密 138-0000-0000")
        assert text.startswith("王总，")
        assert "2027年" in text
        assert text.endswith("——张伟\n恒瑞精密 138-0000-0000")
        unsigned = message_for(item, "zh")
        assert "——" not in unsigned and "恒瑞" not in unsigned


class TestOccasionYear:
    @pytest.mark.parametrize(
        ("occasion", "today", "year"),
        [
            ("new_year", date(2026, 12, 6), 2027),  # the 元旦 coming is next year's
            ("new_year", date(2027, 1, 2), 2027),  # just past, still being greeted
            ("new_year", date(2027, 1, 5), 2028),
            ("spring_festival", date(2026, 12, 20), 2027),
            ("christmas", date(2026, 12, 6), 2026),
            ("birthday", date(2026, 12, 6), 2026),  # not a festival: this year
            ("new_year", date(2099, 12, 6), 2099),  # the calendar ends with 2099
        ],
    )
    def test_the_year_of_the_coming_day(self, occasion: str, today: date, year: int) -> None:
        assert occasion_year(occasion, today) == year

    def test_a_preview_of_new_year_in_december_2026_says_2027(self) -> None:
        body = "[[{honorific}，]]元旦快乐！祝您[[{year}年]]工作顺利。[[——{my_name}]]"
        values = {"honorific": "王总", "year": occasion_year("new_year", date(2026, 12, 6)), "my_name": "张伟"}
        assert fill(body, values) == "王总，元旦快乐！祝您2027年工作顺利。——张伟"
