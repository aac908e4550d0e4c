"""kequ.domain.calendar.lunar against published dates, lunar-python and its own invariants."""

from __future__ import annotations

import calendar
import itertools
import re
import string
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import LunarMonth, LunarYear, Solar

from kequ.domain.calendar import lunar as cal
from kequ.domain.calendar.lunar import AnnualDate, DateInputError

SRC = Path(__file__).resolve().parents[2] / "src"
MODULE = SRC / "kequ" / "domain" / "calendar" / "lunar.py"
CATALOGUE = SRC / "kequ" / "locale" / "calendar.toml"

# No example database: the suite must not leave files in a tree others are editing.
FAST = settings(max_examples=60, deadline=None, database=None)


def _festival_dates(year: int) -> dict[str, list[date]]:
    out: dict[str, list[date]] = {}
    for f in cal.festivals(year):
        out.setdefault(f.key, []).append(f.date)
    return out


# ----------------------------------------------------------------- festivals

PUBLISHED = {
    2024: {
        "spring_festival": "2024-02-10",
        "new_years_eve": "2024-02-09",
        "qingming": "2024-04-04",
        "dragon_boat": "2024-06-10",
        "mid_autumn": "2024-09-17",
        "double_ninth": "2024-10-11",
        "qixi": "2024-08-10",
        "lantern": "2024-02-24",
        "laba": "2024-01-18",
    },
    2025: {
        "spring_festival": "2025-01-29",
        "new_years_eve": "2025-01-28",
        "dragon_boat": "2025-05-31",
        "mid_autumn": "2025-10-06",
        "qingming": "2025-04-04",
        "laba": "2025-01-07",
    },
    2026: {
        "spring_festival": "2026-02-17",
        "new_years_eve": "2026-02-16",
        "mid_autumn": "2026-09-25",
        "dragon_boat": "2026-06-19",
        "qingming": "2026-04-05",
        "laba": "2026-01-26",
    },
    2027: {
        "spring_festival": "2027-02-06",
        "new_years_eve": "2027-02-05",
        "mid_autumn": "2027-09-15",
    },
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_festivals_match_published_dates(year: int) -> None:
    found = _festival_dates(year)
    for key, iso in PUBLISHED[year].items():
        assert found[key] == [date.fromisoformat(iso)], key


def test_fixed_festivals_and_order() -> None:
    fs = cal.festivals(2026)
    assert [f.date for f in fs] == sorted(f.date for f in fs)
    assert {f.key for f in fs} == set(cal.FESTIVAL_KEYS)
    fixed = {f.key: f.date for f in fs if f.calendar == "solar"}
    assert fixed == {
        "new_year": date(2026, 1, 1),
        "womens_day": date(2026, 3, 8),
        "labour_day": date(2026, 5, 1),
        "childrens_day": date(2026, 6, 1),
        "teachers_day": date(2026, 9, 10),
        "national_day": date(2026, 10, 1),
        "christmas": date(2026, 12, 25),
    }
    assert {f.key: f.calendar for f in fs}["qingming"] == "term"
    assert {f.key: f.calendar for f in fs}["mid_autumn"] == "lunar"


def test_new_years_eve_can_be_the_29th() -> None:
    # 2027's 除夕 is the last day of a 29-day 腊月 of lunar 2026, not a "腊月三十".
    eve = _festival_dates(2027)["new_years_eve"][0]
    lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
    assert (lunar.getYear(), lunar.getMonth(), lunar.getDay()) == (2026, 12, 29)


def test_laba_zero_one_or_two_per_gregorian_year() -> None:
    # Lunar 2022's 腊八 fell on 2022-12-30, so 2022 holds two and 2023 none.
    assert _festival_dates(2022)["laba"] == [date(2022, 1, 10), date(2022, 12, 30)]
    assert "laba" not in _festival_dates(2023)
    assert _festival_dates(2025)["laba"] == [date(2025, 1, 7)]


def test_festivals_at_both_ends_of_the_range() -> None:
    first = _festival_dates(1901)
    assert first["spring_festival"] == [date(1901, 2, 19)]
    # January 1901 belongs to lunar 1900, whose table must still be available.
    assert first["laba"] == [date(1901, 1, 27)]
    last = _festival_dates(2099)
    assert last["spring_festival"] == [date(2099, 1, 21)]
    assert "laba" not in last  # lunar 2098's is 2098-12-29, lunar 2099's is in 2100
    for year in (1900, 2100):
        with pytest.raises(DateInputError) as err:
            cal.festivals(year)
        assert err.value.key == "date.out_of_range"


def test_festivals_between_spans_years() -> None:
    got = cal.festivals_between(date(2025, 12, 20), date(2026, 1, 31))
    assert [(f.key, f.date) for f in got] == [
        ("christmas", date(2025, 12, 25)),
        ("new_year", date(2026, 1, 1)),
        ("laba", date(2026, 1, 26)),
    ]
    assert cal.festivals_between(date(2026, 2, 1), date(2026, 1, 1)) == []


def test_festivals_returns_a_copy() -> None:
    cal.festivals(2030).clear()
    assert len(cal.festivals(2030)) >= 15


# ------------------------------------------------------------- lunar_to_solar


def test_lunar_to_solar_leap_months() -> None:
    # Lunar 2023 has 闰二月 (from 2023-03-22), lunar 2025 has 闰六月 (from 2025-07-25).
    assert cal.lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert cal.lunar_to_solar(2023, 2, 1) == date(2023, 2, 20)
    assert cal.lunar_to_solar(2025, 6, 1, leap=True) == date(2025, 7, 25)
    # 2026 has no 闰六月, so a 闰六月 birthday is kept in the regular 六月.
    assert cal.lunar_to_solar(2026, 6, 1, leap=True) == date(2026, 7, 14)
    assert cal.lunar_to_solar(2026, 6, 1, leap=True) == cal.lunar_to_solar(2026, 6, 1)


def test_lunar_to_solar_30th_in_short_month_and_year_end() -> None:
    # 腊月 of lunar 2027 has 29 days and lies in January 2028.
    assert LunarMonth.fromYm(2027, 12).getDayCount() == 29
    assert cal.lunar_to_solar(2027, 12, 29) == date(2028, 1, 25)
    assert cal.lunar_to_solar(2027, 12, 30) == date(2028, 1, 25)
    assert cal.lunar_to_solar(2027, 12, 8) == date(2028, 1, 4)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ((1900, 1, 1), "date.out_of_range"),
        ((2100, 1, 1), "date.out_of_range"),
        ((2024, 13, 1), "date.month_out_of_range"),
        ((2024, 1, 31), "date.day_out_of_range"),
    ],
)
def test_lunar_to_solar_refuses(args: tuple[int, int, int], key: str) -> None:
    with pytest.raises(DateInputError) as err:
        cal.lunar_to_solar(*args)
    assert err.value.key == key


