"""Days and times as a salesperson writes them, read relative to the day they are said.

``find_whens(text, said_on, calendar)`` returns every date or time expression of a line, in
order, each with the days it can mean. One day: it is decided. Two or more: the line is
truly ambiguous and the caller asks. None and a ``problem``: the words were seen but say
no day kequ may pick on its own (过几天, 春节前, 31号 in a month of 30 days).

The rules, for a line said on ``said_on`` (weeks start on Monday):

* 今天 明天 后天 大后天 (昨天 前天 大前天 for what happened); 今晚 明早 carry a time too.
* 周三 / 星期三 / 礼拜三 alone: the next Wednesday after today. Said on a Wednesday it is
  either today or in a week, and both are returned. 这周三 / 本周三 is the Wednesday of the
  current week (in the past if it has gone), 下周三 the one of next week (said on a Sunday:
  three days later), 下下周三 the week after that, 上周三 last week's. 下周 alone is the
  Monday of next week, 周末 the Saturday of the week.
* 3天后 两天后 过两天 两周后 半个月后 (15 days) 一个月后 半年后: a month is a calendar month,
  counted with dateutil's relativedelta, so one month after 31 January is 28 February.
* 15号 / 十五号 / 15日: this month's 15th, or next month's once it has passed (said on the
  15th: today). 下个月15号, 这个月15号 name the month. 月底 is the month's last day, 月中
  the 15th, 月初 the 1st, of this month, or of the next once this month's has passed;
  下个月初, 下月底, 12月底 name the month; 下个月 alone is its 1st.
* 12月20号, 12.20, 12-20, 12/20, 2027年1月5日: the next such day (this year, or next year if
  it has passed). A number followed by 万, 元, %… is money, not a date.
* 农历初八, 初八 (the next lunar eighth), 腊月廿三, 正月十五, 八月十五 (a month in Chinese
  numerals with a lunar day is lunar, as the birthday field reads it), 农历8月15: the next
  occurrence on or after today, across 春节.
* 元旦, 春节 (过年), 除夕, 元宵, 清明, 五一, 端午, 七夕, 中秋, 国庆, 重阳, 腊八, 圣诞…: the next
  one on or after today; 明年中秋: next year's. 国庆后第一个工作日 (节后上班): the first
  working day after its break, 调休 included. 春节前, 中秋前后: vague, not read.
* 下个工作日, 3个工作日后 / 三个工作日内: working days from the holiday data, 调休 included.
* Times: 上午 (09:00), 中午 (12:00), 下午 (14:00), 傍晚 (17:00), 晚上 (19:00) alone; 下午3点,
  晚上7点半, 3点一刻, 10点20, 15:30. Without 上午/下午 an hour from 1 to 6 is in the
  afternoon (两点半 is 14:30: nobody meets a customer at 2:30 at night), 8 to 12 in the
  morning, and 7 is asked (07:00 or 19:00). A Chinese hour alone (两点) must say 半, 钟,
  minutes or follow a day, or it is not a time: 便宜一点 is not 13:00.
"""

from __future__ import annotations

import calendar as _months
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta

from kequ.domain.calendar.lunar import (
    MAX_YEAR,
    AnnualDate,
    DateInputError,
    festivals_between,
    next_occurrence,
    occurrences,
)
from kequ.domain.calendar.workdays import PLAIN_WEEKENDS, WorkCalendar, is_working_day, next_working_day

__all__ = ["FESTIVAL_NAMES", "When", "cn_number", "find_whens", "normalise"]

# --------------------------------------------------------------------------- numbers

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九十百廿卅"


