"""Festival greetings against a real SQLite file: who, in what order, and what is recorded."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kequ.domain.calendar.lunar import FESTIVAL_KEYS
from kequ.domain.records import NewCustomer
from kequ.domain.templates import render
from kequ.domain.vocab import Disc, Formality
from kequ.errors import KequError
from kequ.services.agenda import agenda, set_festival_greetings
from kequ.services.customers import add_customer, add_date
from kequ.services.greetings import (
    GreetRow,
    festival_occurrence,
    greet_list,
    greet_list_json,
    greet_rows,
    greeting_message,
    holiday_dir,
    holiday_problems,
    mark_greeted,
    skip_greeting,
    upcoming_festivals,
)
from tests.conftest import DEMO_TODAY

SPRING_2027 = date(2027, 2, 6)
TODAY = date(2027, 1, 20)


@pytest.fixture
def people(db) -> dict[str, int]:
    rows = [
        NewCustomer(name="赵敏", honorific="赵总", tier="potential", company="华星科技", disc="I"),
        NewCustomer(name="王建国", honorific="王总", tier="key", company="恒瑞机械", disc="D"),
        NewCustomer(name="安然", honorific="安姐", tier="key", disc="S"),
        NewCustomer(name="李想", tier="potential", disc="C"),
        NewCustomer(name="陈普通", tier="regular"),
        NewCustomer(name="孙临时", tier="temporary"),
        NewCustomer(name="钱流失", honorific="钱总", tier="key"),
    ]
    ids = {row.name: add_customer(db, row) for row in rows}
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute("UPDATE customer SET churned = 1 WHERE id = ?", (ids["钱流失"],))
    conn.close()
    return ids


def _stored(path: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_key_customers_first_then_by_name_and_only_the_greeted_tiers(db, people) -> None:
    rows = greet_list(db, "spring_festival", 2027, TODAY)
    # 安 an, 王 wang (key); 李 li, 赵 zhao (potential); regular, one-off and churned left out.
    assert [r.name for r in rows] == ["安然", "王建国", "李想", "赵敏"]
    assert all(r.status == "to_greet" and r.pending for r in rows)
    assert rows[1] == GreetRow(people["王建国"], "王建国", "王总", "恒瑞机械", "key", "D", "to_greet")
    set_festival_greetings(db, tiers=["key", "regular"])
    assert [r.name for r in greet_list(db, "spring_festival", 2027, TODAY)] == ["安然", "王建国", "陈普通"]


def test_sent_and_skipped_are_stored_and_only_the_skipped_is_offered_again(db, people) -> None:
    wang, an = people["王建国"], people["安然"]
    interaction = mark_greeted(db, wang, "spring_festival", SPRING_2027, "王总，新春快乐！", TODAY)
    assert skip_greeting(db, an, "spring_festival", SPRING_2027) is True
    # Read back with plain sqlite3: the rows are really on disk, as the agenda expects them.
    touches = _stored(
        db.path,
        "SELECT customer_id, kind, source_key, occurrence, status FROM touchpoint ORDER BY customer_id",
    )
    assert sorted(touches) == sorted(
        [
            (wang, "festival", "festival:spring_festival", "2027-02-06", "done"),
            (an, "festival", "festival:spring_festival", "2027-02-06", "skipped"),
        ]
    )
    logged = _stored(db.path, "SELECT id, customer_id, kind, notes, touchpoint_id FROM interaction")
    assert len(logged) == 1
    assert logged[0][:4] == (interaction, wang, "festival", "王总，新春快乐！") and logged[0][4] is not None

    rows = greet_list(db, "spring_festival", 2027, TODAY)
    statuses = {r.name: r.status for r in rows}
    assert statuses == {"安然": "skipped", "王建国": "sent", "李想": "to_greet", "赵敏": "to_greet"}
    # Skipped is not sent: a later run offers 安姐 again; only the sent one is done with.
    assert [r.name for r in rows if r.pending] == ["安然", "李想", "赵敏"]
    # Today does not nag about either handled greeting; the others remain.
    due = {i.customer_id for i in agenda(db, SPRING_2027) if i.source_key == "festival:spring_festival"}
    assert due == {people["李想"], people["赵敏"]}
    # Another festival, or the same one next year, is a new occurrence.
    assert {r.status for r in greet_list(db, "new_years_eve", 2027, TODAY)} == {"to_greet"}
    assert {r.status for r in greet_list(db, "spring_festival", 2028, TODAY)} == {"to_greet"}


def test_not_this_year_is_skipped_for_good_and_a_later_skip_or_send_undoes_it(db, people) -> None:
    an, li = people["安然"], people["李想"]
    assert skip_greeting(db, an, "spring_festival", SPRING_2027, not_this_year=True) is True
    skip_greeting(db, li, "spring_festival", SPRING_2027)
    rows = {r.name: r for r in greet_list(db, "spring_festival", 2027, TODAY)}
    assert (rows["安然"].status, rows["安然"].not_this_year, rows["安然"].pending) == ("skipped", True, False)
    assert (rows["李想"].status, rows["李想"].not_this_year, rows["李想"].pending) == ("skipped", False, True)
    assert _stored(db.path, "SELECT reason FROM touchpoint WHERE customer_id = ?", an) == [("not_this_year",)]
    # Next year's 春节 is a new occasion: 安姐 is offered again then.
    assert {r.name: r.pending for r in greet_list(db, "spring_festival", 2028, TODAY)}["安然"] is True
    # Changing one's mind: sending after all clears "not this year".
    mark_greeted(db, an, "spring_festival", SPRING_2027, "安姐，过年好！", TODAY)
    assert _stored(db.path, "SELECT status, reason FROM touchpoint WHERE customer_id = ?", an) == [("done", "")]


def test_marking_again_updates_the_message_and_a_sent_greeting_cannot_be_skipped(db, people) -> None:
    wang = people["王建国"]
    first = mark_greeted(db, wang, "spring_festival", SPRING_2027, "初稿", TODAY)
    again = mark_greeted(db, wang, "spring_festival", SPRING_2027, "改过的祝福", TODAY)
    assert first == again
    assert _stored(db.path, "SELECT notes FROM interaction") == [("改过的祝福",)]
    assert skip_greeting(db, wang, "spring_festival", SPRING_2027) is False
    assert _stored(db.path, "SELECT status FROM touchpoint") == [("done",)]


def test_a_skipped_greeting_can_still_be_sent(db, people) -> None:
    an = people["安然"]
    skip_greeting(db, an, "spring_festival", SPRING_2027)
    mark_greeted(db, an, "spring_festival", SPRING_2027, "安姐，过年好！", TODAY)
    assert _stored(db.path, "SELECT status FROM touchpoint") == [("done",)]
    assert _stored(db.path, "SELECT kind, notes FROM interaction") == [("festival", "安姐，过年好！")]


def test_refuses_unknown_festivals_days_and_customers(db, people) -> None:
    with pytest.raises(KequError) as refused:
        greet_list(db, "easter", 2027, TODAY)
    assert refused.value.key == "input.bad_choice"
    with pytest.raises(KequError) as refused:
        mark_greeted(db, people["王建国"], "spring_festival", date(2027, 2, 7), "", TODAY)
    assert refused.value.key == "festivals_ui.no_occurrence"
    with pytest.raises(KequError) as refused:
        skip_greeting(db, 9999, "spring_festival", SPRING_2027)
    assert refused.value.key == "customer.no_id"
    with pytest.raises(KequError) as refused:
        greet_list(db, "laba", 2023, TODAY)  # 2023 has no 腊八: one fell on 2022-12-30, the next in 2024
    assert "2023" in refused.value.message("zh")
    assert _stored(db.path, "SELECT COUNT(*) FROM touchpoint") == [(0,)]


def test_without_a_year_the_next_occurrence_is_meant(db, people) -> None:
    assert festival_occurrence("spring_festival", None, DEMO_TODAY) == SPRING_2027
    assert festival_occurrence("spring_festival", None, date(2027, 2, 8)) == SPRING_2027  # only just past
    assert festival_occurrence("spring_festival", None, date(2027, 2, 10)) == date(2028, 1, 26)
    mark_greeted(db, people["安然"], "spring_festival", SPRING_2027, "", TODAY)
    assert greet_list_json(db, "spring_festival", None, TODAY)[0]["status"] == "sent"


def test_a_year_with_two_labas_greets_the_one_still_ahead() -> None:
    assert festival_occurrence("laba", 2022, date(2022, 3, 1)) == date(2022, 12, 30)
    assert festival_occurrence("laba", 2022, date(2022, 1, 12)) == date(2022, 1, 10)
    assert festival_occurrence("laba", 2022, date(2023, 1, 5)) == date(2022, 12, 30)


def test_greet_list_json_has_plain_fields_a_status_and_the_message(db, people) -> None:
    mark_greeted(db, people["安然"], "spring_festival", SPRING_2027, "", TODAY)
    skip_greeting(db, people["李想"], "spring_festival", SPRING_2027)
    rows = greet_list_json(db, "spring_festival", 2027, TODAY, "zh")
    message = rows[0].pop("message")
    assert rows[0] == {
        "id": people["安然"],
        "name": "安然",
        "honorific": "安姐",
        "company": "",
        "tier": "key",
        "disc": "S",
        "status": "sent",
        "not_this_year": False,
    }
    assert [r["status"] for r in rows] == ["sent", "to_greet", "skipped", "to_greet"]
    assert "greeted" not in rows[1]
    # Each one's own greeting: 安姐 is S and close (过年好, 家里人); 王总 is D and formal.
    assert message.startswith("安姐，过年好！") and "家里人" in message
    wang = rows[1]["message"]
    assert wang.startswith("王总，新春快乐！") and "生意兴隆" in wang
    # No name in the settings: the signature is left out, with no dash dangling.
    assert all("——" not in text and "{" not in text for text in [message, *(r["message"] for r in rows[1:])])


def test_the_message_is_signed_with_my_name_when_the_settings_have_one(db, people) -> None:
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('my_name', ?)", ('"小李"',))
    conn.close()
    wang = greet_list_json(db, "spring_festival", 2027, TODAY, "zh")[1]
    assert wang["message"].endswith("——小李") and wang["message"].startswith("王总，")
    # 李想 has no 称呼 and is C: the name stands in for it, the signature still closes it.
    li = greet_list_json(db, "spring_festival", 2027, TODAY, "en")[2]
    assert li["message"].startswith("Happy Spring Festival, 李想.") and li["message"].endswith("— 小李")


def test_upcoming_festivals_on_the_demo(demo_db) -> None:
    rows = upcoming_festivals(demo_db, DEMO_TODAY)
    assert [(r.key, r.date.isoformat()) for r in rows] == [
        ("christmas", "2026-12-25"),
        ("new_year", "2027-01-01"),
        ("laba", "2027-01-15"),
        ("new_years_eve", "2027-02-05"),
        ("spring_festival", "2027-02-06"),
        ("lantern", "2027-02-20"),
    ]
    spring = rows[4]
    assert (spring.name, spring.days_left, spring.done) == ("春节", 75, 0)
    assert spring.total == len(greet_list(demo_db, "spring_festival", 2027, DEMO_TODAY)) > 20
    assert spring.in_list and not rows[0].in_list and not rows[2].in_list
    assert spring.holiday.status == "unpublished" and rows[0].holiday.status == "none"

    first = greet_rows(demo_db, "spring_festival", spring.date)[0]
    mark_greeted(demo_db, first.customer_id, "spring_festival", spring.date, "新春快乐", DEMO_TODAY)
    again = {r.key: r for r in upcoming_festivals(demo_db, DEMO_TODAY)}
    assert (again["spring_festival"].done, again["spring_festival"].left) == (1, spring.total - 1)
    assert again["new_years_eve"].done == 0


def test_a_family_in_mourning_is_left_out_of_the_greetings_and_counted(db, people) -> None:
    # 王总's father died in December: no 新春快乐 for him this Spring Festival (守孝).
    add_date(db, people["王建国"], "2026-12-18", lunar=False, kind="bereavement", label="父亲去世")
    # 安姐's loss was more than a year before this Spring Festival: she is greeted again.
    add_date(db, people["安然"], "2026-02-01", lunar=False, kind="bereavement")
    rows = greet_list(db, "spring_festival", 2027, TODAY)
    assert [r.name for r in rows] == ["安然", "李想", "赵敏"]
    assert "王建国" not in {r["name"] for r in greet_list_json(db, "spring_festival", 2027, TODAY)}
    spring = next(r for r in upcoming_festivals(db, TODAY) if r.key == "spring_festival")
    assert (spring.total, spring.mourning, spring.left) == (3, 1, 3)
    # A festival before the loss was greeted as usual (he is on 2026's Mid-Autumn list).
    assert "王建国" in {r.name for r in greet_list(db, "mid_autumn", 2026, date(2026, 9, 1))}
    # Today agrees with the Festivals screen.
    on_today = {i.customer_id for i in agenda(db, TODAY, SPRING_2027) if i.source_key == "festival:spring_festival"}
    assert on_today == {r.customer_id for r in rows}


def test_a_holiday_file_beside_the_database_is_used_and_a_bad_one_reported(demo_db) -> None:
    folder = holiday_dir(demo_db.path)
    folder.mkdir()
    (folder / "cn_2027.toml").write_text(
        'year = 2027\n[[holiday]]\nfestival = "spring_festival"\nfirst = 2027-02-05\nlast = 2027-02-11\n',
        encoding="utf-8",
    )
    spring = next(r for r in upcoming_festivals(demo_db, DEMO_TODAY) if r.key == "spring_festival")
    assert spring.holiday.status == "off" and spring.holiday.period.days == 7
    assert holiday_problems(demo_db.path) == []
    (folder / "broken.toml").write_text("year = 2027\n", encoding="utf-8")
    assert holiday_problems(demo_db.path, "en") == [
        f"The holiday file {folder / 'broken.toml'} was not used: the file has no [[holiday]] entries."
    ]


def test_every_festival_type_and_tone_fills_without_braces() -> None:
    values = {"honorific": "王总", "name": "王建国", "company": "恒瑞", "my_name": "小李", "year": "2027"}
    discs = [*(d.value for d in Disc), None]
    for key, disc, formality, lang in itertools.product(
        FESTIVAL_KEYS, discs, [f.value for f in Formality], ("zh", "en")
    ):
        for given in (values, {"name": "王建国"}):
            text = render(key, disc, formality, lang, given)
            assert text and "{" not in text and "}" not in text, (key, disc, formality, lang, text)
            assert "[[" not in text and "]]" not in text, (key, disc, formality, lang, text)


def test_the_message_follows_the_type_and_the_tone() -> None:
    formal = GreetRow(1, "王建国", "王总", "恒瑞", "key", "D")
    close = GreetRow(2, "王建国", "王哥", "恒瑞", "key", "D")
    nameless = GreetRow(3, "{x}[red]", "", "", "key", None)
    text = greeting_message(formal, "spring_festival", SPRING_2027, "zh")
    assert text.startswith("王总") and text != greeting_message(close, "spring_festival", SPRING_2027, "zh")
    assert text == render("spring_festival", "D", "formal", "zh", {"honorific": "王总", "company": "恒瑞"})
    assert "王哥" in greeting_message(close, "spring_festival", SPRING_2027, "zh")
    # A name is put in literally, braces and brackets included.
    assert "{x}[red]" in greeting_message(nameless, "mid_autumn", date(2027, 9, 15), "en")


def test_womens_day_and_qixi_are_for_those_they_suit_and_the_counts_agree(db) -> None:
    from kequ.services.customers import update_field

    sister = add_customer(db, NewCustomer(name="孙丽", honorific="孙姐", tier="key"))  # guessed woman
    boss = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))  # unknown
    she = add_customer(db, NewCustomer(name="张敏", honorific="张总", tier="key", gender="女"))
    friend = add_customer(db, NewCustomer(name="陈刚", honorific="陈哥", tier="key"))
    update_field(db, friend, "relation_type", "friend")
    update_field(db, boss, "relation_type", "adviser")
    today = date(2027, 3, 1)
    assert {r.customer_id for r in greet_list(db, "womens_day", 2027, today)} == {sister, she}
    assert {r.customer_id for r in greet_list(db, "qixi", 2027, today)} == {friend}
    # Marking a man's 妇女节 greeting (from elsewhere) does not count towards the festival.
    mark_greeted(db, boss, "womens_day", date(2027, 3, 8), "", today)
    womens = next(r for r in upcoming_festivals(db, today) if r.key == "womens_day")
    assert (womens.total, womens.done) == (2, 0)
    # Confirming 孙姐 is a man (a 称呼 can mislead) takes her off the list.
    update_field(db, sister, "gender", "m")
    assert {r.customer_id for r in greet_list(db, "womens_day", 2027, today)} == {she}
