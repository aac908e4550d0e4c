"""Chinese and Gregorian yearly dates: parsing, validation, recurrence, festivals.

Pure domain code: no I/O, no UI, no database. Errors carry an i18n key under
``date.`` (texts live in ``kequ/locale/calendar.toml``) so the UI decides the wording.

The lunar calendar comes from lunar-python, which computes it astronomically. Building
one lunar year there costs a few milliseconds, so each lunar year is reduced once to a
small table of Gregorian ordinals; every hot path (``occurrences`` for a whole customer
base) is then plain integer arithmetic.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from lunar_python import Lunar, LunarYear, Solar

__all__ = [
    "FESTIVAL_KEYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "AnnualDate",
    "DateInputError",
    "Festival",
    "describe",
    "festivals",
    "festivals_between",
    "lunar_day_name",
    "lunar_month_name",
    "lunar_to_solar",
    "next_occurrence",
    "occurrences",
    "parse_day",
    "parse_lunar_date",
    "parse_solar_date",
    "says_lunar",
    "validate",
    "within_calendar",
]

MIN_YEAR = 1901
MAX_YEAR = 2099
# The first and last day the lunar tables (and so the festivals) cover.
FIRST_DAY = datetime.date(MIN_YEAR, 1, 1)
LAST_DAY = datetime.date(MAX_YEAR, 12, 31)
# Lunar year 1900 ends in February 1901, so January 1901 needs its months too.
_FIRST_TABLE_YEAR = MIN_YEAR - 1

# Within 1901-2099 only these months are ever doubled (checked against lunar-python
# by the tests); a 闰正月 or 闰腊月 is therefore a typo, not a rare birthday.
_POSSIBLE_LEAP_MONTHS = frozenset(range(2, 12))


class DateInputError(ValueError):
    """Refused user input. ``key`` is an i18n key under ``date.``; ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(f"{key} {params}" if params else key)
        self.key = key
        self.params: dict[str, object] = params


@dataclass(frozen=True, slots=True)
class AnnualDate:
    """A birthday or other yearly date exactly as the user entered it."""

    month: int
    day: int
    lunar: bool = False
    leap: bool = False
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Festival:
    key: str
    date: datetime.date
    calendar: str  # "solar" | "lunar" | "term"


FESTIVAL_KEYS: tuple[str, ...] = (
    "new_year",
    "new_years_eve",
    "spring_festival",
    "lantern",
    "womens_day",
    "qingming",
    "labour_day",
    "dragon_boat",
    "childrens_day",
    "qixi",
    "teachers_day",
    "mid_autumn",
    "national_day",
    "double_ninth",
    "laba",
    "christmas",
)

# --------------------------------------------------------------------------- names

_MONTH_NAMES = ("正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月")
_DIGITS = "一二三四五六七八九"
_DAY_NAMES = tuple(
    [f"初{c}" for c in _DIGITS]
    + ["初十"]
    + [f"十{c}" for c in _DIGITS]
    + ["二十"]
    + [f"廿{c}" for c in _DIGITS]
    + ["三十"]
)
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def lunar_month_name(month: int, leap: bool = False) -> str:
    if not 1 <= month <= 12:
        raise DateInputError("date.month_out_of_range", month=month)
    return ("闰" if leap else "") + _MONTH_NAMES[month - 1]


def lunar_day_name(day: int) -> str:
    if not 1 <= day <= 30:
        raise DateInputError("date.day_out_of_range", day=day, max_day=30)
    return _DAY_NAMES[day - 1]


def _month_name_en(month: int, leap: bool) -> str:
    # English error texts cannot show 闰四月, so they get "leap month 4" instead.
    return f"leap month {month}" if leap else f"month {month}"


def describe(d: AnnualDate, lang: str) -> str:
    """Short display form: 农历八月十五 / 5月3日, or lunar 8/15 / May 3."""
    if lang == "en":
        if d.lunar:
            return f"lunar {'leap ' if d.leap else ''}{d.month}/{d.day}"
        return f"{_EN_MONTHS[d.month - 1]} {d.day}"
    if d.lunar:
        return f"农历{lunar_month_name(d.month, d.leap)}{lunar_day_name(d.day)}"
    return f"{d.month}月{d.day}日"


# --------------------------------------------------------------------- lunar tables