def test_table_bounds_the_fast_path_relies_on() -> None:
    # occurrences() prunes lunar years with these bounds and validate() refuses 闰正月
    # and 闰腊月; all three are facts about 1900-2099 worth re-checking here.
    leaps = set()
    for y in range(1900, 2100):
        table = cal._table(y)
        assert date.fromordinal(table.first[1]) >= date(y, 1, 21)
        eve = date.fromordinal(table.last)
        assert eve.year == y + 1 and eve.month <= 2
        leaps.add(table.leap_month)
    assert leaps - {0} <= set(cal._POSSIBLE_LEAP_MONTHS)


# ---------------------------------------------------------------- occurrences


def test_occurrences_window_across_new_year() -> None:
    start, end = date(2027, 12, 20), date(2028, 1, 31)
    assert cal.occurrences(AnnualDate(1, 1), start, end) == [date(2028, 1, 1)]
    assert cal.occurrences(AnnualDate(12, 25), start, end) == [date(2027, 12, 25)]
    # A 腊月 birthday of lunar 2027 is celebrated in January 2028.
    assert cal.occurrences(AnnualDate(12, 8, lunar=True), start, end) == [date(2028, 1, 4)]
    # Only lunar 2026's 冬月廿五 (2027-12-23) fits; lunar 2027's comes in December 2028.
    assert cal.occurrences(AnnualDate(11, 25, lunar=True), start, end) == [cal.lunar_to_solar(2027, 11, 25)]


