"""Which message a due item calls for, in which tone."""

from __future__ import annotations

from datetime import date

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
        ("date:6", "reason.date_anniversary", "generic"),
        ("cadence:call", "reason.cadence_call", "generic"),
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