def cn_number(token: str) -> int | None:
    """十五 → 15, 两 → 2, 二十三 → 23, 廿三 → 23, 一百 → 100, 07 → 7; None if it is no number."""
    if not token:
        return None
    if token.isdigit():
        return int(token)
    total = 0
    current: int | None = None
    for char in token:
        if char in _DIGITS:
            if current is not None:
                return None  # 一二: two digits in a row is no numeral
            current = _DIGITS[char]
        elif char == "十":
            total += (1 if current is None else current) * 10
            current = None
        elif char == "百":
            total += (1 if current is None else current) * 100
            current = None
        elif char in "廿卅" and total == 0 and current is None:
            total = 20 if char == "廿" else 30
        else:
            return None
    return total + (current or 0)


# --------------------------------------------------------------------------- festivals

FESTIVAL_NAMES: dict[str, str] = {
    "元旦": "new_year",
    "除夕": "new_years_eve",
    "大年三十": "new_years_eve",
    "年三十": "new_years_eve",
    "春节": "spring_festival",
    "过年": "spring_festival",
    "大年初一": "spring_festival",
    "元宵节": "lantern",
    "元宵": "lantern",
    "妇女节": "womens_day",
    "三八节": "womens_day",
    "清明节": "qingming",
    "清明": "qingming",
    "劳动节": "labour_day",
    "五一": "labour_day",
    "端午节": "dragon_boat",
    "端午": "dragon_boat",
    "儿童节": "childrens_day",
    "六一": "childrens_day",
    "七夕": "qixi",
    "教师节": "teachers_day",
    "中秋节": "mid_autumn",
    "中秋": "mid_autumn",
    "国庆节": "national_day",
    "国庆": "national_day",
    "重阳节": "double_ninth",
    "重阳": "double_ninth",
    "腊八节": "laba",
    "腊八": "laba",
    "圣诞节": "christmas",
    "圣诞": "christmas",
}

# ------------------------------------------------------------------------- the result


@dataclass(frozen=True, slots=True)
class When:
    """One date or time expression: where it is in the (normalised) line and what it can mean."""

    start: int
    end: int
    said: str
    days: tuple[date, ...] = ()  # one: decided; several: ask; none: a time alone, or a problem
    times: tuple[str, ...] = ()  # "HH:MM"; several: ask
    # The reading for a contact that already happened, where it differs: 周一 said on a
    # Wednesday is next Monday for a plan but this Monday for 周一见了王总.
    back: date | None = None
    problem: str = ""  # an i18n key under capture.problem. when the words give no day
    params: dict[str, object] = field(default_factory=dict)

    @property
    def day(self) -> date | None:
        return self.days[0] if len(self.days) == 1 else None


# --------------------------------------------------------------------------- patterns

_N = rf"(?:\d{{1,3}}|[{_CN}]{{1,4}})"
_WD = r"[一二三四五六日天七1-7]"
_WEEK = r"(?:周|星期|礼拜)"
_LUNAR_MONTH = r"(?:正|冬|腊|十一|十二|十|[一二三四五六七八九])"
_LUNAR_DAY = (
    r"(?:初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十[一二三四五六七八九]?"
    r"|廿[一二三四五六七八九]?|三十|[一二三四五六七八九])"
)
_MONTH_REF = r"(?:下下个?月|下个?月|这个?月|本月|上个?月)"
_TIME_PERIOD = r"(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|明晚|今早|明早|晚)"
_FESTIVAL = "|".join(sorted(FESTIVAL_NAMES, key=len, reverse=True))
_VAGUE_AFTER = r"(?:前后|之前|以前|之后|以后|期间|假期|前|后|左右)"
_NOT_A_DAY_OF_MONTH = r"(?![楼线门机库房院仓栋层室车位条款项期届])"
_MONEY = r"(?![\d.]|\s*[万元块千百亿%折倍kKwW米斤吨台套箱件个])"