class _LunarYearTable:
    """One lunar year reduced to Gregorian ordinals (``date.toordinal()``)."""

    __slots__ = ("count", "first", "last", "leap_count", "leap_first", "leap_month", "qingming")

    def __init__(self, lunar_year: int) -> None:
        ly = LunarYear.fromYear(lunar_year)
        first = [0] * 13
        count = [0] * 13
        self.leap_month = 0
        self.leap_first = 0
        self.leap_count = 0
        last = 0
        for m in ly.getMonthsInYear():
            start = _jd_to_ordinal(m.getFirstJulianDay())
            n = m.getDayCount()
            month = m.getMonth()
            if month < 0:
                self.leap_month, self.leap_first, self.leap_count = -month, start, n
            else:
                first[month], count[month] = start, n
            last = max(last, start + n - 1)
        self.first = tuple(first)
        self.count = tuple(count)
        # The eve is the last day of the year, which is not 腊月 if 腊月 itself is doubled.
        self.last = last
        # LunarYear(Y) lists solar terms from 大雪 of Y-1, so its 清明 is Gregorian Y's.
        self.qingming = _jd_to_ordinal(ly.getJieQiJulianDays()[Lunar.JIE_QI_IN_USE.index("清明")])


def _jd_to_ordinal(jd: float) -> int:
    s = Solar.fromJulianDay(jd)
    return datetime.date(s.getYear(), s.getMonth(), s.getDay()).toordinal()


_TABLES: dict[int, _LunarYearTable] = {}


def _table(lunar_year: int) -> _LunarYearTable:
    tab = _TABLES.get(lunar_year)
    if tab is None:
        if not _FIRST_TABLE_YEAR <= lunar_year <= MAX_YEAR:
            raise _out_of_range(lunar_year)
        # A race here only builds the same table twice; both results are equal.
        tab = _TABLES[lunar_year] = _LunarYearTable(lunar_year)
    return tab


def _out_of_range(year: int) -> DateInputError:
    return DateInputError("date.out_of_range", year=year, min_year=MIN_YEAR, max_year=MAX_YEAR)


def _lunar_ordinal(tab: _LunarYearTable, month: int, day: int, leap: bool) -> int:
    # The app's recurrence rules: a leap-month date falls in the regular month when the
    # year has no such leap month, and a 30th falls on the last day of a 29-day month.
    if leap and tab.leap_month == month:
        first, n = tab.leap_first, tab.leap_count
    else:
        first, n = tab.first[month], tab.count[month]
    return first + min(day, n) - 1


def lunar_to_solar(lunar_year: int, month: int, day: int, leap: bool = False) -> datetime.date:
    """Gregorian date of a lunar date in ``lunar_year``, using the recurrence rules."""
    if not MIN_YEAR <= lunar_year <= MAX_YEAR:
        raise _out_of_range(lunar_year)
    if not 1 <= month <= 12:
        raise DateInputError("date.month_out_of_range", month=month)
    if not 1 <= day <= 30:
        raise DateInputError("date.day_out_of_range", day=day, max_day=30)
    return datetime.date.fromordinal(_lunar_ordinal(_table(lunar_year), month, day, leap))


# ------------------------------------------------------------------------ recurrence

# Checked for 1901-2099 by the tests: 正月初一 is never before 21 January and 除夕
# is never after 19 February, so a lunar year reaches at most into February of the
# next Gregorian year and never starts before late January.
_LATEST_EVE_MONTH = 2
_EARLIEST_NEW_YEAR_DAY = 21  # in January


