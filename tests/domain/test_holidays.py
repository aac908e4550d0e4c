"""kequ.domain.calendar.holidays: the packaged years as published, user files checked, coverage said plainly."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from kequ.domain.calendar.holidays import (
    PUBLIC_HOLIDAY_KEYS,
    HolidayFileError,
    coverage,
    holiday_calendar,
    holiday_for,
    load_holiday_file,
    load_user_folder,
    packaged_years,
)
from kequ.domain.calendar.lunar import festivals

GOOD_2027 = """
year = 2027
source = "测试用的安排"

[[holiday]]
festival = "new_year"
first = 2027-01-01
last = 2027-01-03
workdays = []

[[holiday]]
festival = ["spring_festival", "new_years_eve"]
first = "2027-02-05"
last = "2027-02-11"
workdays = ["2027-02-13"]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _days(first: str, last: str) -> set[date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


def test_the_packaged_years_are_the_published_ones() -> None:
    assert packaged_years() == [2025, 2026]


def test_2026_matches_the_state_council_notice() -> None:
    year = holiday_calendar(2026)
    assert year is not None and year.path is None
    off = set(year.days_off)
    expected = (
        _days("2026-01-01", "2026-01-03")
        | _days("2026-02-15", "2026-02-23")
        | _days("2026-04-04", "2026-04-06")
        | _days("2026-05-01", "2026-05-05")
        | _days("2026-06-19", "2026-06-21")
        | _days("2026-09-25", "2026-09-27")
        | _days("2026-10-01", "2026-10-07")
    )
    assert off == expected
    assert year.workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert year.days_off[date(2026, 2, 17)] == "spring_festival"
    assert year.days_off[date(2026, 10, 3)] == "national_day"
    assert year.is_day_off(date(2026, 2, 20)) and not year.is_day_off(date(2026, 2, 14))
    assert not year.is_day_off(date(2026, 3, 4)) and year.is_day_off(date(2026, 3, 7))


def test_2025_matches_the_state_council_notice() -> None:
    year = holiday_calendar(2025)
    assert year is not None
    assert [(p.first, p.last, p.days) for p in year.periods] == [
        (date(2025, 1, 1), date(2025, 1, 1), 1),
        (date(2025, 1, 28), date(2025, 2, 4), 8),
        (date(2025, 4, 4), date(2025, 4, 6), 3),
        (date(2025, 5, 1), date(2025, 5, 5), 5),
        (date(2025, 5, 31), date(2025, 6, 2), 3),
        (date(2025, 10, 1), date(2025, 10, 8), 8),
    ]
    assert sorted(year.workdays) == [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_public_holiday_festival_of_a_packaged_year_lies_in_its_break(year: int) -> None:
    cal = holiday_calendar(year)
    for festival in festivals(year):
        info = holiday_for(festival.key, festival.date, cal)
        if festival.key in PUBLIC_HOLIDAY_KEYS:
            assert info.status == "off" and festival.date in info.period, festival
    # 中秋 2025 falls inside the National Day week: found by its day, not its name.
    autumn = next(f for f in festivals(2025) if f.key == "mid_autumn")
    assert holiday_for("mid_autumn", autumn.date, holiday_calendar(2025)).period.first == date(2025, 10, 1)


def test_a_year_without_data_says_not_yet_published() -> None:
    assert holiday_calendar(2027) is None
    found = coverage(2027)
    assert not found.known
    assert found.message("zh") == "2027 年放假安排尚未公布"
    assert found.message("en") == "The 2027 public holidays are not yet published"
    assert "cn_2027.toml" in found.message("zh", folder=Path("/data/holidays"))
    info = holiday_for("spring_festival", date(2027, 2, 6), None)
    assert info.status == "unpublished" and info.short("zh") == "放假安排未公布"
    # A festival that is never a day off claims nothing about a year it does not know.
    assert holiday_for("laba", date(2027, 1, 15), None).short("en") == "Not a public holiday"
    assert coverage(2026).known and "2026" in coverage(2026).message("zh")


def test_notes_in_both_languages() -> None:
    cal = holiday_calendar(2026)
    info = holiday_for("spring_festival", date(2026, 2, 17), cal)
    assert info.short("zh") == "放假 2/15–2/23 共9天 · 调休上班 2/14、2/28"
    assert info.short("en") == "9-day break Feb 15–23 · make-up work Feb 14, Feb 28"
    assert (
        info.long("zh") == "放假2月15日（周日）至2月23日（周一），共 9 天；2月14日（周六）、2月28日（周六）调休上班。"
    )
    assert info.long("en") == (
        "Off from Sun Feb 15 to Mon Feb 23, 9 days; make-up working days: Sat Feb 14 and Sat Feb 28."
    )
    one = holiday_for("new_year", date(2025, 1, 1), holiday_calendar(2025))
    assert one.long("zh") == "放假1月1日（周三），共 1 天，不调休。"


def test_a_user_file_adds_a_newer_year_and_wins_over_the_packaged_one(tmp_path: Path) -> None:
    folder = tmp_path / "holidays"
    _write(folder, "cn_2027.toml", GOOD_2027)
    year = holiday_calendar(2027, folder)
    assert year is not None and year.path == folder / "cn_2027.toml"
    assert year.days_off[date(2027, 2, 6)] == "spring_festival"
    assert year.workdays == {date(2027, 2, 13)}
    assert coverage(2027, folder).message("zh") == "2027 年放假安排：来自你的文件 cn_2027.toml"
    # A correction for a packaged year replaces it.
    _write(folder, "fix.toml", GOOD_2027.replace("2027", "2026").replace("02-13", "02-14"))
    assert holiday_calendar(2026, folder).source == "测试用的安排"
    assert holiday_calendar(2026).source.startswith("国务院办公厅")


BAD_FILES = [
    ("year = 2027\n[[holiday]\n", "settings_file.not_toml", "不是有效的 TOML"),
    ("[[holiday]]\nfestival = 'new_year'\nfirst = 2027-01-01\nlast = 2027-01-01\n", "holidays.error.bad_year", "year"),
    ("year = true\n", "holidays.error.bad_year", "year"),
    ("year = 2027\n", "holidays.error.no_holidays", "没有任何"),
    (
        "year = 2027\n[[holiday]]\nfestival = 'xmas'\nfirst = 2027-01-01\nlast = 2027-01-01\n",
        "holidays.error.bad_festival",
        "xmas",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfrist = 2027-01-01\nlast = 2027-01-01\n",
        "holidays.error.unknown_field",
        "frist",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2027-13-01\nlast = 2027-01-01\n",
        "settings_file.not_toml",
        "TOML",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = '1 月 1 日'\nlast = 2027-01-01\n",
        "holidays.error.bad_date",
        "1 月 1 日",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2027-01-03\nlast = 2027-01-01\n",
        "holidays.error.backwards",
        "早于",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2026-01-01\nlast = 2026-01-03\n",
        "holidays.error.wrong_year",
        "2027",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2027-01-01\nlast = 2027-01-01\n"
        "workdays = [2027-01-04]\n",
        "holidays.error.workday_not_weekend",
        "2027-01-04",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2027-01-01\nlast = 2027-01-03\n"
        "workdays = [2027-01-02]\n",
        "holidays.error.workday_in_break",
        "放假期间",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'new_year'\nfirst = 2027-01-01\nlast = 2027-01-03\n"
        "[[holiday]]\nfestival = 'qingming'\nfirst = 2027-01-03\nlast = 2027-01-04\n",
        "holidays.error.overlap",
        "重叠",
    ),
    (
        "year = 2027\n[[holiday]]\nfestival = 'national_day'\nfirst = 2027-10-01\nlast = 2027-10-31\n",
        "holidays.error.too_long",
        "31",
    ),
]


@pytest.mark.parametrize(("text", "key", "shown"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_message(tmp_path: Path, text: str, key: str, shown: str) -> None:
    path = _write(tmp_path, "cn_2027.toml", text)
    with pytest.raises(HolidayFileError) as refused:
        load_holiday_file(path)
    assert refused.value.key == key
    message = refused.value.message("zh")
    assert str(path) in message and shown in message
    assert message.startswith(f"节假日文件 {path} 没有使用")
    english = refused.value.message("en")
    assert english.startswith(f"The holiday file {path} was not used: ") and "{" not in english


def test_a_bad_override_is_refused_and_the_packaged_year_still_answers(tmp_path: Path) -> None:
    folder = tmp_path / "holidays"
    _write(folder, "cn_2026.toml", "year = 2026\n[[holiday]]\nfestival = 'new_year'\n")
    _write(folder, "notes.toml", b"\xff\xfe".decode("latin-1"))
    years, problems = load_user_folder(folder)
    assert years == {}
    assert [p.key for p in problems] == ["holidays.error.missing_date", "settings_file.not_toml"]
    assert "first" in problems[0].message("zh")
    assert holiday_calendar(2026, folder) == holiday_calendar(2026)


def test_files_that_are_not_utf8_or_too_big_or_missing_are_refused(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('year = 2027\nsource = "国务院"\n'.encode("gbk"))
    with pytest.raises(HolidayFileError) as refused:
        load_holiday_file(gbk)
    assert refused.value.key == "settings_file.not_utf8" and "UTF-8" in refused.value.message("zh")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 70_000, encoding="utf-8")
    with pytest.raises(HolidayFileError) as refused:
        load_holiday_file(big)
    assert refused.value.key == "settings_file.too_big"
    with pytest.raises(HolidayFileError) as refused:
        load_holiday_file(tmp_path / "missing.toml")
    assert refused.value.key == "settings_file.unreadable"


def test_two_files_for_one_year_use_the_first_and_name_both(tmp_path: Path) -> None:
    folder = tmp_path / "holidays"
    _write(folder, "a.toml", GOOD_2027)
    _write(folder, "b.toml", GOOD_2027)
    years, problems = load_user_folder(folder)
    assert years[2027].path == folder / "a.toml"
    assert [p.key for p in problems] == ["holidays.error.duplicate_year"]
    assert "a.toml" in problems[0].message("zh") and "b.toml" in problems[0].message("zh")


def test_a_folder_that_does_not_exist_is_no_problem(tmp_path: Path) -> None:
    assert load_user_folder(tmp_path / "nowhere") == ({}, [])
    assert load_user_folder(None) == ({}, [])


def test_the_module_imports_no_ui_and_no_database() -> None:
    code = (
        "import sys, kequ.domain.calendar.holidays; "
        "bad = [m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