_PATTERNS: list[tuple[str, str]] = [
    # 国庆后第一个工作日, 春节假期后上班: the first working day after the break.
    (
        "after_break",
        rf"(?P<ab_next>明年)?(?P<ab_fest>{_FESTIVAL})(?:节|假期|放假|长假)?(?:以后|之后|后)"
        r"(?:的)?(?:第一个工作日|第一天上班|上班第一天|上班|开工)",
    ),
    ("festival_vague", rf"(?:明年|今年)?(?P<fv_fest>{_FESTIVAL}){_VAGUE_AFTER}"),
    ("festival", rf"(?P<f_year>明年|今年)?(?P<f_fest>{_FESTIVAL})"),
    (
        "workdays",
        rf"(?P<w_n>{_N})个工作日(?P<w_how>以后|之后|后|以内|之内|内)",
    ),
    ("next_workday", r"(?:下|下一)个工作日"),
    ("day_word", r"大后天|大前天|后天|前天|明天|明儿|明日|今天|今儿|今日|昨天|昨儿|昨日|当天|隔天|第二天|次日"),
    (
        "weekday",
        rf"(?<![每一两二三四五六七八九十几\d])(?P<wk_rel>下下个?|下个?|这个?|本|上个?)?{_WEEK}(?P<wk_day>{_WD})",
    ),
    ("weekend", rf"(?P<we_rel>下下个?|下个?|这个?|本)?{_WEEK}末"),
    ("week", rf"(?P<w_rel>下下个?|下个?|上个?){_WEEK}(?![{_CN}\d末])"),
    (
        "offset",
        rf"(?P<o_n>{_N}|半)(?P<o_half>个半)?个?(?P<o_unit>天|日|周|星期|礼拜|月|年)(?:以后|之后|后)",
    ),
    ("pass", rf"过(?P<p_n>{_N})(?P<p_unit>天|周|星期|礼拜|个月)"),
    ("vague", r"过几天|过些天|过段时间|过一阵|改天|改日|回头|近期|有空|过阵子|找时间|几天后|下回"),
    # 农历8月15, 农历八月十五, 闰四月初五: lunar, said so.
    (
        "lunar",
        rf"(?:农历|阴历|旧历)(?P<l_leap>闰)?(?P<l_month>{_LUNAR_MONTH}|\d{{1,2}})月"
        rf"(?P<l_day>{_LUNAR_DAY}|\d{{1,2}})(?![号日\d{_CN}])",
    ),
    # 八月十五, 腊月廿三, 正月十五: a month and a day in Chinese numerals without 号 are lunar.
    (
        "lunar_cn",
        rf"(?P<lc_leap>闰)?(?P<lc_month>{_LUNAR_MONTH})月(?P<lc_day>{_LUNAR_DAY})(?![号日\d{_CN}])",
    ),
    (
        "lunar_day",
        r"(?P<ld_prefix>农历|阴历)?(?P<ld_day>初[一二三四五六七八九十]|(?<=农历)十[一二三四五六七八九]?|(?<=农历)廿[一二三四五六七八九]|(?<=农历)二十|(?<=农历)三十)",
    ),
    (
        "solar",
        rf"(?P<s_year>\d{{4}}年|明年|今年)?(?P<s_month>\d{{1,2}}|十一|十二|十|[一二三四五六七八九])月(?:份)?"
        rf"(?P<s_day>{_N})(?:号|日)?{_NOT_A_DAY_OF_MONTH}",
    ),
    (
        "numeric",
        rf"(?<![\d.\-/:a-z])(?:(?P<n_year>\d{{4}})[-./年])?(?P<n_month>\d{{1,2}})[-./](?P<n_day>\d{{1,2}})(?:号|日)?{_MONEY}",
    ),
    (
        "month_part",
        rf"(?P<mp_ref>{_MONTH_REF}|(?P<mp_month>\d{{1,2}}|十一|十二|十|[一二三四五六七八九])月份?|月)"
        r"(?P<mp_part>初|中旬|中|底|末|上旬|下旬)",
    ),
    ("year_end", r"年底|年末"),
    ("day_of_month", rf"(?P<dm_ref>{_MONTH_REF})?(?P<dm_day>{_N})(?:号|日)(?!子){_NOT_A_DAY_OF_MONTH}"),
    ("month_alone", rf"(?P<ma_ref>{_MONTH_REF})(?![{_CN}\d初中底末])"),
    ("clock", r"(?<![\d.])(?P<c_h>\d{1,2})[:：](?P<c_m>\d{2})(?![\d])"),
    (
        "time",
        rf"(?P<t_period>{_TIME_PERIOD})?(?P<t_h>\d{{1,2}}|[{_CN}]{{1,3}})点(?P<t_tail>钟|半|一刻|三刻|(?P<t_m>\d{{1,2}}|[{_CN}]{{1,3}})分?)?",
    ),
    ("period", r"(?P<pd_period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|明晚|今早|明早)"),
]
_SCANNER = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _PATTERNS))