def occurrences(d: AnnualDate, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every yearly occurrence of ``d`` with ``start <= date <= end``, sorted.

    ``d`` should have passed :func:`validate`; out-of-month days are clamped to the
    month's last day rather than raising, so one odd stored row cannot break an agenda.
    """
    out: list[datetime.date] = []
    if end < start:
        return out
    month, day, birth = d.month, d.day, d.year
    if not d.lunar:
        lo = start.year if birth is None or birth < start.year else birth
        for y in range(lo, end.year + 1):
            if day > 28:
                # Feb 29 birthdays fall on Feb 28 in common years.
                last = calendar.monthrange(y, month)[1]
                x = datetime.date(y, month, min(day, last))
            else:
                x = datetime.date(y, month, day)
            if start <= x <= end:
                out.append(x)
        return out

    if start.year < MIN_YEAR:
        raise _out_of_range(start.year)
    if end.year > MAX_YEAR:
        raise _out_of_range(end.year)
    # A lunar year Y date lies between late January of Y and February of Y+1, so at
    # most three lunar years can touch the window and usually only one or two do.
    lo = start.year - 1 if start.month <= _LATEST_EVE_MONTH else start.year
    hi = end.year if end.month > 1 or end.day >= _EARLIEST_NEW_YEAR_DAY else end.year - 1
    if birth is not None and birth > lo:
        lo = birth
    s = start.toordinal()
    e = end.toordinal()
    leap = d.leap
    tables = _TABLES
    for y in range(lo, hi + 1):
        tab = tables.get(y) or _table(y)
        if leap and tab.leap_month == month:
            first, n = tab.leap_first, tab.leap_count
        else:
            first, n = tab.first[month], tab.count[month]
        o = first + min(day, n) - 1
        if s <= o <= e:
            out.append(datetime.date.fromordinal(o))
    return out


def next_occurrence(d: AnnualDate, on_or_after: datetime.date) -> datetime.date:
    """The first occurrence of ``d`` on or after the given day."""
    start = on_or_after
    if d.year is not None and d.year > start.year:
        # Nothing can happen before the birth year; jump there instead of scanning.
        start = datetime.date(d.year, 1, 1)
    # Longer than the worst gap between two occurrences of a lunar date (385 days,
    # across a leap year) and than a whole lunar year seen from 1 January (it can end
    # on 19 February of the next year), so the window always holds the answer.
    window = datetime.timedelta(days=430)
    if d.lunar:
        end = min(start + window, datetime.date(MAX_YEAR, 12, 31))
        found = occurrences(d, start, end)
        if not found:
            # Only possible when the next occurrence lies beyond the supported range.
            raise _out_of_range(MAX_YEAR + 1)
        return found[0]
    found = occurrences(d, start, start + window)
    return found[0]


# ------------------------------------------------------------------------- festivals

_SOLAR_FESTIVALS = (
    ("new_year", 1, 1),
    ("womens_day", 3, 8),
    ("labour_day", 5, 1),
    ("childrens_day", 6, 1),
    ("teachers_day", 9, 10),
    ("national_day", 10, 1),
    ("christmas", 12, 25),
)
_LUNAR_FESTIVALS = (
    ("spring_festival", 1, 1),
    ("lantern", 1, 15),
    ("dragon_boat", 5, 5),
    ("qixi", 7, 7),
    ("mid_autumn", 8, 15),
    ("double_ninth", 9, 9),
    ("laba", 12, 8),
)
_FESTIVAL_ORDER = {key: i for i, key in enumerate(FESTIVAL_KEYS)}


@cache
def _festivals(year: int) -> tuple[Festival, ...]:
    found: list[Festival] = [Festival(key, datetime.date(year, m, dd), "solar") for key, m, dd in _SOLAR_FESTIVALS]
    lo = datetime.date(year, 1, 1).toordinal()
    hi = datetime.date(year, 12, 31).toordinal()
    # Lunar year Y-1 contributes its 腊八 and 除夕 when they spill into January/February.
    for lunar_year in (year - 1, year):
        tab = _table(lunar_year)
        days = [(key, _lunar_ordinal(tab, m, dd, False)) for key, m, dd in _LUNAR_FESTIVALS]
        days.append(("new_years_eve", tab.last))
        for key, o in days:
            if lo <= o <= hi:
                found.append(Festival(key, datetime.date.fromordinal(o), "lunar"))
    found.append(Festival("qingming", datetime.date.fromordinal(_table(year).qingming), "term"))
    found.sort(key=lambda f: (f.date, _FESTIVAL_ORDER[f.key]))
    return tuple(found)


def festivals(year: int) -> list[Festival]:
    """Festivals whose Gregorian date falls in ``year``, sorted by date."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _out_of_range(year)
    return list(_festivals(year))


def within_calendar(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The part of ``start``..``end`` the lunar calendar covers (1901-2099), None if no part.

    For a window that reaches past an end (``kequ today --date 2099-12-26 --days 6``): what
    lies inside is still worked out, what lies outside is left out rather than failing all.
    """
    lo, hi = max(start, FIRST_DAY), min(end, LAST_DAY)
    return (lo, hi) if lo <= hi else None


def festivals_between(start: datetime.date, end: datetime.date) -> list[Festival]:
    """Festivals with ``start <= date <= end``, sorted by date."""
    if end < start:
        return []
    for y in (start.year, end.year):
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise _out_of_range(y)
    return [f for y in range(start.year, end.year + 1) for f in _festivals(y) if start <= f.date <= end]


# ------------------------------------------------------------------------ validation


def validate(d: AnnualDate) -> AnnualDate:
    """Return ``d`` unchanged if it is a real date, else raise :class:`DateInputError`."""
    if d.year is not None and not MIN_YEAR <= d.year <= MAX_YEAR:
        raise DateInputError("date.year_out_of_range", year=d.year, min_year=MIN_YEAR, max_year=MAX_YEAR)
    if not 1 <= d.month <= 12:
        raise DateInputError("date.month_out_of_range", month=d.month)
    if d.lunar:
        _validate_lunar(d)
    else:
        _validate_solar(d)
    return d


def _validate_solar(d: AnnualDate) -> None:
    if d.leap:
        raise DateInputError("date.solar_leap")
    if not 1 <= d.day <= 31:
        raise DateInputError("date.day_out_of_range", day=d.day, max_day=31)
    # Without a year, 2月29日 is a real birthday; it only fails for a known common year.
    days = calendar.monthrange(2000 if d.year is None else d.year, d.month)[1]
    if d.day <= days:
        return
    if d.month == 2 and d.day == 29:
        raise DateInputError("date.solar_not_leap_year", year=d.year)
    raise DateInputError(
        "date.solar_no_such_day", month=d.month, month_name_en=_EN_MONTHS[d.month - 1], day=d.day, days=days
    )


def _validate_lunar(d: AnnualDate) -> None:
    if not 1 <= d.day <= 30:
        raise DateInputError("date.day_out_of_range", day=d.day, max_day=30)
    names = {
        "month": d.month,
        "month_name": lunar_month_name(d.month, d.leap),
        "month_name_en": _month_name_en(d.month, d.leap),
    }
    if d.leap and d.month not in _POSSIBLE_LEAP_MONTHS:
        raise DateInputError("date.lunar_leap_never", min_year=MIN_YEAR, max_year=MAX_YEAR, **names)
    if d.year is None:
        return
    tab = _table(d.year)
    if d.leap and tab.leap_month != d.month:
        if tab.leap_month == 0:
            raise DateInputError("date.lunar_no_leap_in_year", year=d.year, **names)
        raise DateInputError(
            "date.lunar_no_leap_month",
            year=d.year,
            leap_name=lunar_month_name(tab.leap_month, True),
            leap_month=tab.leap_month,
            **names,
        )
    n = tab.leap_count if d.leap else tab.count[d.month]
    if d.day > n:
        raise DateInputError("date.lunar_no_day_30", year=d.year, **names)


# --------------------------------------------------------------------------- parsing

_SEP = r"[-/.]"
_CN_NUM = r"[〇零一二三四五六七八九十廿卅]+"
_SOLAR_NUMERIC = re.compile(rf"(?:(\d{{4}}){_SEP})?(\d{{1,2}}){_SEP}(\d{{1,2}})")
_SOLAR_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Chinese numerals are deliberately not accepted here: 八月十五 means the lunar date
# to nearly everyone, so it is answered with "this looks lunar" instead of Aug 15.
_SOLAR_CN = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?")
_LUNAR_NUMERIC = re.compile(rf"(?:(\d{{4}}){_SEP})?(闰|[Ll])?(\d{{1,2}}){_SEP}(\d{{1,2}})")
_LUNAR_CN = re.compile(
    rf"(?:(\d{{4}})年)?(?:农历|阴历|旧历)?(闰)?(\d{{1,2}}|正|冬|腊|{_CN_NUM})月"
    rf"(\d{{1,2}}|初{_CN_NUM}|{_CN_NUM})[日号]?"
)
_SOLAR_PREFIX = ("公历", "阳历", "新历")
_LUNAR_PREFIX = ("农历", "阴历", "旧历")
# Characters that only make sense in a lunar date; seen in solar input they mean the
# user picked the wrong calendar, which deserves a clearer message than "bad format".
_LUNAR_HINTS = re.compile(r"农历|阴历|旧历|闰|正月|冬月|腊月|[〇零一二三四五六七八九十廿卅]")
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and punctuation from Chinese IMEs into ASCII.
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split())
    # Traditional forms are common enough in Hong Kong and Taiwan contacts to accept.
    for old, new in ("閏闰", "臘腊", "陰阴", "農农", "舊旧", "曆历"):
        s = s.replace(old, new)
    return s


def _cn_number(token: str) -> int | None:
    """Value of a small Chinese or Arabic numeral (up to 39), or None if malformed."""
    if token.isdigit():
        return int(token)
    tens = 0
    rest = token
    if rest[0] in "廿卅":
        tens, rest = (20 if rest[0] == "廿" else 30), rest[1:]
    elif "十" in rest:
        head, _, rest = rest.partition("十")
        if head == "":
            tens = 10
        elif len(head) == 1 and head in _CN_DIGIT and _CN_DIGIT[head] > 0:
            tens = _CN_DIGIT[head] * 10
        else:
            return None
    if rest == "":
        return tens or None
    if len(rest) == 1 and rest in _CN_DIGIT and _CN_DIGIT[rest] > 0:
        return tens + _CN_DIGIT[rest]
    return None


def _strip_prefix(s: str, prefixes: tuple[str, ...]) -> str:
    for p in prefixes:
        if s.startswith(p):
            return s[len(p) :]
    return s


def looks_lunar(text: str) -> bool:
    """Whether the text can only be a lunar date: 农历…, 闰…, 八月十五, 正月初一."""
    return bool(_LUNAR_HINTS.search(_normalise(text)))


def says_lunar(text: str) -> bool:
    """Whether the text opens with 农历, 阴历 or 旧历 (農曆, 陰曆, 舊曆 too): lunar, whatever field it was typed in."""
    return _normalise(text).startswith(_LUNAR_PREFIX)


def parse_solar_date(text: str) -> AnnualDate:
    """Parse a Gregorian yearly date: 1988-05-03, 05/03, 5.3, 19880503, 1988年5月3日."""
    s = _strip_prefix(_normalise(text), _SOLAR_PREFIX)
    if not s:
        raise DateInputError("date.empty")
    m = _SOLAR_NUMERIC.fullmatch(s) or _SOLAR_COMPACT.fullmatch(s) or _SOLAR_CN.fullmatch(s)
    if m is None:
        if _LUNAR_HINTS.search(s):
            raise DateInputError("date.solar_looks_lunar", text=text.strip())
        raise DateInputError("date.solar_bad_format", text=text.strip())
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    return validate(AnnualDate(month, day, year=int(year) if year else None))


def parse_day(text: str, today: datetime.date, *, past: bool = False, ahead: bool = False) -> datetime.date:
    """One day, typed as a birthday is (2026-3-5, 3月5日, 12-25, full-width digits).

    The one rule for a day typed without a year, in the app's boxes and in ``--date``
    alike: this year's day; with ``past`` (a contact logged, a deal closed, the day a line
    was said) the latest such day not after ``today``: ``12-25`` on 23 November is last
    Christmas; with ``ahead`` (a snooze, a trip, a next step) the next one from ``today`` on.
    """
    annual = parse_solar_date(text)
    if annual.year is not None:
        return datetime.date(annual.year, annual.month, annual.day)  # validate() checked it
    year = today.year
    # 2-29 in the past: back to the last leap year (at most eight years away).
    for back in range(9 if past else 1):
        try:
            day = datetime.date(year - back, annual.month, annual.day)
        except ValueError:
            continue
        if ahead and day < today:
            return day.replace(year=day.year + 1)  # 2-29 into a common year: ValueError
        if not past or day <= today:
            return day
        if annual.month != 2 or annual.day != 29:
            return datetime.date(year - back - 1, annual.month, annual.day)
    raise DateInputError("date.solar_not_leap_year", year=year)


def _lunar_month_token(token: str) -> int | None:
    special = {"正": 1, "冬": 11, "腊": 12}
    return special[token] if token in special else _cn_number(token)


def _lunar_day_token(token: str) -> int | None:
    if token.startswith("初"):
        n = _cn_number(token[1:])
        # 初 only prefixes the first ten days: 初十五 is not a date.
        return n if n is not None and n <= 10 else None
    return _cn_number(token)


def parse_lunar_date(text: str) -> AnnualDate:
    """Parse a lunar yearly date: 八月十五, 1988年闰四月初五, 2023-闰02-10, L05-05."""
    s = _strip_prefix(_normalise(text), _LUNAR_PREFIX)
    if not s:
        raise DateInputError("date.empty")
    m = _LUNAR_NUMERIC.fullmatch(s)
    if m:
        year, leap = m.group(1), m.group(2) is not None
        month: int | None = int(m.group(3))
        day: int | None = int(m.group(4))
    else:
        m = _LUNAR_CN.fullmatch(s)
        if m is None:
            raise DateInputError("date.lunar_bad_format", text=text.strip())
        year, leap = m.group(1), m.group(2) is not None
        month, day = _lunar_month_token(m.group(3)), _lunar_day_token(m.group(4))
    if month is None or day is None:
        raise DateInputError("date.lunar_bad_format", text=text.strip())
    return validate(AnnualDate(month, day, lunar=True, leap=leap, year=int(year) if year else None))
