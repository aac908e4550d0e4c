"""The command line at the calendar's edges and as a Chinese user types it: the real ``kequ``."""

from __future__ import annotations

import sqlite3
from itertools import pairwise

import pytest

from tests.cli.conftest import Result

NOTE = "农历日期和节日只算得到 1901-01-01 到 2099-12-31"


def assert_refused(result: Result, *words: str) -> None:
    """Exit 2, one line on stderr naming what is wrong, nothing on stdout."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""
    for word in words:
        assert word in result.err, (word, result.err)


@pytest.fixture
def edge_book(kequ) -> None:
    """Lunar and solar birthdays near both ends of the calendar."""
    assert kequ("add", "冬月生", "--lunar-birthday", "11-18", "--tier", "key").code == 0  # 2099-12-29
    assert kequ("add", "腊月生", "--lunar-birthday", "12-01").code == 0  # 2100-01-10: out of range
    assert kequ("add", "年末生", "--birthday", "12-30").code == 0
    assert kequ("add", "元旦生", "--birthday", "01-01").code == 0
    assert kequ("add", "早年生", "--lunar-birthday", "11-20").code == 0  # 1901-01-10


def test_a_window_into_2100_lists_what_it_can_with_one_note(kequ, edge_book) -> None:
    result = kequ("today", "--date", "2099-12-26", "--days", "6", "--json")
    assert result.code == 0, result.err
    assert result.err.count(NOTE) == 1 and len(result.err.strip().splitlines()) == 1
    dates = {(i["customer"], i["source"].split(":")[0], i["occurrence"]) for i in result.json()}
    assert ("冬月生", "date", "2099-12-29") in dates  # lunar, still inside the calendar
    assert ("年末生", "date", "2099-12-30") in dates
    assert ("元旦生", "date", "2100-01-01") in dates  # solar: no table needed, still listed
    assert not any(who == "腊月生" and kind == "date" for who, kind, _ in dates)
    table = kequ("today", "--date", "2099-12-26", "--days", "6")
    assert table.code == 0 and "冬月生" in table.out and table.err.count(NOTE) == 1


def test_a_window_back_into_1900_lists_the_lunar_birthdays_it_can(kequ, edge_book) -> None:
    result = kequ("today", "--date", "1901-01-05", "--days", "6", "--json")
    assert result.code == 0, result.err
    assert result.err.count(NOTE) == 1
    dates = {(i["customer"], i["occurrence"]) for i in result.json() if i["source"].startswith("date:")}
    assert ("早年生", "1901-01-10") in dates


def test_a_window_inside_the_calendar_says_nothing_more(kequ, edge_book) -> None:
    result = kequ("today", "--days", "7", "--json")
    assert result.code == 0 and result.err == ""


def test_a_day_outside_the_calendar_is_refused_in_one_line(kequ) -> None:
    assert_refused(kequ("today", "--date", "1900-12-31"), "1900")
    assert_refused(kequ("today", "--date", "2100-01-01"), "2100")


# ------------------------------------------------------------ choices typed in Chinese


def stored(db_path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def test_choices_take_their_chinese_labels_and_help_lists_both(kequ, db_path) -> None:
    assert kequ("add", "曾国强", "--tier", "关键", "--disc", "力量型").code == 0
    assert kequ("add", "许立新", "--tier", "潜力客户", "--disc", "c").code == 0
    assert kequ("add", "郑芳", "--tier", "Regular", "--disc", "和平型").code == 0
    assert stored(db_path, "SELECT name, tier, disc FROM customer ORDER BY id") == [
        ("曾国强", "key", "D"),
        ("许立新", "potential", "C"),
        ("郑芳", "regular", "S"),
    ]
    logged = kequ("log", "曾国强", "--kind", "电话", "--json").json()
    assert logged["kind"] == "call"
    assert kequ("log", "曾国强", "--kind", "拜访").code == 0
    assert stored(db_path, "SELECT kind FROM interaction ORDER BY id") == [("call",), ("visit",)]
    assert_refused(kequ("log", "曾国强", "--kind", "吃饭"), "吃饭", "call（电话）", "visit（拜访）")
    assert_refused(kequ("add", "王五", "--disc", "X"), "X", "D（力量型）")
    assert stored(db_path, "SELECT count(*) FROM customer") == [(3,)]
    add_help = kequ("add", "--help", db=None).out
    assert "key（关键）" in add_help and "temporary（临时）" in add_help
    assert "D（力量型）" in add_help and "C（完美型）" in add_help
    assert "call（电话）" in kequ("log", "--help", db=None).out
    assert "key（关键）" in kequ("--lang", "en", "add", "--help", db=None).out


# ------------------------------------------------------------ days as the birthday field takes them


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-3-5", "2026-03-05"),
        ("3月5日", "2026-03-05"),
        ("２０２６－０３－０５", "2026-03-05"),
        ("12-25", "2025-12-25"),  # no year: the latest one past, last Christmas on 23 November
        ("11-23", "2026-11-23"),
        ("2-29", "2024-02-29"),  # the last 29 February there was
    ],
)
def test_log_takes_a_day_as_the_birthday_field_does(kequ, typed: str, day: str) -> None:
    kequ("add", "曾国强")
    result = kequ("log", "曾国强", "--kind", "call", "--date", typed, "--json")
    assert result.code == 0, result.err
    assert result.json()["date"] == day


def test_log_refuses_a_day_still_to_come_as_the_app_does(kequ, db_path) -> None:
    kequ("add", "曾国强")
    assert_refused(kequ("log", "曾国强", "--kind", "call", "--date", "2026-11-24"), "不能记录未来的联系")
    assert_refused(kequ("log", "曾国强", "--kind", "call", "--date", "2027年1月5日"), "未来")
    assert_refused(kequ("log", "曾国强", "--kind", "call", "--date", "后天"), "后天")
    assert stored(db_path, "SELECT count(*) FROM interaction") == [(0,)]


def test_today_and_deal_take_the_same_days(kequ) -> None:
    today = kequ("today", "--date", "2026年12月1日")
    assert today.code == 0 and "2026-12-01" in today.out
    assert "2027-01-05" in kequ("today", "--date", "２０２７/１/５").out
    kequ("add", "曾国强")
    assert kequ("deal", "曾国强", "--date", "11月20日", "--json").json()["date"] == "2026-11-20"
    assert_refused(kequ("today", "--date", "2026-02-30"), "2月")


def test_an_empty_birthday_is_refused_like_a_blank_one(kequ, db_path) -> None:
    empty, blank = kequ("add", "曾国强", "--birthday", ""), kequ("add", "曾国强", "--birthday", "   ")
    assert_refused(empty, "日期是空的")
    assert empty.err == blank.err
    assert_refused(kequ("add", "曾国强", "--lunar-birthday", ""), "日期是空的")
    assert stored(db_path, "SELECT count(*) FROM customer") == [(0,)]


@pytest.mark.parametrize("prefix", ["农历", "阴历", "旧历", "農曆", "陰曆", "舊曆"])
def test_every_lunar_prefix_makes_a_lunar_birthday(kequ, db_path, prefix: str) -> None:
    assert kequ("add", "甲", "--lunar-birthday", f"{prefix}八月十五").code == 0
    assert kequ("add", "乙", "--birthday", f"{prefix}06-12").code == 0
    assert kequ("add", "丙", "--birthday", f"{prefix}闰06-12").code == 0
    assert stored(db_path, "SELECT month, day, lunar, leap FROM important_date ORDER BY id") == [
        (8, 15, 1, 0),
        (6, 12, 1, 0),
        (6, 12, 1, 1),
    ]


def test_a_leap_month_is_written_with_its_mark_not_an_l(kequ) -> None:
    kequ("add", "吴秀英", "--lunar-birthday", "闰06-12")
    kequ("add", "许立新", "--lunar-birthday", "1990-闰05-05")
    english = kequ("--lang", "en", "export", "--format", "csv")
    assert english.code == 0
    assert "闰06-12" in english.out and "1990-闰05-05" in english.out and "L0" not in english.out
    assert "闰六月十二" in kequ("export", "--format", "csv").out


# ------------------------------------------------------------ finding and adding customers


def test_a_customer_is_found_by_hash_id_or_bare_id(kequ) -> None:
    first = kequ("add", "王伟", "--honorific", "王总", "--company", "甲公司").out.strip()
    kequ("add", "王静", "--honorific", "王总", "--company", "乙公司")
    ambiguous = kequ("log", "王总", "--kind", "call")
    assert_refused(ambiguous, f"#{first} 王伟")
    for ref in (f"#{first}", first, f"＃{first}", f" #{first} "):
        result = kequ("log", ref, "--kind", "call", "--json")
        assert result.code == 0, (ref, result.err)
        assert result.json()["customer_id"] == int(first)
    assert_refused(kequ("log", "#999", "--kind", "call"), "999")


def test_adding_the_same_customer_twice_is_refused_naming_the_first(kequ, db_path) -> None:
    first = kequ("add", "王伟", "--honorific", "王总", "--company", "甲公司", "--phone", "138 1234 5678")
    assert first.code == 0
    same_phone = kequ("add", "王小伟", "--phone", "+86 13812345678")
    assert_refused(same_phone, "#1", "王总（王伟）", "电话相同", "--force")
    same_company = kequ("add", "王伟", "--company", " 甲公司 ")
    assert_refused(same_company, "#1", "姓名和公司相同")
    assert stored(db_path, "SELECT count(*) FROM customer") == [(1,)]
    # A name alone is no proof: another 王伟 at another company is another person.
    assert kequ("add", "王伟", "--company", "乙公司").code == 0
    assert kequ("add", "王伟").code == 0
    forced = kequ("add", "王小伟", "--phone", "13812345678", "--force", "--json")
    assert forced.code == 0 and forced.json() == {"id": 4}
    english = kequ("--lang", "en", "add", "王伟", "--company", "甲公司")
    assert_refused(english, "#1", "same name and company", "--force")


def test_search_says_when_it_stopped_at_its_limit(kequ) -> None:
    for name in ("王一", "王二", "王三"):
        kequ("add", name)
    cut = kequ("search", "王", "--limit", "2", "--json")
    assert cut.code == 0 and len(cut.json()) == 2
    assert "只列出了前 2 位" in cut.err and "--limit" in cut.err
    whole = kequ("search", "王", "--limit", "3", "--json")
    assert len(whole.json()) == 3 and whole.err == ""
    assert "只列出了前 50 位" not in kequ("search", "王").err


# ------------------------------------------------------------ 80 columns


def _reason_cells(table: str) -> list[list[str]]:
    """The reason column's pieces, line by line, per row of a `kequ today` table."""
    rows: list[list[str]] = []
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            rows.append([])
        rows[-1].append(cells[3])
    return rows


def test_an_80_column_table_never_cuts_inside_a_number(kequ, db_path) -> None:
    assert kequ("demo").code == 0
    wide = kequ("today", "--days", "7", "--json").json()
    for lang in ("zh", "en"):
        narrow = kequ("--lang", lang, "today", "--days", "7", env={"COLUMNS": "80"})
        assert narrow.code == 0
        assert max(len(line) for line in narrow.out.splitlines()) <= 80
        rows = _reason_cells(narrow.out)
        assert len(rows) == len(wide)
        for pieces in rows:
            assert "…" not in "".join(pieces)
            for before, after in pairwise(pieces):
                assert not (before[-1:].isdigit() and after[:1].isdigit()), pieces
                assert not after.startswith(("）", "，", "。", ")")), pieces
    zh_rows = _reason_cells(kequ("today", "--days", "7", env={"COLUMNS": "80"}).out)
    assert ["".join(p.split()) for p in map("".join, zh_rows)] == ["".join(i["reason"].split()) for i in wide]
