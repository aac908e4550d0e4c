"""The settings against a real SQLite file: stored, read back, used by the agenda."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.agenda import agenda
from kequ.services.customers import add_customer
from kequ.services.settings import Me, all_settings, get_setting, me, save_settings, set_setting
from kequ.storage.fast_reads.agenda import agenda_and_plan
from tests.conftest import DEMO_TODAY


def test_a_new_book_has_the_defaults(db) -> None:
    assert all_settings(db)["first_touch_cap"] == 15
    assert me(db) == Me("", "")


def test_set_and_read_back_as_stored_json(db) -> None:
    assert set_setting(db, "my_name", " 张伟 ") == "张伟"
    assert set_setting(db, "festival_tiers", "常规，关键") == ("key", "regular")
    assert get_setting(db, "MY_NAME") == "张伟"
    assert get_setting(db, "festival_tiers") == ("key", "regular")
    rows = sqlite3.connect(db.path).execute("SELECT key, value FROM setting").fetchall()
    assert {key: json.loads(value) for key, value in rows} == {"my_name": "张伟", "festival_tiers": ["key", "regular"]}


def test_one_bad_value_saves_none_of_the_changes(db) -> None:
    with pytest.raises(KequError):
        save_settings(db, {"my_name": "张伟", "first_touch_cap": "lots"})
    assert me(db).name == ""
    assert all_settings(db)["first_touch_cap"] == 15


def test_a_value_broken_by_hand_falls_back_to_the_default(db) -> None:
    conn = sqlite3.connect(db.path)
    conn.execute("INSERT INTO setting (key, value) VALUES ('first_touch_cap', 'not json'), ('my_name', '42')")
    conn.commit()
    conn.close()
    assert all_settings(db)["first_touch_cap"] == 15
    assert me(db).name == ""  # 42 is a number, not a name


def test_a_blank_key_is_refused_by_the_schema(db) -> None:
    conn = sqlite3.connect(db.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO setting (key, value) VALUES ('  ', '1')")
    conn.close()


def test_the_daily_cap_is_what_today_plans(db) -> None:
    for n in range(30):
        add_customer(db, NewCustomer(name=f"新客户{n:02d}", tier="regular"))
    assert len(agenda(db, DEMO_TODAY)) == 15
    set_setting(db, "first_touch_cap", "20")
    items, plan = agenda_and_plan(db, DEMO_TODAY, DEMO_TODAY + timedelta(days=1))
    assert [i.due for i in items].count(DEMO_TODAY) == 20
    assert (plan.today, plan.later, plan.cap) == (20, 10, 20)
