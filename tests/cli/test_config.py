"""`kequ config` and the Today line about first touches, through the real command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest


def test_config_lists_every_setting_with_its_value(kequ) -> None:
    result = kequ("config")
    assert result.code == 0, result.err
    for key in ("my_name", "my_signature", "first_touch_cap", "festival_tiers", "festivals"):
        assert key in result.out
    assert "每天首次联系上限" in result.out and "15" in result.out
    assert "关键、潜力" in result.out
    assert "（未设置）" in result.out


def test_set_then_print_one_then_list(kequ) -> None:
    saved = kequ("config", "my_name", "张伟")
    assert saved.code == 0, saved.err
    assert saved.out.strip() == "已设置 我的名字（my_name）：张伟"
    assert kequ("config", "my_name").out == "张伟\n"
    assert kequ("config", "festival_tiers", "关键,常规").code == 0
    assert kequ("config", "festival_tiers").out == "key,regular\n"
    listed = kequ("--lang", "en", "config").out
    assert "张伟" in listed and "Key, Regular" in listed


def test_json_for_all_for_one_and_for_a_change(kequ) -> None:
    everything = kequ("config", "--json").json()
    assert everything["first_touch_cap"] == 15 and everything["festival_tiers"] == ["key", "potential"]
    assert kequ("config", "first_touch_cap", "２０", "--json").json() == {"key": "first_touch_cap", "value": 20}
    assert kequ("config", "first_touch_cap", "--json").json() == {"key": "first_touch_cap", "value": 20}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("name", "张伟"), "错误：没有叫“name”的设置。可以设的有：my_name, my_signature"),
        (("nme",), "错误：没有叫“nme”的设置"),
        (
            ("first_touch_cap", "lots"),
            "错误：每天首次联系上限（first_touch_cap）不能设为“lots”：请写一个整数，1 到 500 之间。",
        ),
        (("first_touch_cap", "0"), "不能设为“0”：请写 1 到 500 之间的数。"),
        (("festival_tiers", "关键,VIP"), "不认识“VIP”"),
        (("my_name", "张" * 41), "最多 40 个字"),
    ],
)
def test_an_unknown_key_or_a_bad_value_is_one_line_and_exit_2(kequ, db_path: Path, args: tuple, says: str) -> None:
    assert kequ("config").code == 0  # the book exists: the refusal must leave it as it was
    result = kequ("config", *args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert says in result.err
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM setting").fetchone()[0] == 0


def test_a_bad_value_in_english(kequ) -> None:
    result = kequ("--lang", "en", "config", "first_touch_cap", "9999")
    assert result.code == 2
    assert "First contacts a day (first_touch_cap) cannot be “9999”: write a number from 1 to 500." in result.err


def _import(kequ, tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    book = tmp_path / "book.csv"
    book.write_text("姓名,级别\n" + "".join(f"{name},{tier}\n" for name, tier in rows), encoding="utf-8")
    imported = kequ("import", str(book))
    assert imported.code == 0, imported.err


def test_today_spreads_an_import_and_says_so(kequ, tmp_path: Path) -> None:
    # 827 new customers on Monday 2026-11-23: 15 today, 812 on the coming working days.
    rows = [(f"客户{n:03d}", "关键" if n < 20 else "普通") for n in range(827)]
    _import(kequ, tmp_path, rows)
    shown = kequ("today")
    assert shown.code == 0, shown.err
    assert "新客户：今天安排 15 位首次联系，其余 812 位已排到后面的工作日" in shown.out
    due = kequ("today", "--json").json()
    assert len({item["customer_id"] for item in due}) == 15
    assert {item["tier"] for item in due} == {"key"}  # key customers first
    english = kequ("--lang", "en", "today").out
    assert "New customers: 15 first contacts today, the other 812 planned over the coming working days" in english


def test_today_follows_the_cap_and_is_silent_without_newcomers(kequ, tmp_path: Path) -> None:
    assert "新客户" not in kequ("today").out
    _import(kequ, tmp_path, [(f"客户{n:02d}", "普通") for n in range(30)])
    assert kequ("config", "first_touch_cap", "25").code == 0
    assert "今天安排 25 位首次联系，其余 5 位" in kequ("today").out
    # A Saturday: nobody today, all on the coming working days.
    assert "新客户：30 位首次联系已排到后面的工作日" in kequ("today", "--date", "2026-11-28").out
    assert json.loads(kequ("today", "--date", "2026-11-28", "--json").out) == []