_DAY_WORDS = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨儿": -1,
    "昨日": -1,
    "今天": 0,
    "今儿": 0,
    "今日": 0,
    "当天": 0,
    "明天": 1,
    "明儿": 1,
    "明日": 1,
    "隔天": 1,
    "第二天": 1,
    "次日": 1,
    "后天": 2,
    "大后天": 3,
}
_PERIOD_HOURS = {
    "凌晨": ("05:00", 0),
    "早上": ("08:00", 0),
    "早晨": ("08:00", 0),
    "今早": ("08:00", 0),
    "明早": ("08:00", 0),
    "上午": ("09:00", 0),
    "中午": ("12:00", 0),
    "下午": ("14:00", 12),
    "傍晚": ("17:00", 12),
    "晚上": ("19:00", 12),
    "晚": ("19:00", 12),
    "今晚": ("19:00", 12),
    "明晚": ("19:00", 12),
}
_PERIOD_DAY = {"今晚": 0, "今早": 0, "明晚": 1, "明早": 1}
_WEEK_OFFSET = {"下下个": 2, "下下": 2, "下个": 1, "下": 1, "这个": 0, "这": 0, "本": 0, "上个": -1, "上": -1}
_MONTH_OFFSET = {
    "下下个月": 2,
    "下下月": 2,
    "下个月": 1,
    "下月": 1,
    "这个月": 0,
    "这月": 0,
    "本月": 0,
    "上个月": -1,
    "上月": -1,
}
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}


# Traditional forms common in Hong Kong and Taiwan contacts' messages, one character each.
_TRADITIONAL = str.maketrans(
    "臘閏農曆陰舊點號週禮後兩個電話見約發過內時錢節慶", "腊闰农历阴旧点号周礼后两个电话见约发过内时钱节庆"
)


def normalise(text: str) -> str:
    """Full-width digits and punctuation as ASCII (NFKC), lower case, traditional forms
    simplified; the length may change."""
    return unicodedata.normalize("NFKC", text).lower().translate(_TRADITIONAL)


def find_whens(text: str, said_on: date, calendar: WorkCalendar = PLAIN_WEEKENDS) -> list[When]:
    """Every date or time expression of ``text`` (normalised first), in order; a day followed
    by a time (下周三下午3点) is one expression."""
    line = normalise(text)
    found: list[When] = []
    for match in _SCANNER.finditer(line):
        kind = match.lastgroup
        assert kind is not None
        when = _READERS[kind](match, said_on, calendar)
        if when is None:
            continue
        if found and _joins(found[-1], when, line):
            found[-1] = _join(found[-1], when, line)
        else:
            found.append(when)
    return found


def _joins(before: When, after: When, line: str) -> bool:
    """A day right before a time (下周三下午3点, 明天 3点, 明天的下午) is one expression."""
    gap = line[before.end : after.start]
    if len(gap) > 1 or gap not in ("", " ", "的"):
        return False
    day_then_time = not before.times and after.times and not after.days and not after.problem
    return bool(day_then_time and (before.days or before.problem))