def test_occurrences_one_day_window() -> None:
    day = date(2025, 10, 6)
    assert cal.occurrences(AnnualDate(8, 15, lunar=True), day, day) == [day]
    assert cal.occurrences(AnnualDate(10, 6), day, day) == [day]
    assert cal.occurrences(AnnualDate(8, 16, lunar=True), day, day) == []
    assert cal.occurrences(AnnualDate(10, 7), day, day) == []
    assert cal.occurrences(AnnualDate(10, 6), day, day - timedelta(days=1)) == []


def test_occurrences_skip_years_before_birth() -> None:
    start, end = date(2025, 1, 1), date(2028, 12, 31)
    assert cal.occurrences(AnnualDate(5, 3, year=2026), start, end) == [
        date(2026, 5, 3),
        date(2027, 5, 3),
        date(2028, 5, 3),
    ]
    # Born in lunar 2027's 腊月: the first occurrence is the birth itself, in 2028.
    assert cal.occurrences(AnnualDate(12, 8, lunar=True, year=2027), start, end) == [date(2028, 1, 4)]


def test_occurrences_feb_29_in_common_years() -> None:
    leapling = AnnualDate(2, 29, year=2000)
    assert cal.occurrences(leapling, date(2025, 1, 1), date(2028, 12, 31)) == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_lunar_occurrences_outside_range() -> None:
    with pytest.raises(DateInputError) as err:
        cal.occurrences(AnnualDate(1, 1, lunar=True), date(2099, 12, 1), date(2100, 3, 1))
    assert err.value.key == "date.out_of_range"
    # Gregorian dates need no table, so they work anywhere.
    assert cal.occurrences(AnnualDate(1, 1), date(2100, 1, 1), date(2100, 1, 1)) == [date(2100, 1, 1)]


def test_next_occurrence() -> None:
    mid_autumn = AnnualDate(8, 15, lunar=True)
    assert cal.next_occurrence(mid_autumn, date(2025, 10, 6)) == date(2025, 10, 6)
    assert cal.next_occurrence(mid_autumn, date(2025, 10, 7)) == date(2026, 9, 25)
    assert cal.next_occurrence(AnnualDate(2, 29), date(2025, 3, 1)) == date(2026, 2, 28)
    assert cal.next_occurrence(AnnualDate(5, 3, year=2030), date(2025, 1, 1)) == date(2030, 5, 3)
    # Born late in a lunar year: the first occurrence is in the next Gregorian year.
    late = AnnualDate(12, 24, lunar=True, year=2058)
    assert cal.next_occurrence(late, date(2025, 1, 1)) == cal.lunar_to_solar(2058, 12, 24)
    assert cal.lunar_to_solar(2058, 12, 24).year == 2059
    with pytest.raises(DateInputError) as err:
        cal.next_occurrence(AnnualDate(12, 1, lunar=True), date(2099, 12, 31))
    assert err.value.key == "date.out_of_range"


# ----------------------------------------------------------- property tests

WINDOW_START = date(1902, 1, 1).toordinal()
WINDOW_END = date(2099, 12, 31).toordinal()


@st.composite
def annual_dates(draw: st.DrawFn) -> AnnualDate:
    lunar = draw(st.booleans())
    month = draw(st.integers(1, 12))
    if lunar:
        return AnnualDate(
            month,
            draw(st.integers(1, 30)),
            lunar=True,
            leap=draw(st.booleans()),
            year=draw(st.none() | st.integers(1901, 2099)),
        )
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))
    return AnnualDate(month, day, year=draw(st.none() | st.integers(1901, 2099)))


@st.composite
def windows(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.integers(WINDOW_START, WINDOW_END))
    length = draw(st.sampled_from((0, 1, 29, 60, 365, 400, 800)))
    return date.fromordinal(start), date.fromordinal(min(start + length, WINDOW_END))


