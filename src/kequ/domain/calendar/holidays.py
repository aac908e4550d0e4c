"""Mainland China's official public holidays and make-up working days (调休), year by year.

Pure domain code apart from reading the holiday files: no database, no terminal.

The State Council General Office publishes each year's arrangement in the autumn before,
and it cannot be computed (which weekends are worked is decided case by case). So each
year is a small TOML file: the packaged ones in ``kequ/holiday_data`` for the years that
were published when this release was made, plus any file the user drops into a folder of
their own once a newer year is out. A user file wins over the packaged one for its year,
so a correction needs no new release either.

File format (``cn_2027.toml``; dates are TOML dates or "YYYY-MM-DD" strings)::

    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"   # optional

    [[holiday]]
    festival = "spring_festival"        # or a list: ["national_day", "mid_autumn"]
    first = 2027-02-05                  # first day off, weekends inside the break included
    last = 2027-02-11                   # last day off
    workdays = [2027-02-13]             # weekend days worked to make up (调休上班); may be []

A file that does not follow this, or is no ordinary file (see :mod:`kequ.settings_file`),
is refused as a whole with a :class:`HolidayFileError` saying what to fix, because a
half-read schedule would tell the user a wrong day off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from kequ.domain.calendar.lunar import FESTIVAL_KEYS, MAX_YEAR, MIN_YEAR
from kequ.domain.calendar.workdays import WorkCalendar
from kequ.domain.values import month_name, weekday_name
from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.settings_file import SettingsFileError, parse_settings, read_settings_text

__all__ = [
    "PUBLIC_HOLIDAY_KEYS",
    "Coverage",
    "HolidayFileError",
    "HolidayInfo",
    "HolidayPeriod",
    "HolidayYear",
    "calendar_of",
    "coverage",
    "holiday_calendar",
    "holiday_for",
    "load_holiday_file",
    "load_user_folder",
    "packaged_years",
    "parse_holidays",
    "work_calendar",
]

DATA_DIR = Path(__file__).parents[2] / "holiday_data"

PUBLIC_HOLIDAY_KEYS: frozenset[str] = frozenset(
    {
        "new_year",
        "new_years_eve",
        "spring_festival",
        "qingming",
        "labour_day",
        "dragon_boat",
        "mid_autumn",
        "national_day",
    }
)
"""Festivals that can bring days off; the others (腊八, 七夕, 圣诞 ...) are working days."""

# Far more than any real file; a bigger one is not a holiday file and is not parsed.
MAX_FILE_BYTES = 64 * 1024
# The longest break so far is nine days; two weeks leaves room and still catches a typo'd year.
MAX_BREAK_DAYS = 15
# Make-up days sit next to their break (at most 11 days away so far).
MAX_WORKDAY_DISTANCE = 21
_SATURDAY, _SUNDAY = 5, 6
_ENTRY_FIELDS = frozenset({"festival", "first", "last", "workdays"})
_TOP_FIELDS = frozenset({"year", "source", "holiday"})


class HolidayFileError(KequError):
    """A holiday file refused; ``key`` names the problem under ``holidays.error.``."""

    def __init__(self, key: str, path: Path, **params: object) -> None:
        super().__init__(key, **params)
        self.path = path

    @classmethod
    def refusing(cls, problem: SettingsFileError, path: Path) -> HolidayFileError:
        """The holiday-file wording for a file the settings reader would not take."""
        return cls(problem.key, path, **problem.params)

    def message(self, lang: str | None = None) -> str:
        problem = t(self.key, lang, **self.params)
        return t("holidays.refused", lang, file=str(self.path), problem=problem)


@dataclass(frozen=True, slots=True)
class HolidayPeriod:
    """One break: its festivals, its first and last day off, and its make-up working days."""

    festivals: tuple[str, ...]
    first: date
    last: date
    workdays: tuple[date, ...] = ()

    @property
    def key(self) -> str:
        return self.festivals[0]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def off_days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class HolidayYear:
    """A published year. ``path`` is the user's file it came from, None when packaged."""

    year: int
    periods: tuple[HolidayPeriod, ...]
    source: str = ""
    path: Path | None = None

    @property
    def days_off(self) -> dict[date, str]:
        """Every official day off, with the (first) festival of its break."""
        return {day: period.key for period in self.periods for day in period.off_days()}

    @property
    def workdays(self) -> frozenset[date]:
        """The make-up working days (调休上班), which fall on weekends."""
        return frozenset(day for period in self.periods for day in period.workdays)

    def period_for(self, festival_key: str, on: date | None = None) -> HolidayPeriod | None:
        """The break holding the festival's day; else the break named after the festival.

        By the day first: 除夕 and a 中秋 inside the National Day week are off because
        their day lies in a longer break, whatever the file names that break after.
        """
        if on is not None:
            for period in self.periods:
                if on in period:
                    return period
        if festival_key not in PUBLIC_HOLIDAY_KEYS:
            return None
        for period in self.periods:
            if festival_key in period.festivals and (on is None or period.first.year == on.year):
                return period
        return None

    def is_day_off(self, day: date) -> bool:
        """Whether ``day`` is off work: a holiday, or a weekend not worked to make up."""
        if day in self.workdays:
            return False
        return day.weekday() >= _SATURDAY or any(day in period for period in self.periods)