def _join(before: When, after: When, line: str) -> When:
    return When(
        before.start,
        after.end,
        line[before.start : after.end],
        before.days,
        after.times,
        before.back,
        before.problem,
        before.params,
    )


# ----------------------------------------------------------------------------- readers


def _span(match: re.Match[str]) -> tuple[int, int, str]:
    return match.start(), match.end(), match.group()


def _read_day_word(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, (said_on + timedelta(days=_DAY_WORDS[said]),))


def _week_monday(said_on: date, weeks: int) -> date:
    return said_on - timedelta(days=said_on.weekday()) + timedelta(weeks=weeks)


def _weekday_index(char: str) -> int:
    return 6 if char in "日天七" else ("一二三四五六".index(char) if not char.isdigit() else int(char) - 1)


def _read_weekday(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    wanted = _weekday_index(match["wk_day"])
    relation = match["wk_rel"]
    if relation is not None:
        return When(start, end, said, (_week_monday(said_on, _WEEK_OFFSET[relation]) + timedelta(days=wanted),))
    ahead = (wanted - said_on.weekday()) % 7
    back = said_on - timedelta(days=(said_on.weekday() - wanted) % 7 or 7)
    if ahead == 0:
        # Said on that very weekday: today, or the same day next week. Both are heard.
        return When(start, end, said, (said_on, said_on + timedelta(days=7)), back=back)
    return When(start, end, said, (said_on + timedelta(days=ahead),), back=back)


def _read_weekend(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    weeks = _WEEK_OFFSET[match["we_rel"]] if match["we_rel"] else 0
    saturday = _week_monday(said_on, weeks) + timedelta(days=5)
    # On a Sunday this week's weekend is today.
    return When(start, end, said, (max(saturday, said_on) if weeks == 0 else saturday,))


def _read_week(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, (_week_monday(said_on, _WEEK_OFFSET[match["w_rel"]]),))


def _amount(token: str) -> int | None:
    return cn_number(token)


def _after(said_on: date, n: int | None, unit: str, half: bool = False) -> date | None:
    if n is None:
        return None
    if unit in ("天", "日"):
        return said_on + timedelta(days=n)
    if unit in ("周", "星期", "礼拜"):
        return said_on + timedelta(weeks=n)
    if unit in ("月", "个月"):
        return said_on + relativedelta(months=n) + timedelta(days=15 if half else 0)
    return said_on + relativedelta(years=n, months=6 if half else 0)


def _read_offset(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    unit, token = match["o_unit"], match["o_n"]
    if token == "半":
        # 半个月: fifteen days; 半年: six months; 半天, 半周 say no day.
        if unit == "月":
            day = said_on + timedelta(days=15)
        elif unit == "年":
            day = said_on + relativedelta(months=6)
        else:
            return When(start, end, said, problem="capture.problem.vague", params={"said": said})
    else:
        found = _after(said_on, _amount(token), unit, half=bool(match["o_half"]))
        if found is None:
            return None
        day = found
    return _checked(When(start, end, said, (day,)))


def _read_pass(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    day = _after(said_on, _amount(match["p_n"]), match["p_unit"])
    return None if day is None else _checked(When(start, end, said, (day,)))


def _read_vague(match: re.Match[str], _said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, problem="capture.problem.vague", params={"said": said})


def _read_workdays(match: re.Match[str], said_on: date, cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    count = _amount(match["w_n"])
    if count is None or count > 250:
        return None
    day = said_on
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1), cal)
    return When(start, end, said, (day,))


def _read_next_workday(match: re.Match[str], said_on: date, cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, (next_working_day(said_on + timedelta(days=1), cal),))


@cache
def _festival_days(year: int) -> tuple[tuple[str, date], ...]:
    first = date(year, 1, 1)
    last = date(min(year + 1, MAX_YEAR), 12, 31)
    return tuple((f.key, f.date) for f in festivals_between(first, last))


def _next_festival(key: str, on_or_after: date) -> date | None:
    if on_or_after.year > MAX_YEAR:
        return None
    for found_key, day in _festival_days(on_or_after.year):
        if found_key == key and day >= on_or_after:
            return day
    return None


def _read_festival(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    key = FESTIVAL_NAMES[match["f_fest"]]
    year = match["f_year"]
    if year == "今年":
        # This year's, even if it has passed (今年中秋送过月饼).
        day = next((d for k, d in _festival_days(said_on.year) if k == key and d.year == said_on.year), None)
    else:
        base = said_on if year is None else date(said_on.year + 1, 1, 1)
        if year == "明年" and key == "new_years_eve":
            base = date(said_on.year + 1, 2, 1)  # 明年除夕: the eve of next year's 春节
        day = _next_festival(key, max(base, said_on))
    if day is None:
        return When(start, end, said, problem="capture.problem.out_of_range", params={"said": said})
    return When(start, end, said, (day,))


def _read_after_break(match: re.Match[str], said_on: date, cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    key = FESTIVAL_NAMES[match["ab_fest"]]
    base = date(said_on.year + 1, 1, 1) if match["ab_next"] else said_on
    day = _next_festival(key, base)
    if day is None:
        return When(start, end, said, problem="capture.problem.out_of_range", params={"said": said})
    return When(start, end, said, (next_working_day(day + timedelta(days=1), cal),))


def _read_festival_vague(match: re.Match[str], _said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, problem="capture.problem.vague", params={"said": said})


def _lunar_month(token: str) -> int | None:
    return _LUNAR_MONTHS[token] if token in _LUNAR_MONTHS else cn_number(token)


def _lunar_day(token: str) -> int | None:
    return cn_number(token[1:]) if token.startswith("初") else cn_number(token)


def _read_lunar(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    return _lunar(match, said_on, match["l_month"], match["l_day"], match["l_leap"] is not None)


def _read_lunar_cn(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    return _lunar(match, said_on, match["lc_month"], match["lc_day"], match["lc_leap"] is not None)


def _lunar(match: re.Match[str], said_on: date, month_token: str, day_token: str, leap: bool) -> When:
    start, end, said = _span(match)
    month, day = _lunar_month(month_token), _lunar_day(day_token)
    if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 30:
        return When(start, end, said, problem="capture.problem.no_such_day", params={"said": said})
    try:
        found = next_occurrence(AnnualDate(month, day, lunar=True, leap=leap), said_on)
    except DateInputError:
        return When(start, end, said, problem="capture.problem.out_of_range", params={"said": said})
    return When(start, end, said, (found,))


def _read_lunar_day(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    """初八 without a month: the next lunar eighth, in this lunar month or the next."""
    start, end, said = _span(match)
    day = _lunar_day(match["ld_day"]) or 1
    window_end = said_on + timedelta(days=62)
    if window_end.year > MAX_YEAR:
        return When(start, end, said, problem="capture.problem.out_of_range", params={"said": said})
    candidates = [
        found
        for month in range(1, 13)
        for leap in (False, True)
        for found in occurrences(AnnualDate(month, day, lunar=True, leap=leap), said_on, window_end)
    ]
    return When(start, end, said, (min(candidates),))


def _ahead(said_on: date, month: int, day: int, year: int | None) -> tuple[date | None, date | None]:
    """(the next such day on or after today, the latest one before): 12-20 is this year's or next year's."""
    if year is not None:
        try:
            fixed = date(year, month, day)
        except ValueError:
            return None, None
        return fixed, fixed
    days: list[date] = []
    for y in range(said_on.year - 8, said_on.year + 9):
        try:
            days.append(date(y, month, day))
        except ValueError:
            continue
    after = next((d for d in days if d >= said_on), None)
    before = next((d for d in reversed(days) if d < said_on), None)
    return after, before


def _solar(
    start: int, end: int, said: str, said_on: date, month: int | None, day: int | None, year: int | None
) -> When:
    if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return When(start, end, said, problem="capture.problem.no_such_day", params={"said": said})
    after, before = _ahead(said_on, month, day, year)
    if after is None:
        return When(start, end, said, problem="capture.problem.no_such_day", params={"said": said})
    return _checked(When(start, end, said, (after,), back=before if before != after else None))


def _year_of(token: str | None, said_on: date) -> int | None:
    if token is None:
        return None
    if token == "明年":
        return said_on.year + 1
    if token == "今年":
        return said_on.year
    return int(token.rstrip("年"))


def _read_solar(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    month_token, day_token = match["s_month"], match["s_day"]
    suffixed = said.endswith(("号", "日"))
    if not month_token.isdigit() and not day_token.isdigit() and not suffixed:
        return None  # 八月十五 is lunar; the lunar reader had it
    return _solar(
        start, end, said, said_on, cn_number(month_token), cn_number(day_token), _year_of(match["s_year"], said_on)
    )


def _read_numeric(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    month, day = int(match["n_month"]), int(match["n_day"])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None  # 3.50 or 1-40: not a date at all
    year = int(match["n_year"]) if match["n_year"] else None
    return _solar(start, end, said, said_on, month, day, year)


def _last_day(year: int, month: int) -> date:
    return date(year, month, _months.monthrange(year, month)[1])


def _month_start(said_on: date, months: int) -> date:
    return said_on.replace(day=1) + relativedelta(months=months)


_PART_DAY = {"初": 1, "上旬": 1, "中": 15, "中旬": 15}


def _part_of(first: date, part: str) -> date:
    if part in ("底", "末", "下旬"):
        return _last_day(first.year, first.month) if part != "下旬" else first.replace(day=21)
    return first.replace(day=_PART_DAY[part])


def _read_month_part(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    ref, part = match["mp_ref"], match["mp_part"]
    if ref == "月":
        # 月底 / 月初: this month's, or the next month's once this month's has passed.
        day = _part_of(said_on.replace(day=1), part)
        if day < said_on:
            day = _part_of(_month_start(said_on, 1), part)
        return When(start, end, said, (day,))
    if match["mp_month"] is not None:
        month = cn_number(match["mp_month"])
        if month is None or not 1 <= month <= 12:
            return None
        first = date(said_on.year, month, 1)
        if _part_of(first, part) < said_on:
            first = date(said_on.year + 1, month, 1)
        return When(start, end, said, (_part_of(first, part),))
    return When(start, end, said, (_part_of(_month_start(said_on, _MONTH_OFFSET[ref]), part),))


def _read_year_end(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, (date(said_on.year, 12, 31),))


def _read_day_of_month(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    day = cn_number(match["dm_day"])
    if day is None or not 1 <= day <= 31:
        return None
    ref = match["dm_ref"]
    if ref is not None:
        first = _month_start(said_on, _MONTH_OFFSET[ref])
        if day > _months.monthrange(first.year, first.month)[1]:
            return _no_such(start, end, said, first, day)
        return When(start, end, said, (first.replace(day=day),))
    this_month = said_on.replace(day=1)
    if day > _months.monthrange(this_month.year, this_month.month)[1]:
        return _no_such(start, end, said, this_month, day)
    here = this_month.replace(day=day)
    if here >= said_on:
        back = _back_in_month(said_on, day)
        return When(start, end, said, (here,), back=back)
    # Passed this month: next month's, if next month has that day.
    following = _month_start(said_on, 1)
    if day > _months.monthrange(following.year, following.month)[1]:
        return _no_such(start, end, said, following, day)
    return When(start, end, said, (following.replace(day=day),), back=here)


def _back_in_month(said_on: date, day: int) -> date | None:
    previous = _month_start(said_on, -1)
    if day > _months.monthrange(previous.year, previous.month)[1]:
        return None
    return previous.replace(day=day)


def _no_such(start: int, end: int, said: str, first: date, day: int) -> When:
    return When(start, end, said, problem="capture.problem.no_day_in_month", params={"month": first.month, "day": day})


def _read_month_alone(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    return When(start, end, said, (_month_start(said_on, _MONTH_OFFSET[match["ma_ref"]]),))


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _read_clock(match: re.Match[str], _said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    hour, minute = int(match["c_h"]), int(match["c_m"])
    if hour > 23 or minute > 59:
        return None
    return When(start, end, said, times=(_hhmm(hour, minute),))


def _minutes(tail: str | None, token: str | None) -> int | None:
    if tail is None or tail == "钟":
        return 0
    if tail == "半":
        return 30
    if tail == "一刻":
        return 15
    if tail == "三刻":
        return 45
    return cn_number(token or "")


def _read_time(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When | None:
    start, end, said = _span(match)
    period, hour_token, tail = match["t_period"], match["t_h"], match["t_tail"]
    hour = cn_number(hour_token)
    minute = _minutes(tail, match["t_m"])
    if hour is None or minute is None or minute > 59 or hour > 23:
        return None
    if period is None and not hour_token.isdigit() and tail is None:
        # 两点 alone may be "two points"; 便宜一点 is no time. A day before it makes it one.
        before = match.string[max(0, start - 3) : start]
        if not re.search(r"(?:天|日|[一二三四五六日天七])\s?$", before):
            return None
    days = (said_on + timedelta(days=_PERIOD_DAY[period]),) if period in _PERIOD_DAY else ()
    if period is not None:
        shift = _PERIOD_HOURS[period][1]
        if period == "中午" and hour < 11:
            shift = 12
        if shift and hour < 12:
            hour += shift
        return When(start, end, said, days, (_hhmm(hour, minute),))
    if 1 <= hour <= 6:
        return When(start, end, said, days, (_hhmm(hour + 12, minute),))
    if hour == 7:
        return When(start, end, said, days, (_hhmm(7, minute), _hhmm(19, minute)))
    return When(start, end, said, days, (_hhmm(hour, minute),))


def _read_period(match: re.Match[str], said_on: date, _cal: WorkCalendar) -> When:
    start, end, said = _span(match)
    period = match["pd_period"]
    days = (said_on + timedelta(days=_PERIOD_DAY[period]),) if period in _PERIOD_DAY else ()
    return When(start, end, said, days, (_PERIOD_HOURS[period][0],))


def _checked(when: When) -> When:
    """A day beyond the calendar kequ knows (after 2099) is said, not stored."""
    if any(day.year > MAX_YEAR for day in when.days):
        return When(when.start, when.end, when.said, problem="capture.problem.out_of_range", params={"said": when.said})
    return when


_READERS = {
    "after_break": _read_after_break,
    "festival_vague": _read_festival_vague,
    "festival": _read_festival,
    "workdays": _read_workdays,
    "next_workday": _read_next_workday,
    "day_word": _read_day_word,
    "weekday": _read_weekday,
    "weekend": _read_weekend,
    "week": _read_week,
    "offset": _read_offset,
    "pass": _read_pass,
    "vague": _read_vague,
    "lunar": _read_lunar,
    "lunar_cn": _read_lunar_cn,
    "lunar_day": _read_lunar_day,
    "solar": _read_solar,
    "numeric": _read_numeric,
    "month_part": _read_month_part,
    "year_end": _read_year_end,
    "day_of_month": _read_day_of_month,
    "month_alone": _read_month_alone,
    "clock": _read_clock,
    "time": _read_time,
    "period": _read_period,
}


def is_workday(day: date, calendar: WorkCalendar = PLAIN_WEEKENDS) -> bool:
    """Re-exported for the preview: whether a planned day is a working day."""
    return is_working_day(day, calendar)