def _naive_occurrences(d: AnnualDate, start: date, end: date) -> list[date]:
    # Try every candidate year with no pruning, as a reference for the fast path.
    found = []
    for y in range(start.year - 1, end.year + 1):
        if d.year is not None and y < d.year:
            continue
        if d.lunar:
            x = cal.lunar_to_solar(y, d.month, d.day, d.leap)
        elif y < start.year:
            continue
        else:
            x = date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))
        if start <= x <= end:
            found.append(x)
    return sorted(found)


@FAST
@given(annual_dates(), windows())
def test_occurrences_properties(d: AnnualDate, window: tuple[date, date]) -> None:
    start, end = window
    got = cal.occurrences(d, start, end)
    assert all(start <= x <= end for x in got)
    assert all(a < b for a, b in itertools.pairwise(got))
    assert got == _naive_occurrences(d, start, end)
    if d.year is None and (end - start).days >= 400:
        # Not 365: a lunar year with a leap month runs to 384 days.
        assert got, "a 400-day window always holds an occurrence"


@FAST
@given(st.integers(1901, 2099), st.integers(1, 12), st.integers(1, 30), st.booleans())
def test_lunar_to_solar_round_trips(year: int, month: int, day: int, leap: bool) -> None:
    x = cal.lunar_to_solar(year, month, day, leap)
    lunar = Solar.fromYmd(x.year, x.month, x.day).getLunar()
    in_leap = leap and LunarYear.fromYear(year).getLeapMonth() == month
    expected_month = -month if in_leap else month
    days = LunarMonth.fromYm(year, expected_month).getDayCount()
    assert (lunar.getYear(), lunar.getMonth(), lunar.getDay()) == (year, expected_month, min(day, days))


@FAST
@given(annual_dates(), st.integers(WINDOW_START, date(2098, 1, 1).toordinal()))
def test_next_occurrence_is_the_first_occurrence(d: AnnualDate, start_ord: int) -> None:
    start = date.fromordinal(start_ord)
    if d.year is not None and d.year > 2098:
        return  # a 腊月 birthday of lunar 2099 falls in 2100, beyond the supported range
    nxt = cal.next_occurrence(d, start)
    assert nxt >= start
    assert cal.occurrences(d, start, nxt) == [nxt]


# -------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-03", AnnualDate(5, 3, year=2026)),
        ("05-03", AnnualDate(5, 3)),
        ("5/3", AnnualDate(5, 3)),
        ("5.3", AnnualDate(5, 3)),
        ("2026.5.3", AnnualDate(5, 3, year=2026)),
        ("19880503", AnnualDate(5, 3, year=1988)),
        ("2026年5月3日", AnnualDate(5, 3, year=2026)),
        ("5月3号", AnnualDate(5, 3)),
        (" 公历 12月 25日 ", AnnualDate(12, 25)),
        ("２０２６－０５－０３", AnnualDate(5, 3, year=2026)),
        ("02-29", AnnualDate(2, 29)),
        ("2024-02-29", AnnualDate(2, 29, year=2024)),
    ],
)
def test_parse_solar(text: str, expected: AnnualDate) -> None:
    assert cal.parse_solar_date(text) == expected


def _lunar(month: int, day: int, leap: bool = False, year: int | None = None) -> AnnualDate:
    return AnnualDate(month, day, lunar=True, leap=leap, year=year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("八月十五", _lunar(8, 15)),
        ("闰四月初五", _lunar(4, 5, leap=True)),
        ("正月初一", _lunar(1, 1)),
        ("腊月廿九", _lunar(12, 29)),
        ("冬月三十", _lunar(11, 30)),
        ("十一月二十", _lunar(11, 20)),
        ("十二月初八", _lunar(12, 8)),
        ("九月初十", _lunar(9, 10)),
        ("三月二十一", _lunar(3, 21)),
        ("1988年八月十五", _lunar(8, 15, year=1988)),
        ("农历2023年闰二月初十", _lunar(2, 10, leap=True, year=2023)),
        ("2023年农历闰二月初十", _lunar(2, 10, leap=True, year=2023)),
        ("閏四月初五", _lunar(4, 5, leap=True)),
        ("8月15日", _lunar(8, 15)),
        ("08-15", _lunar(8, 15)),
        ("1988-8-15", _lunar(8, 15, year=1988)),
        ("L05-05", _lunar(5, 5, leap=True)),
        ("l5/5", _lunar(5, 5, leap=True)),
        ("2023-闰02-10", _lunar(2, 10, leap=True, year=2023)),
        ("2017-L6-30", _lunar(6, 30, leap=True, year=2017)),
    ],
)
def test_parse_lunar(text: str, expected: AnnualDate) -> None:
    assert cal.parse_lunar_date(text) == expected


