"""Gender: typed, or guessed from the 称呼; the pronoun in the advice; who is greeted on 妇女节 and 七夕."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kequ.domain.agenda.rules import AgendaInput, CustomerFacts, Rules, due
from kequ.domain.agenda.suggest import approach_for
from kequ.domain.disc import approach, type_profile
from kequ.domain.gender import (
    Known,
    festival_fits,
    festival_suits,
    guess_gender,
    known_gender,
    parse_gender,
    pronoun,
    refer,
)
from kequ.errors import KequError


@pytest.mark.parametrize(
    ("honorific", "gender"),
    [
        ("李姐", "female"),
        ("孙姐", "female"),
        ("孙女士", "female"),
        ("张阿姨", "female"),
        ("小妹", "female"),
        ("王嫂", "female"),
        ("王哥", "male"),
        ("陈先生", "male"),
        ("刘叔", "male"),
        ("老弟", "male"),
        ("李姐夫", "male"),  # 姐夫 is a man though it has 姐 in it
        ("Ms Li", "female"),
        ("Mr. Wang", "male"),
        # A title says nothing about the person: never guessed.
        ("王总", None),
        ("李经理", None),
        ("张老师", None),
        ("刘医生", None),
        ("王建国", None),
        ("", None),
    ],
)
def test_the_guess_comes_from_the_form_of_address_only(honorific: str, gender: str | None) -> None:
    assert guess_gender(honorific) == gender


def test_what_was_said_wins_over_the_guess_and_a_guess_says_so() -> None:
    assert known_gender(None, "李姐") == Known("female", guessed=True)
    assert known_gender("male", "李姐") == Known("male", guessed=False)  # confirmed beats the 称呼
    assert known_gender(None, "王总") == Known(None, guessed=False)
    assert known_gender("female", "王总") == Known("female")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("女", "female"), ("男", "male"), ("f", "female"), ("M", "male"), ("Female", "female"), (" 男 ", "male")],
)
def test_typed_gender_is_cleaned(typed: str, stored: str) -> None:
    assert parse_gender(typed) == stored


def test_blank_gender_is_not_said_and_nonsense_is_refused_in_one_line() -> None:
    assert parse_gender("") is None and parse_gender("  ") is None and parse_gender(None) is None
    with pytest.raises(KequError) as refused:
        parse_gender("x")
    assert refused.value.key == "input.bad_gender"
    assert "女 或 男" in refused.value.message("zh") and "\n" not in refused.value.message("zh")


def test_the_advice_says_ta_until_the_gender_is_known() -> None:
    assert (pronoun("female"), pronoun("male"), pronoun(None)) == ("她", "他", "TA")
    advice = approach("D", "call", "zh", full=True)
    assert "TA" in advice and "他" not in advice and "她" not in advice
    she = approach("D", "call", "zh", full=True, gender="female")
    assert "她" in she and "TA" not in she and "他" not in she
    assert approach("D", "call", "zh", full=True, gender="male") == advice.replace("TA", "他")
    # Only the pronoun: a Latin word holding the letters is left alone.
    assert refer("DATA 给TA看，TAX 也是", "female") == "DATA 给她看，TAX 也是"
    assert refer("给TA看", None) == "给TA看"


def test_every_playbook_type_refers_to_the_customer_as_ta_never_as_he() -> None:
    for disc in ("D", "I", "S", "C", None):
        profile = type_profile(disc)
        texts = [profile.approach.zh, profile.avoid.zh, *(a.full.zh for a in profile.touch.values())]
        assert not any("他" in text.replace("其他", "").replace("他们", "") for text in texts), disc


def _item_for(honorific: str, gender: str | None = None):
    person = CustomerFacts(1, "孙丽", "potential", date(2025, 1, 1), honorific=honorific, disc="I", gender=gender)
    data = AgendaInput([person], {(1, "call"): date(2026, 10, 1)})
    return due(data, Rules(), date(2026, 11, 23))[0]


def test_today_advice_uses_the_guess_and_the_stored_gender() -> None:
    assert "她" in approach_for(_item_for("孙姐"), "zh", full=True)
    assert "他" in approach_for(_item_for("孙总", "male"), "zh", full=True)
    unknown = approach_for(_item_for("孙总"), "zh", full=True)
    assert "TA" in unknown and "她" not in unknown


def test_which_festivals_suit_whom() -> None:
    assert festival_fits("womens_day", "female", None)
    assert not festival_fits("womens_day", "male", "family")
    assert not festival_fits("womens_day", None, None)  # not known to be a woman: no 妇女节 greeting
    assert festival_fits("qixi", "male", "family") and festival_fits("qixi", None, "friend")
    assert not festival_fits("qixi", "female", "adviser") and not festival_fits("qixi", "female", None)
    assert festival_fits("spring_festival", None, None) and festival_fits("mid_autumn", "male", "star")


def test_a_customer_as_stored_suits_a_festival_by_their_gender_or_their_titles_guess() -> None:
    """What Today and the greeting run both ask: a said gender wins over the 称呼's guess."""
    assert festival_suits("womens_day", None, "李姐", None)  # 姐: guessed a woman
    assert not festival_suits("womens_day", "male", "李姐", None)  # said otherwise: the saying wins
    assert not festival_suits("womens_day", None, "王总", None)  # nothing known
    assert festival_suits("womens_day", "female", "王总", None)
    assert festival_suits("qixi", None, "王总", "family") and not festival_suits("qixi", "female", "李姐", None)


def _festival_people(day: date) -> dict[str, set[int]]:
    people = [
        CustomerFacts(1, "李丽", "key", date(2025, 1, 1), honorific="李姐"),  # guessed woman
        CustomerFacts(2, "王建国", "key", date(2025, 1, 1), honorific="王总"),  # unknown
        CustomerFacts(3, "张敏", "key", date(2025, 1, 1), honorific="张总", gender="female"),
        CustomerFacts(4, "陈刚", "key", date(2025, 1, 1), honorific="陈哥", relation_type="friend"),
        CustomerFacts(5, "刘洋", "key", date(2025, 1, 1), honorific="刘总", relation_type="adviser"),
    ]
    # Recent calls and visits, so only the festivals are due.
    history = {(p.id, kind): day - timedelta(days=1) for p in people for kind in ("call", "visit")}
    found: dict[str, set[int]] = {}
    for item in due(AgendaInput(people, history), Rules(), day - timedelta(days=1), day):
        found.setdefault(item.source_key, set()).add(item.customer_id)
    return found


def test_womens_day_greets_only_women_and_qixi_only_family_and_friends() -> None:
    assert _festival_people(date(2027, 3, 8)) == {"festival:womens_day": {1, 3}}
    assert _festival_people(date(2027, 8, 8)) == {"festival:qixi": {4}}  # 七夕 2027 is 8 August
    assert _festival_people(date(2027, 9, 15))["festival:mid_autumn"] == {1, 2, 3, 4, 5}