# ---------------------------------------------------------------------------- reading


def _as_date(value: object) -> date | None:
    # datetime is a date too, but a time of day in a holiday file is a mistake.
    if type(value) is date:
        return value
    if isinstance(value, str):
        try:
            parsed = datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            return None
        return parsed
    return None


def _festivals(entry: Mapping[str, object], path: Path, n: int) -> tuple[str, ...]:
    raw = entry.get("festival")
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not names:
        raise HolidayFileError("holidays.error.no_festival", path, n=n)
    out: list[str] = []
    for name in names:
        if not isinstance(name, str) or name.strip() not in FESTIVAL_KEYS:
            raise HolidayFileError(
                "holidays.error.bad_festival", path, n=n, value=str(name), options=", ".join(sorted(FESTIVAL_KEYS))
            )
        if name.strip() not in out:
            out.append(name.strip())
    return tuple(out)


def _day(entry: Mapping[str, object], name: str, path: Path, n: int) -> date:
    if name not in entry:
        raise HolidayFileError("holidays.error.missing_date", path, n=n, field=name)
    day = _as_date(entry[name])
    if day is None:
        raise HolidayFileError("holidays.error.bad_date", path, n=n, field=name, value=str(entry[name]))
    return day


def _period(entry: object, year: int, path: Path, n: int) -> HolidayPeriod:
    if not isinstance(entry, dict):
        raise HolidayFileError("holidays.error.bad_entry", path, n=n)
    if unknown := sorted(set(entry) - _ENTRY_FIELDS):
        raise HolidayFileError(
            "holidays.error.unknown_field", path, where=t("holidays.error.entry", n=n), field=", ".join(unknown)
        )
    festivals = _festivals(entry, path, n)
    first, last = _day(entry, "first", path, n), _day(entry, "last", path, n)
    if last < first:
        raise HolidayFileError("holidays.error.backwards", path, n=n, first=first, last=last)
    if (last - first).days + 1 > MAX_BREAK_DAYS:
        raise HolidayFileError("holidays.error.too_long", path, n=n, days=(last - first).days + 1, most=MAX_BREAK_DAYS)
    # A New Year break may begin on 30 December of the year before, so one end is enough.
    if year not in (first.year, last.year):
        raise HolidayFileError("holidays.error.wrong_year", path, n=n, first=first, last=last, year=year)
    raw = entry.get("workdays", [])
    if not isinstance(raw, list):
        raise HolidayFileError("holidays.error.bad_date", path, n=n, field="workdays", value=str(raw))
    workdays: list[date] = []
    for value in raw:
        day = _as_date(value)
        if day is None:
            raise HolidayFileError("holidays.error.bad_date", path, n=n, field="workdays", value=str(value))
        # Make-up days are weekends by definition: a weekday here is a typo.
        if day.weekday() not in (_SATURDAY, _SUNDAY):
            raise HolidayFileError("holidays.error.workday_not_weekend", path, n=n, day=day)
        if first <= day <= last:
            raise HolidayFileError("holidays.error.workday_in_break", path, n=n, day=day)
        distance = (first - day).days if day < first else (day - last).days
        if distance > MAX_WORKDAY_DISTANCE:
            raise HolidayFileError("holidays.error.workday_far", path, n=n, day=day, most=MAX_WORKDAY_DISTANCE)
        workdays.append(day)
    return HolidayPeriod(festivals, first, last, tuple(sorted(set(workdays))))