SOLAR_ERRORS = [
    ("", "date.empty"),
    ("abc", "date.solar_bad_format"),
    ("2026-05", "date.solar_bad_format"),
    ("26-05-03", "date.solar_bad_format"),
    ("5月三日", "date.solar_looks_lunar"),
    ("八月十五", "date.solar_looks_lunar"),
    ("农历8-15", "date.solar_looks_lunar"),
    ("正月初一", "date.solar_looks_lunar"),
    ("13-01", "date.month_out_of_range"),
    ("0-5", "date.month_out_of_range"),
    ("5-32", "date.day_out_of_range"),
    ("5-0", "date.day_out_of_range"),
    ("02-30", "date.solar_no_such_day"),
    ("2026-04-31", "date.solar_no_such_day"),
    ("2023-02-29", "date.solar_not_leap_year"),
    ("1900-02-28", "date.year_out_of_range"),
    ("2100-01-01", "date.year_out_of_range"),
]
LUNAR_ERRORS = [
    ("   ", "date.empty"),
    ("八月", "date.lunar_bad_format"),
    ("初十五", "date.lunar_bad_format"),
    ("八月初十五", "date.lunar_bad_format"),
    ("2023/L/2/10", "date.lunar_bad_format"),
    ("十三月初一", "date.month_out_of_range"),
    ("八月三十一", "date.day_out_of_range"),
    ("8-0", "date.day_out_of_range"),
    ("闰正月初一", "date.lunar_leap_never"),
    ("L12-01", "date.lunar_leap_never"),
    ("2024年闰四月初五", "date.lunar_no_leap_in_year"),
    ("2023年闰四月初五", "date.lunar_no_leap_month"),
    ("2027年腊月三十", "date.lunar_no_day_30"),
    ("2027-12-30", "date.lunar_no_day_30"),
    ("1899年八月十五", "date.year_out_of_range"),
]


@pytest.mark.parametrize(("text", "key"), SOLAR_ERRORS)
def test_parse_solar_errors(text: str, key: str) -> None:
    with pytest.raises(DateInputError) as err:
        cal.parse_solar_date(text)
    assert err.value.key == key


@pytest.mark.parametrize(("text", "key"), LUNAR_ERRORS)
def test_parse_lunar_errors(text: str, key: str) -> None:
    with pytest.raises(DateInputError) as err:
        cal.parse_lunar_date(text)
    assert err.value.key == key


DATE_ALPHABET = "0123456789-/. 年月日号闰Ll农历阴公正冬腊初廿卅十〇一二三四五六七八九"


@FAST
@given(st.text(DATE_ALPHABET, max_size=14))
def test_parsers_only_ever_refuse_with_date_input_error(text: str) -> None:
    # Whatever a user types, the form must get either a valid date or a keyed message.
    for parse in (cal.parse_solar_date, cal.parse_lunar_date):
        try:
            parsed = parse(text)
        except DateInputError:
            continue
        assert cal.validate(parsed) is parsed


def test_no_day_30_message_names_the_month() -> None:
    with pytest.raises(DateInputError) as err:
        cal.parse_lunar_date("2027年腊月三十")
    assert err.value.params["month_name"] == "腊月"
    assert err.value.params["year"] == 2027
    with pytest.raises(DateInputError) as err:
        cal.parse_lunar_date("2023年闰四月初五")
    assert err.value.params["leap_name"] == "闰二月"


