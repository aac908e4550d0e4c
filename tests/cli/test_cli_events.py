"""``kequ event``: a life event recorded from the command line, then seen by ``kequ today``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli import assert_clean_error


def test_a_wedding_is_recorded_and_today_shows_it_ahead_of_the_day(kequ, db_path: Path) -> None:
    assert kequ("add", "曾志强", "--honorific", "曾经理", "--tier", "regular").code == 0
    added = kequ("event", "曾经理", "--kind", "wedding", "--date", "2026-12-05", "--note", "女儿出嫁")
    assert added.code == 0, added.err
    assert added.out.strip() == "已记下曾经理（曾志强）的婚礼（2026-12-05）：2026-11-30 起出现在今日待办（礼品）"
    row = sqlite3.connect(db_path).execute("SELECT kind, label, month, day, year, lead_days FROM important_date")
    assert row.fetchall() == [("wedding", "女儿出嫁", 12, 5, 2026, 5)]

    items = kequ("today", "--date", "2026-11-30", "--json").json()
    wedding = [i for i in items if i["source"].startswith("date:")]
    assert [(i["date"], i["kind"], i["occurrence"], i["reason"]) for i in wedding] == [
        ("2026-11-30", "gift", "2026-12-05", "婚礼 12月5日（还有 5 天） · 女儿出嫁")
    ]
    table = kequ("today", "--date", "2026-11-30")
    assert "婚礼 12月5日" in table.out
    # It never comes back the following year.
    next_year = kequ("today", "--date", "2027-11-30", "--days", "30", "--json").json()
    assert not [i for i in next_year if i["source"].startswith("date:")]


def test_json_output_and_an_own_lead(kequ) -> None:
    assert kequ("add", "王建国", "--honorific", "王总").code == 0
    result = kequ("event", "王总", "--kind", "illness", "--date", "2026-03-02", "--lead", "1", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert {k: data[k] for k in ("kind", "date", "lead_days", "due", "touch")} == {
        "kind": "illness",
        "date": "2026-03-02",
        "lead_days": 1,
        "due": "2026-03-01",
        "touch": "visit",
    }
    english = kequ("--lang", "en", "event", "王总", "--kind", "bereavement", "--date", "2026-03-09")
    expected = "Recorded for 王总（王建国）: Bereavement, 2026-03-09. On Today from 2026-03-09 — Call"
    assert english.out.strip() == expected


def test_mistakes_are_one_clear_line_and_nothing_is_saved(kequ, db_path: Path) -> None:
    assert kequ("add", "曾志强", "--honorific", "曾经理").code == 0
    no_year = kequ("event", "曾经理", "--kind", "wedding", "--date", "12-05")
    assert_clean_error(no_year)
    assert "年份" in no_year.err
    assert_clean_error(kequ("event", "曾经理", "--kind", "wedding", "--date", "2026-02-30"))
    assert_clean_error(kequ("event", "曾经理", "--kind", "baby", "--date", "2026-02-03", "--lead", "99"))
    assert_clean_error(kequ("event", "李四", "--kind", "baby", "--date", "2026-02-03"))
    unknown = kequ("event", "曾经理", "--kind", "divorce", "--date", "2026-02-03")
    assert unknown.code != 0 and "Traceback" not in unknown.err
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM important_date").fetchone() == (0,)


def test_a_lead_beyond_the_limit_names_the_limit_and_saves_nothing(kequ, db_path) -> None:
    from kequ.domain.vocab import MAX_LEAD_DAYS

    kequ("add", "王建军", "--honorific", "王总")
    result = kequ("event", "王总", "--kind", "baby", "--date", "2026-12-01", "--lead", str(MAX_LEAD_DAYS + 1))
    assert result.code == 2 and f"0 到 {MAX_LEAD_DAYS}" in result.err
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM important_date").fetchone() == (0,)
