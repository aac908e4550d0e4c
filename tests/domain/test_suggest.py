"""Which message a due item calls for, in which tone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kequ.domain.agenda.rules import DueItem
from kequ.domain.agenda.suggest import formality_for, message_for, occasion_for


def item(source: str, reason: str = "reason.x", honorific: str = "王总", disc: str | None = "D") -> DueItem:
    day = date(2026, 9, 25)
    return DueItem(7, source, day, day, "call", reason, {}, 0, "key", "王建国", honorific, disc, False, "恒瑞机械")


@pytest.mark.parametrize(
    ("source", "reason", "occasion"),
    [
        ("festival:mid_autumn", "reason.festival", "mid_autumn"),
        ("deal:3:0", "reason.deal_thanks", "deal_thanks"),
        ("deal:3:10", "reason.deal_call_10", "deal_call_10"),
        ("date:5", "reason.date_birthday", "birthday"),
        ("date:6", "reason.date_anniversary", "anniversary"),
        ("cadence:call", "reason.cadence_call", "call"),
        ("complaint:4", "reason.complaint", "complaint"),
    ],
)
def test_occasion_follows_the_source(source: str, reason: str, occasion: str) -> None:
    assert occasion_for(item(source, reason)) == occasion


def test_close_forms_of_address_get_the_warmer_tone() -> None:
    assert formality_for("王总") == "formal"
    assert formality_for("王哥") == "close"
    assert formality_for("李姐") == "close"
    assert formality_for("") == "formal"


def test_messages_are_filled_in_both_languages_without_placeholders() -> None:
    for source, reason in (("festival:mid_autumn", "reason.festival"), ("date:5", "reason.date_birthday")):
        for honorific in ("王总", "王哥", ""):
            for lang in ("zh", "en"):
                text = message_for(item(source, reason, honorific), lang, my_name="小李")
                assert text and "{" not in text and "}" not in text
                assert (honorific or "王建国") in text or lang == "en"
    zh = message_for(item("festival:mid_autumn", "reason.festival"), "zh")
    assert "中秋" in zh and "王总" in zh


def test_user_text_with_braces_and_markup_stays_literal() -> None:
    text = message_for(item("date:5", "reason.date_birthday", honorific="[red]{王总}"), "zh")
    assert "[red]{王总}" in text


# ------------------------------------------------------------ every touch has its own words

GENERIC_ZH = "祝您一切顺利，身体健康。"


def touch(
    source: str,
    kind: str,
    reason: str,
    params: dict[str, object] | None = None,
    disc: str | None = "D",
    honorific: str = "王总",
    occurrence: date = date(2026, 11, 23),
) -> DueItem:
    facts = (occurrence, occurrence, kind, reason, params or {}, 0, "key", "王建国", honorific, disc, False, "恒瑞")
    return DueItem(7, source, *facts)


# (item, the words every type and tone of it must have in Chinese)
KINDS = {
    "call": (touch("cadence:call", "call", "reason.cadence_call"), ("方便",)),
    "first_call": (touch("cadence:call", "call", "reason.never_call"), ("方便",)),
    "visit": (touch("cadence:visit", "visit", "reason.cadence_visit"), ("哪天",)),
    "planned_visit": (touch("manual:3", "visit", "reason.planned"), ("哪天",)),
    "complaint": (
        touch("complaint:4", "complaint", "reason.complaint", {"summary": "交货晚了三天"}),
        ("交货晚了三天",),
    ),
    "birthday_ahead": (
        # Monday 23 November: the birthday is on Saturday the 28th, five days off.
        touch("date:5", "message", "reason.date_birthday", {"days_left": 5}, occurrence=date(2026, 11, 28)),
        ("周六", "生日"),
    ),
    "anniversary": (
        touch("date:6", "gift", "reason.date_anniversary", {"days_left": 0, "label": "公司成立十周年"}),
        ("今天是公司成立十周年",),
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("disc", ["D", "I", "S", "C", None])
@pytest.mark.parametrize("honorific", ["王总", "王哥"])
def test_each_touch_has_its_own_words_for_every_type_and_tone(kind: str, disc: str | None, honorific: str) -> None:
    base, words = KINDS[kind]
    item = base._replace(disc=disc, honorific=honorific)
    zh = message_for(item, "zh")
    en = message_for(item, "en")
    assert GENERIC_ZH not in zh and "good health and every success" not in en
    assert zh.startswith(f"{honorific}，") and honorific in en
    assert all(word in zh for word in words), zh
    assert "{" not in zh + en and "}" not in zh + en
    assert "今天好好" not in zh  # never "celebrate today" for a day still ahead


def test_the_types_and_tones_read_differently() -> None:
    for kind in ("call", "visit", "complaint", "birthday_ahead", "anniversary"):
        base, _ = KINDS[kind]
        texts = {message_for(base._replace(disc=d, honorific=h), "zh") for d in "DISC" for h in ("王总", "王哥")}
        assert len(texts) == 8, kind


def test_a_rhythm_call_opens_by_asking_for_a_moment_and_is_not_signed() -> None:
    zh = message_for(KINDS["call"][0], "zh", my_name="小李")
    assert zh == "王总，您好，我是小李。有件事想跟您确认，两分钟就好，现在方便吗？"
    assert "——" not in zh  # said on the phone, not sent
    assert message_for(KINDS["call"][0]._replace(disc="I"), "en", my_name="Li").startswith("Hi 王总, it's Li!")


def test_a_complaint_apologises_and_gives_an_update() -> None:
    item = KINDS["complaint"][0]
    for disc in ("D", "I", "S", "C", None):
        zh = message_for(item._replace(disc=disc), "zh")
        assert any(word in zh for word in ("道歉", "抱歉", "致歉")), zh
        assert "进展" in zh and "交货晚了三天" in zh
    # A long summary is left out rather than pasted into the apology.
    long = item._replace(reason_params={"summary": "客户反映" + "设备" * 30})
    assert message_for(long, "zh") == "王总，给您添麻烦了，抱歉。进展：已经在处理，今天之内我给您确切的结果和时间。"


def test_a_birthday_ahead_names_the_day_and_on_the_day_it_is_today() -> None:
    ahead = KINDS["birthday_ahead"][0]._replace(disc="S")
    assert message_for(ahead, "zh").startswith("王总，周六是您的生日，提前祝您生日快乐")
    assert message_for(ahead, "en").startswith("王总, your birthday is on Saturday.")
    on_the_day = ahead._replace(reason_params={"days_left": 0}, occurrence=date(2026, 11, 23))
    assert "今天好好和家人一起庆祝" in message_for(on_the_day, "zh")  # the day itself keeps its own words


@pytest.mark.parametrize(
    ("days", "zh", "en"),
    [
        (0, "今天", "today"),
        (1, "明天", "tomorrow"),
        (2, "后天", "the day after tomorrow"),
        (4, "周五", "on Friday"),  # Monday 23 November → Friday 27th
        (6, "周日", "on Sunday"),
        (18, "12月11日", "on 11 December"),
        (-3, "11月20日", "on 20 November"),  # a few days late: the date, not "last Friday"
    ],
)
def test_day_words(days: int, zh: str, en: str) -> None:
    from kequ.domain.agenda.suggest import day_words

    day = date(2026, 11, 23) + timedelta(days=days)
    assert (day_words(day, days, "zh"), day_words(day, days, "en")) == (zh, en)


def test_a_weekday_in_the_next_week_says_so() -> None:
    from kequ.domain.agenda.suggest import day_words

    # Saturday 28 November → Tuesday 1 December: four days off, but already next week.
    assert day_words(date(2026, 12, 1), 3, "zh") == "下周二"
    assert day_words(date(2026, 12, 1), 3, "en") == "next Tuesday"