def test_validate_checks_built_values() -> None:
    ok = AnnualDate(6, 30, lunar=True, leap=True, year=2017)
    assert cal.validate(ok) is ok
    with pytest.raises(DateInputError) as err:
        cal.validate(AnnualDate(5, 3, leap=True))
    assert err.value.key == "date.solar_leap"
    with pytest.raises(DateInputError) as err:
        cal.validate(AnnualDate(12, 30, lunar=True, year=2027))
    assert err.value.key == "date.lunar_no_day_30"


# ------------------------------------------------------------ error catalogue


def _catalogue() -> dict[str, dict[str, str]]:
    data = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {f"date.{name}": texts for name, texts in data["date"].items()}


def test_every_raised_key_has_both_languages() -> None:
    used = set(re.findall(r'DateInputError\(\s*"(date\.\w+)"', MODULE.read_text("utf-8")))
    texts = _catalogue()
    assert used, "the pattern no longer finds the raise sites"
    assert used <= texts.keys(), used - texts.keys()
    assert texts.keys() <= used, f"unused keys: {texts.keys() - used}"
    for key, entry in texts.items():
        assert entry.get("zh") and entry.get("en"), key


def test_every_tested_error_formats_in_both_languages() -> None:
    # Formatting with the real params catches placeholders the module never passes.
    texts = _catalogue()
    seen = set()
    cases = [(cal.parse_solar_date, t) for t, _ in SOLAR_ERRORS]
    cases += [(cal.parse_lunar_date, t) for t, _ in LUNAR_ERRORS]
    for parse, text in cases:
        with pytest.raises(DateInputError) as err:
            parse(text)
        for lang in ("zh", "en"):
            assert "{" not in texts[err.value.key][lang].format(**err.value.params)
        seen.add(err.value.key)
    for call in (
        lambda: cal.validate(AnnualDate(5, 3, leap=True)),
        lambda: cal.festivals(2100),
    ):
        with pytest.raises(DateInputError) as err:
            call()
        for lang in ("zh", "en"):
            texts[err.value.key][lang].format(**err.value.params)
        seen.add(err.value.key)
    assert seen == texts.keys()


def test_placeholders_are_plain_names() -> None:
    for key, entry in _catalogue().items():
        for text in entry.values():
            for _, field, _, _ in string.Formatter().parse(text):
                assert field is None or field.isidentifier(), (key, field)


# ----------------------------------------------------------------- display


def test_names() -> None:
    assert [cal.lunar_month_name(m) for m in (1, 10, 11, 12)] == ["正月", "十月", "冬月", "腊月"]
    assert cal.lunar_month_name(4, leap=True) == "闰四月"
    days = [cal.lunar_day_name(d) for d in range(1, 31)]
    assert days[:2] == ["初一", "初二"] and days[9:11] == ["初十", "十一"]
    assert days[19:21] == ["二十", "廿一"] and days[28:] == ["廿九", "三十"]
    # Names and the parser must agree, or describe() output could not be typed back in.
    for m in range(1, 13):
        for d in range(1, 31):
            text = cal.lunar_month_name(m) + cal.lunar_day_name(d)
            assert cal.parse_lunar_date(text) == _lunar(m, d)


def test_describe() -> None:
    assert cal.describe(_lunar(8, 15), "zh") == "农历八月十五"
    assert cal.describe(_lunar(4, 5, leap=True), "zh") == "农历闰四月初五"
    assert cal.describe(AnnualDate(5, 3, year=1988), "zh") == "5月3日"
    assert cal.describe(_lunar(8, 15), "en") == "lunar 8/15"
    assert cal.describe(_lunar(4, 5, leap=True), "en") == "lunar leap 4/5"
    assert cal.describe(AnnualDate(5, 3), "en") == "May 3"


# -------------------------------------------------------------- module purity


def test_import_pulls_in_no_ui_or_database() -> None:
    code = (
        "import sys, kequ.domain.calendar.lunar\n"
        "bad = [m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'kequ.i18n') "
        "if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert result.stdout.strip() == ""
