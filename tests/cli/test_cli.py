"""The ``kequ`` command as scripts and hurried users call it: real process, real file."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Result


def assert_clean_error(result: Result) -> None:
    assert result.code != 0
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""


def test_help_lists_the_subcommands(kequ) -> None:
    result = kequ("--help", db=None)
    assert result.code == 0
    for name in ("demo", "add", "log", "deal", "today", "festivals", "backup"):
        assert name in result.out


def test_help_in_english(kequ) -> None:
    result = kequ("--lang", "en", "--help", db=None)
    assert "follow-up assistant" in result.out
    assert result.out.startswith("usage: kequ") and "options:" in result.out


def test_help_and_refusals_in_chinese_have_no_english_frame(kequ) -> None:
    shown = kequ("add", "--help", db=None, env={"KEQU_LANG": "zh"})
    assert shown.code == 0
    assert shown.out.startswith("用法：kequ add") and "选项" in shown.out and "显示这段帮助后退出" in shown.out
    assert "usage:" not in shown.out and "options:" not in shown.out and "show this help" not in shown.out
    refused = kequ("add", db=None, env={"KEQU_LANG": "zh"})
    assert refused.code == 2
    assert refused.err.splitlines()[-1] == "kequ add: 错误：缺少必填的参数：NAME"
    unknown = kequ("today", "--bogus", db=None, env={"KEQU_LANG": "zh"})
    assert unknown.err.splitlines()[-1] == "kequ: 错误：不认识这些参数：--bogus"


def test_demo_refuses_a_filled_database_then_force_replaces_only_demo(kequ, db_path: Path) -> None:
    first = kequ("demo")
    assert first.code == 0, first.err
    count = sqlite3.connect(db_path).execute("SELECT count(*) FROM customer").fetchone()[0]
    assert 55 <= count <= 70

    own = kequ("add", "周建华", "--honorific", "周总", "--company", "自己的客户公司")
    assert own.code == 0

    again = kequ("demo")
    assert_clean_error(again)
    assert "--force" in again.err

    forced = kequ("demo", "--force")
    assert forced.code == 0, forced.err
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == count + 1
    assert conn.execute("SELECT count(*) FROM customer WHERE name = '周建华'").fetchone()[0] == 1


def test_demo_is_alive_relative_to_today(kequ) -> None:
    assert kequ("demo").code == 0
    items = kequ("today", "--days", "7", "--json").json()
    assert isinstance(items, list) and items
    kinds = {item["kind"] for item in items}
    assert {"call", "visit"} <= kinds
    reasons = " ".join(item["reason"] for item in items)
    assert "成交后第 3 天" in reasons  # the deal three days ago
    assert "农历" in reasons  # a lunar birthday days away
    assert any(item["at_risk"] for item in items)
    for item in items:
        assert set(item) >= {
            "date",
            "kind",
            "customer",
            "customer_id",
            "reason",
            "overdue_days",
            "tier",
            "disc",
            "at_risk",
        }


def test_add_prints_the_id_and_log_moves_the_call(kequ) -> None:
    added = kequ("add", "曾", "--honorific", "曾经理", "--tier", "key", "--phone", "138 0013 8000", "--disc", "c")
    assert added.code == 0, added.err
    new_id = int(added.out.strip())
    due = kequ("today", "--json").json()
    assert [i["kind"] for i in due if i["customer_id"] == new_id] == ["call", "visit"]

    logged = kequ("log", "曾经理", "--kind", "call", "--note", "聊了新项目")
    assert logged.code == 0, logged.err
    due = kequ("today", "--json").json()
    assert [i["kind"] for i in due if i["customer_id"] == new_id] == ["visit"]
    in_a_month = (date.today() + timedelta(days=30)).isoformat()
    later = kequ("today", "--date", in_a_month, "--json").json()
    assert any(i["customer_id"] == new_id and i["kind"] == "call" and i["date"] == in_a_month for i in later)


def test_deal_starts_the_follow_up_sequence(kequ) -> None:
    kequ("add", "林晓东", "--honorific", "林总", "--tier", "regular")
    closed = date.today() - timedelta(days=3)
    assert kequ("log", "林总", "--kind", "call").code == 0
    assert kequ("deal", "林总", "--date", closed.isoformat(), "--amount", "12800").code == 0
    items = kequ("today", "--json").json()
    reasons = [i["reason"] for i in items if i["customer"] == "林晓东"]
    assert any("第 3 天" in r for r in reasons)
    assert any("致谢" in r for r in reasons)  # day 0, now three days overdue


def test_lunar_birthday_with_leap_month_and_bad_dates(kequ) -> None:
    assert kequ("add", "吴秀英", "--lunar-birthday", "L06-12").code == 0
    assert kequ("add", "许立新", "--lunar-birthday", "1990-08-15").code == 0
    bad = kequ("add", "郑芳", "--birthday", "2026-02-30")
    assert_clean_error(bad)
    assert "郑芳" not in kequ("today", "--days", "366", "--json").out


def test_ambiguous_customer_lists_the_choices(kequ) -> None:
    kequ("add", "王伟", "--honorific", "王总", "--company", "甲公司")
    kequ("add", "王静", "--honorific", "王总", "--company", "乙公司")
    result = kequ("log", "王总", "--kind", "call")
    assert_clean_error(result)
    assert "甲公司" in result.err and "乙公司" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ("add", "  "),
        ("add", "张三", "--tier", "金牌"),  # vip is a word for key now, as in the import
        ("add", "张三", "--email", "not-an-email"),
        ("add", "张三", "--phone", "abc"),
        ("add", "张三", "--lunar-birthday", "13-01"),
        ("log", "nobody", "--kind", "call"),
        ("log", "99", "--kind", "call"),
        ("today", "--date", "2026-13-01"),
        ("today", "--days", "lots"),
        ("today", "--days", "²"),  # a digit int() refuses: a refusal, not a traceback
        ("deal", "1", "--amount", "-5"),
        ("festivals", "--year", "1800"),
    ],
)
def test_bad_input_is_one_clear_line(kequ, args: tuple[str, ...]) -> None:
    kequ("add", "李明辉")
    assert_clean_error(kequ(*args))


def test_storage_problems_are_one_clear_line(kequ, tmp_path: Path) -> None:
    assert_clean_error(kequ("today", db=tmp_path / "missing" / "x.db"))
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00garbage" * 100)
    result = kequ("today", db=garbage)
    assert_clean_error(result)
    assert garbage.read_bytes() == b"\x00garbage" * 100


def test_errors_in_english(kequ, tmp_path: Path) -> None:
    result = kequ("--lang", "en", "add", " ")
    assert_clean_error(result)
    assert "name cannot be empty" in result.err
    result = kequ("add", " ", env={"LANG": "en_US.UTF-8"})
    assert "name cannot be empty" in result.err


def test_festivals_json(kequ) -> None:
    result = kequ("festivals", "--year", "2027", "--json")
    assert result.code == 0
    by_key = {f["key"]: f for f in result.json()}
    assert by_key["new_years_eve"] == {
        "key": "new_years_eve",
        "name": "除夕",
        "date": "2027-02-05",
        "holiday": "unpublished",
        "holiday_note": "放假安排未公布",
    }
    assert by_key["spring_festival"]["date"] == "2027-02-06"
    assert by_key["mid_autumn"]["date"] == "2027-09-15"
    assert by_key["laba"]["holiday"] == "none"  # never a day off: nothing to publish


def test_festivals_show_the_official_break_or_say_it_is_not_published(kequ) -> None:
    published = kequ("festivals", "--year", "2026")
    assert published.code == 0
    assert "放假 2/15–2/23 共9天" in published.out and "调休上班 2/14、2/28" in published.out
    assert "尚未公布" not in published.err
    waiting = kequ("festivals", "--year", "2098")
    assert waiting.code == 0 and "2098 年的放假安排尚未公布" in waiting.err and "holidays/" in waiting.err


def test_markup_in_names_is_printed_literally(kequ) -> None:
    kequ("add", "[red]王[/]", "--honorific", "[bold]王总", "--tier", "key")
    result = kequ("today")
    assert result.code == 0
    assert "[bold]王总" in result.out


def test_backup_command(kequ, db_path: Path) -> None:
    kequ("add", "钱多多")
    result = kequ("backup", "--json")
    assert result.code == 0
    copy = Path(result.json()["backup"])
    assert sqlite3.connect(copy).execute("SELECT name FROM customer").fetchall() == [("钱多多",)]


def test_search_by_pinyin_initials_and_polyphonic_surnames(kequ) -> None:
    ids = {}
    for name, honorific in (("王建国", "王总"), ("曾志伟", "曾经理"), ("单立新", "单先生"), ("汪正", "")):
        ids[honorific or name] = int(kequ("add", name, "--honorific", honorific, "--company", "示例公司").out)
    for query, expected in (
        ("wz", "王总"),
        ("wangzong", "王总"),
        ("zjl", "曾经理"),
        ("cjl", "曾经理"),
        ("shan", "单先生"),
    ):
        found = kequ("search", query, "--json").json()
        assert found and found[0]["id"] == ids[expected], (query, found)
        assert set(found[0]) >= {"id", "name", "honorific", "company", "city", "tier", "disc"}
    table = kequ("search", "王总")
    assert table.code == 0 and "王建国" in table.out
    assert kequ("search", "没有这个人", "--json").json() == []


def test_an_unexpected_error_writes_a_crash_report_without_customer_data(kequ, tmp_path: Path) -> None:
    """A row damaged behind kequ's back: the failure is one line and a report."""
    import os

    db = tmp_path / "broken.db"
    assert kequ("add", "机密客户甲", db=db).code == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE customer SET phones = '{机密客户甲'")
    conn.commit()
    conn.close()
    result = kequ("search", "机密", db=db, env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.code == 70
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    reports = list((tmp_path / "state").rglob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "JSONDecodeError" in text and "机密" not in text
    assert oct(os.stat(reports[0]).st_mode & 0o777) == "0o600"


def test_greet_list_for_a_festival(kequ) -> None:
    key_id = int(kequ("add", "王建国", "--honorific", "王总", "--tier", "key").out)
    kequ("add", "李四", "--tier", "regular")
    rows = kequ("festivals", "--greet-list", "spring_festival", "--json").json()
    assert [(r["id"], r["status"]) for r in rows] == [(key_id, "to_greet")]
    assert set(rows[0]) == {"id", "name", "honorific", "company", "tier", "disc", "status", "not_this_year", "message"}
    assert_clean_error(kequ("festivals", "--greet-list", "halloween"))


def test_greet_list_says_sent_skipped_and_to_greet_with_each_ones_message(kequ, db_path: Path) -> None:
    from kequ.services.greetings import mark_greeted, skip_greeting
    from kequ.storage.database import open_database

    ids = [
        int(kequ("add", name, "--honorific", honorific, "--tier", "key", "--disc", disc).out)
        for name, honorific, disc in (("王建国", "王总", "D"), ("安然", "安姐", "S"), ("李想", "李总", "I"))
    ]
    new_year = date(2027, 1, 1)
    db = open_database(str(db_path), daily_backup=False)
    mark_greeted(db, ids[0], "new_year", new_year, "王总，元旦快乐！")
    skip_greeting(db, ids[1], "new_year", new_year)
    skip_greeting(db, ids[2], "new_year", new_year, not_this_year=True)
    rows = {r["id"]: r for r in kequ("festivals", "--greet-list", "new_year", "--json").json()}
    # The skipped one is skipped, not greeted; "not this year" says whether it comes round again.
    assert [(rows[i]["status"], rows[i]["not_this_year"]) for i in ids] == [
        ("sent", False),
        ("skipped", False),
        ("skipped", True),
    ]
    # Ready to paste: the 称呼, the type's tone, the occurrence's year; no signature without a name.
    assert rows[ids[0]]["message"] == "王总，元旦快乐！祝您新的一年目标全部达成，事业再上台阶。"
    assert rows[ids[1]]["message"].startswith("安姐，新年快乐！") and "家里人" in rows[ids[1]]["message"]
    english = {r["id"]: r for r in kequ("--lang", "en", "festivals", "--greet-list", "new_year", "--json").json()}
    assert english[ids[0]]["message"].startswith("Happy New Year, 王总!")
    table = kequ("festivals", "--greet-list", "new_year")
    assert table.code == 0 and "已问候" in table.out and "跳过" in table.out and "今年不问候" in table.out


def test_plain_kequ_opens_the_app_without_building_every_subcommand() -> None:
    from kequ.cli.main import _app_only

    assert _app_only([]) is not None
    args = _app_only(["--db", "客户.db", "--lang=en"])
    assert args is not None and (args.db, args.lang, args.command) == ("客户.db", "en", None)
    # Anything else goes to the full parser, which knows the subcommands and the errors.
    assert _app_only(["today"]) is None
    assert _app_only(["--db"]) is None
    assert _app_only(["--lang", "fr"]) is None
    assert _app_only(["--help"]) is None


def test_a_day_fixed_for_a_demo_is_the_day_every_command_stamps_and_shows(kequ, db_path: Path) -> None:
    """KEQU_TODAY runs kequ "as of" a day: a key customer added then is owed a call that week."""
    fixed = {"KEQU_TODAY": "2027-02-05"}
    added = kequ("add", "韩", "--honorific", "韩总", "--tier", "key", env=fixed)
    assert added.code == 0, added.err
    new_id = int(added.out)
    due = kequ("today", "--days", "7", "--json", env=fixed).json()
    mine = {(i["kind"], i["date"]) for i in due if i["customer_id"] == new_id}
    # Added on the 5th, the first call and visit are due that day; 春节 is the 6th that year.
    assert {("call", "2027-02-05"), ("visit", "2027-02-05")} <= mine
    assert {kind for kind, _ in mine} == {"call", "visit", "festival"}
    (created,) = sqlite3.connect(db_path).execute("SELECT created_at FROM customer WHERE id = ?", (new_id,)).fetchone()
    assert created.startswith(("2027-02-05", "2027-02-04"))  # stored in UTC: the evening before, east of Greenwich


def test_today_with_a_date_looks_from_that_day(kequ) -> None:
    assert kequ("add", "季", "--honorific", "季经理", "--tier", "key").code == 0
    assert kequ("log", "季经理", "--kind", "call").code == 0
    later = kequ("today", "--date", "2027-01-05", "--json").json()
    # The call is 13 days late; the first visit, never made, gets its first-touch day: the
    # day looked from (a Tuesday), well within its 180-day rhythm.
    assert sorted((i["kind"], i["overdue_days"], i["date"]) for i in later if i["customer"] == "季") == [
        ("call", 13, "2026-12-23"),
        ("visit", 0, "2027-01-05"),
    ]


@pytest.mark.parametrize("value", ["2027-13-01", "明天"])
def test_a_bad_fixed_day_is_one_clear_line(kequ, value: str) -> None:
    result = kequ("today", env={"KEQU_TODAY": value})
    assert result.code == 2
    assert result.err.count("\n") == 1 and "KEQU_TODAY" in result.err and value in result.err


def test_an_argument_that_is_not_valid_text_is_refused_in_one_line(kequ, db_path: Path, tmp_path: Path) -> None:
    # $'坏\xff字' in a shell: Python keeps the stray byte as a lone surrogate.
    result = kequ("add", "坏\udcff字")
    assert result.code == 2
    assert_clean_error(result)
    assert "坏\\xff字" in result.err and "不是正常的文字" in result.err
    assert not db_path.exists() or sqlite3.connect(db_path).execute("SELECT count(*) FROM customer").fetchone()[0] == 0
    # A file name is another matter: one in another encoding is still a file to open.
    odd = tmp_path / "客户\udcff.db"
    assert kequ("today", db=odd).code == 0


@pytest.mark.parametrize("amount", ["inf", "nan", "1e400"])
def test_a_deal_of_an_impossible_amount_is_one_clear_line(kequ, amount: str) -> None:
    assert kequ("add", "钟", "--tier", "key").code == 0
    result = kequ("deal", "钟", "--amount", amount)
    assert result.code == 2 and result.err.count("\n") == 1 and "金额" in result.err


def test_add_takes_a_gender_or_guesses_it_from_the_honorific(kequ, db_path: Path) -> None:
    sun = kequ("add", "孙丽", "--honorific", "孙姐", "--tier", "key", "--json")
    wang = kequ("add", "王建国", "--honorific", "王总", "--tier", "key", "--gender", "男", "--json")
    zhang = kequ("add", "张敏", "--honorific", "张总", "--tier", "key", "--gender", "f", "--json")
    li = kequ("add", "李想", "--honorific", "李总", "--tier", "key", "--json")
    assert all(r.code == 0 for r in (sun, wang, zhang, li)), (sun.err, wang.err, zhang.err, li.err)
    conn = sqlite3.connect(db_path)
    stored = dict(conn.execute("SELECT name, gender FROM customer").fetchall())
    conn.close()
    # Only what was typed is stored; 孙姐 is a guess, kept apart until confirmed.
    assert stored == {"孙丽": None, "王建国": "male", "张敏": "female", "李想": None}
    # 妇女节: the typed woman and the guessed one; never 王总, never 李总 whose gender is unknown.
    rows = kequ("festivals", "--greet-list", "womens_day", "--year", "2027", "--json").json()
    assert sorted(r["name"] for r in rows) == ["孙丽", "张敏"]
    bad = kequ("add", "赵六", "--gender", "x")
    assert_clean_error(bad)
    assert bad.code == 2 and "女 或 男" in bad.err
    assert "女|男|f|m" in kequ("add", "--help").out
