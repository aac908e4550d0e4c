"""Rhythms as I work: the three layers (playbook, tier setting, customer's own) and their words."""

from __future__ import annotations

import pytest

from kequ.domain.rhythms import MAX_RHYTHM_DAYS, CustomerRhythm, default_days, parse_days, setting_key
from kequ.domain.settings import check, resolve, spec_for
from kequ.errors import KequError


def test_the_tier_settings_start_at_the_playbooks_cadences() -> None:
    values = resolve({})
    assert values[setting_key("key", "call")] == 30
    assert values[setting_key("key", "visit")] == 180
    assert values[setting_key("regular", "call")] == 90
    assert values[setting_key("regular", "visit")] == 0  # the playbook visits key customers only
    assert values[setting_key("temporary", "call")] == 0
    assert default_days("nobody", "call") == 0


def test_a_tier_rhythm_is_a_setting_typed_as_kequ_config_takes_it() -> None:
    spec = spec_for("Rhythm.Regular.Call")
    assert spec.key == "rhythm.regular.call"
    assert spec.label() == "常规客户：电话间隔（天）"
    assert check(spec, "６０") == 60  # full-width digits as an input method types them
    assert check(spec, "0") == 0  # no rhythm
    assert resolve({"rhythm.regular.call": 60})["rhythm.regular.call"] == 60
    for wrong in ("-5", "sixty", str(MAX_RHYTHM_DAYS + 1), "1.5"):
        with pytest.raises(KequError, match="0 到 3660"):
            check(spec, wrong)
    # A value spoilt by hand in the database falls back to the playbook's.
    assert resolve({"rhythm.regular.call": "often"})["rhythm.regular.call"] == 90


@pytest.mark.parametrize("typed", ["14", " 14 ", "１４", 14])
def test_days_are_read_as_typed(typed: object) -> None:
    assert parse_days(typed, "call") == 14  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["", "-1", "abc", "3661", "1e3", True, None])
def test_days_that_are_no_interval_are_refused_in_one_line(typed: object) -> None:
    with pytest.raises(KequError) as refused:
        parse_days(typed, "visit")  # type: ignore[arg-type]
    message = refused.value.message()
    assert "拜访间隔" in message and "0 到 3660" in message and "\n" not in message


def test_the_customers_own_rhythm_wins_kind_by_kind() -> None:
    rhythm = CustomerRhythm(7, "key", {"call": 30, "visit": 180}, {"call": 14})
    assert (rhythm.days("call"), rhythm.days("visit")) == (14, 180)
    assert rhythm.is_own("call") and not rhythm.is_own("visit")
    assert rhythm.describe() == "电话每 14 天（自定） · 拜访每 180 天（按关键客户）"
    off = CustomerRhythm(7, "regular", {"call": 90, "visit": 0}, {"call": 0})
    assert off.describe() == "电话不定期（自定） · 拜访不定期（按常规客户）"
    assert off.as_json() == {
        "customer_id": 7,
        "tier": "regular",
        "call": {"days": 0, "own": True},
        "visit": {"days": 0, "own": False},
    }