def parse_holidays(text: str, path: Path) -> HolidayYear:
    """A holiday file's text as a year, or :class:`HolidayFileError` naming the problem."""
    try:
        data = parse_settings(text)
    except SettingsFileError as problem:
        raise HolidayFileError.refusing(problem, path) from problem
    if unknown := sorted(set(data) - _TOP_FIELDS):
        raise HolidayFileError(
            "holidays.error.unknown_field", path, where=t("holidays.error.top"), field=", ".join(unknown)
        )
    year = data.get("year")
    # bool is an int in Python; `year = true` is not a year.
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        raise HolidayFileError("holidays.error.bad_year", path, value=str(year), lo=MIN_YEAR, hi=MAX_YEAR)
    source = data.get("source", "")
    if not isinstance(source, str):
        source = str(source)
    entries = data.get("holiday")
    if not isinstance(entries, list) or not entries:
        raise HolidayFileError("holidays.error.no_holidays", path)
    periods = sorted((_period(entry, year, path, n) for n, entry in enumerate(entries, 1)), key=lambda p: p.first)
    for before, after in pairwise(periods):
        if after.first <= before.last:
            raise HolidayFileError("holidays.error.overlap", path, first=before.first, second=after.first)
    # A make-up day of one break must not be a day off of another.
    for period in periods:
        for day in period.workdays:
            if any(day in other for other in periods):
                raise HolidayFileError("holidays.error.workday_in_other_break", path, day=day)
    return HolidayYear(year, tuple(periods), source.strip(), path)


def load_holiday_file(path: Path) -> HolidayYear:
    """Read and check one holiday file; refuse it with :class:`HolidayFileError` if it is bad."""
    try:
        text = read_settings_text(path, MAX_FILE_BYTES)
    except SettingsFileError as problem:
        raise HolidayFileError.refusing(problem, path) from problem
    return parse_holidays(text, path)


@cache
def _packaged() -> Mapping[int, HolidayYear]:
    years: dict[int, HolidayYear] = {}
    for entry in sorted(DATA_DIR.glob("cn_*.toml")):
        # A packaged file is trusted: it is checked by the tests, and a bad one is a bug
        # in the release that should surface at once rather than be skipped.
        parsed = load_holiday_file(entry)
        years[parsed.year] = HolidayYear(parsed.year, parsed.periods, parsed.source, None)
    return years


def packaged_years() -> list[int]:
    """The years shipped with this release."""
    return sorted(_packaged())


def load_user_folder(folder: Path | None) -> tuple[dict[int, HolidayYear], list[HolidayFileError]]:
    """Every ``*.toml`` in the user's holiday folder: the good years, and why the others were refused.

    The year comes from the file, not its name; a second file for a year already read
    is refused, so the user learns which of the two is used.
    """
    years: dict[int, HolidayYear] = {}
    problems: list[HolidayFileError] = []
    if folder is None or not folder.is_dir():
        return years, problems
    try:
        # Not only regular files: a pipe or a folder named cn_2027.toml is refused by name.
        entries = sorted(folder.glob("*.toml"))
    except OSError:
        return years, problems
    for entry in entries:
        try:
            parsed = load_holiday_file(entry)
        except HolidayFileError as problem:
            problems.append(problem)
            continue
        if parsed.year in years:
            first = years[parsed.year].path
            problems.append(
                HolidayFileError("holidays.error.duplicate_year", entry, year=parsed.year, other=str(first))
            )
            continue
        years[parsed.year] = parsed
    return years, problems


def holiday_calendar(year: int, user_dir: Path | None = None) -> HolidayYear | None:
    """The year's holidays: the user's file if a good one exists, else the packaged one, else None.

    A refused user file is passed over here (the packaged year, if any, still answers);
    :func:`load_user_folder` says why it was refused.
    """
    own, _problems = load_user_folder(user_dir)
    return own.get(year) or _packaged().get(year)


def work_calendar(user_dir: Path | None = None) -> WorkCalendar:
    """Every known year's days off and make-up days: the packaged years, the user's good files over them.

    A break may begin in the year before its file's (元旦 from 30 December), so all the
    years are taken together rather than the one of a day.
    """
    own, _problems = load_user_folder(user_dir)
    return calendar_of({**_packaged(), **own}.values())


def calendar_of(years: Iterable[HolidayYear]) -> WorkCalendar:
    """The days off and the make-up working days of these years, as one calendar."""
    off: set[date] = set()
    worked: set[date] = set()
    for year in years:
        for period in year.periods:
            off.update(period.off_days())
            worked.update(period.workdays)
    return WorkCalendar(frozenset(off), frozenset(worked))


# --------------------------------------------------------------------------- coverage


class Coverage(NamedTuple):
    """Whether a year's arrangement is known, and from where."""

    year: int
    known: bool
    source: str = ""
    path: Path | None = None

    def message(self, lang: str | None = None, folder: Path | None = None) -> str:
        if not self.known:
            text = t("holidays.coverage.unpublished", lang, year=self.year)
            if folder is not None:
                text += t("holidays.coverage.drop_hint", lang, year=self.year, folder=str(folder))
            return text
        if self.path is not None:
            return t("holidays.coverage.user", lang, year=self.year, file=self.path.name)
        return t("holidays.coverage.packaged", lang, year=self.year, source=self.source or str(self.year))


def coverage(year: int, user_dir: Path | None = None) -> Coverage:
    """Whether the public holidays of ``year`` are known ("not yet published" when not)."""
    found = holiday_calendar(year, user_dir)
    if found is None:
        return Coverage(year, False)
    return Coverage(year, True, found.source, found.path)


# ------------------------------------------------------------------ a festival's days off


class HolidayInfo(NamedTuple):
    """What a festival's day means for work: its break, no break, or not known yet."""

    status: str  # "off" | "none" (not a public holiday) | "unpublished"
    period: HolidayPeriod | None = None

    def short(self, lang: str | None = None) -> str:
        """For a table cell: 放假 2/15–2/23 共9天 · 调休 2/14、2/28."""
        lang = lang or language()
        if self.period is None:
            return t(f"holidays.note.{self.status}", lang)
        period = self.period
        text = t("holidays.note.off_short", lang, span=_span(period.first, period.last, lang), days=period.days)
        if period.workdays:
            days = t("punct.list_sep", lang).join(_day_short(d, lang) for d in period.workdays)
            text += t("holidays.note.workdays_short", lang, days=days)
        return text

    def long(self, lang: str | None = None) -> str:
        """A sentence with weekdays, for the detail line."""
        lang = lang or language()
        if self.period is None:
            return t(f"holidays.note.{self.status}_long", lang)
        period = self.period
        first, last = _day_long(period.first, lang), _day_long(period.last, lang)
        if period.days == 1:
            text = t("holidays.note.off_long_one", lang, first=first)
        else:
            text = t("holidays.note.off_long", lang, first=first, last=last, days=period.days)
        if not period.workdays:
            return text + t("holidays.note.no_workdays", lang)
        days = t("holidays.note.list_and", lang).join(_day_long(d, lang) for d in period.workdays)
        return text + t("holidays.note.workdays_long", lang, days=days)


def holiday_for(festival_key: str, day: date, year: HolidayYear | None) -> HolidayInfo:
    """The break a festival falls in, given its year's arrangement (None: not published)."""
    if year is not None:
        period = year.period_for(festival_key, day)
        return HolidayInfo("off", period) if period is not None else HolidayInfo("none")
    if festival_key in PUBLIC_HOLIDAY_KEYS:
        return HolidayInfo("unpublished")
    # Without the year's file a 重阳 could still sit inside a long break: claim nothing more.
    return HolidayInfo("none")


def _day_short(day: date, lang: str) -> str:
    return f"{month_name(day.month, 'en')} {day.day}" if lang == "en" else f"{day.month}/{day.day}"


def _span(first: date, last: date, lang: str) -> str:
    if first == last:
        return _day_short(first, lang)
    if lang == "en" and first.month == last.month:
        return f"{_day_short(first, lang)}–{last.day}"
    return f"{_day_short(first, lang)}–{_day_short(last, lang)}"


def _day_long(day: date, lang: str) -> str:
    return t(
        "holidays.day_long",
        lang,
        month=day.month,
        day=day.day,
        weekday=weekday_name(day, lang),
        mon=month_name(day.month, "en"),
    )
