"""``kequ note [CUSTOMER] TEXT``: one line logged and planned, --dry-run, --json, questions."""

from __future__ import annotations

import pytest

from tests.helpers import stored


def _book(kequ) -> tuple[int, int, int]:
    wang = kequ("add", "王建国", "--honorific", "王总", "--json").json()["id"]
    first = kequ("add", "陈明", "--honorific", "陈总", "--company", "恒瑞", "--json").json()["id"]
    second = kequ("add", "陈刚", "--honorific", "陈总", "--company", "锐芯", "--json").json()["id"]
    return wang, first, second


def test_the_customer_in_the_text_is_logged_and_planned_in_the_issue_json_shape(kequ, db_path) -> None:
    wang, _, _ = _book(kequ)
    result = kequ("note", "今天电话里王总说要样品，下周三下午3点上门", "--json")
    assert result.code == 0, result.err
    assert result.json() == {
        "customer_id": wang,
        "logged": {"kind": "call", "date": "2026-11-23"},
        "next": {"kind": "visit", "date": "2026-12-02", "time": "15:00"},
        "note": "今天电话里王总说要样品，下周三下午3点上门",
    }
    assert stored(db_path, "SELECT customer_id, kind, notes FROM interaction") == [
        (wang, "call", "今天电话里王总说要样品，下周三下午3点上门")
    ]
    assert stored(db_path, "SELECT customer_id, kind, due_date, due_time, status, reason FROM touchpoint") == [
        (wang, "visit", "2026-12-02", "15:00", "planned", "今天电话里王总说要样品，下周三下午3点上门")
    ]
    # What is planned is on the agenda of that day.
    due = kequ("today", "--date", "2026-12-02", "--json").json()
    assert [(item["customer_id"], item["kind"]) for item in due if item["source"].startswith("manual")] == [
        (wang, "visit")
    ]


@pytest.mark.frozen_at("2026-12-01 09:00")
def test_the_customer_given_first_and_the_day_it_is_said(kequ, db_path) -> None:
    wang, _, _ = _book(kequ)
    result = kequ("note", "王总", "打了电话，下周三再约", "--date", "2026-11-29")
    assert result.code == 0, result.err
    # Said on a Sunday: 下周三 is three days later. Said on another day than today, the
    # days are named by their dates, not "今天" relative to that day.
    assert result.out.splitlines() == [
        "已记录：电话 王总（王建国） 11月29日（周日）",
        "已安排下一步：拜访 王总（王建国） 12月2日（周三）",
    ]
    assert stored(db_path, "SELECT kind, due_date FROM touchpoint WHERE customer_id = ?", wang) == [
        ("visit", "2026-12-02")
    ]
    assert stored(db_path, "SELECT date(happened_at, 'localtime') FROM interaction") == [("2026-11-29",)]


def test_dry_run_writes_nothing_and_says_what_would_be_saved(kequ, db_path) -> None:
    _book(kequ)
    result = kequ("note", "王总", "今天电话，下周三上门", "--dry-run")
    assert result.code == 0, result.err
    assert (
        result.out.strip() == "试读（没有保存），将会记一笔：电话 王总（王建国） 今天 ｜ 下一步：拜访 12月2日（周三）"
    )
    as_json = kequ("note", "王总", "今天电话，下周三上门", "--dry-run", "--json").json()
    assert as_json["next"] == {"kind": "visit", "date": "2026-12-02", "time": None}
    assert stored(db_path, "SELECT count(*) FROM interaction") == [(0,)]
    assert stored(db_path, "SELECT count(*) FROM touchpoint") == [(0,)]


def test_a_line_with_neither_contact_nor_step_goes_to_the_notes(kequ, db_path) -> None:
    wang, _, _ = _book(kequ)
    result = kequ("note", "王总说价格太高", "--json")
    assert result.json() == {"customer_id": wang, "logged": None, "next": None, "note": "王总说价格太高"}
    assert stored(db_path, "SELECT notes FROM customer WHERE id = ?", wang) == [("2026-11-23 王总说价格太高",)]
    kequ("note", "王总", "老家在宁波")
    assert stored(db_path, "SELECT notes FROM customer WHERE id = ?", wang) == [
        ("2026-11-23 王总说价格太高\n2026-11-23 老家在宁波",)
    ]


def test_two_customers_of_one_name_are_a_question_with_the_choices(kequ, db_path) -> None:
    _, first, second = _book(kequ)
    result = kequ("note", "陈总打了电话", stdin="")
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert f"#{first} 陈总（陈明）" in line and f"#{second} 陈总（陈刚）" in line and "请用编号指定" in line
    assert stored(db_path, "SELECT count(*) FROM interaction") == [(0,)]
    # The id settles it.
    assert kequ("note", f"#{second}", "陈总打了电话", "--json").json()["customer_id"] == second


def test_two_readings_of_a_day_are_a_question(kequ, db_path) -> None:
    _book(kequ)
    # 2026-11-25 is a Wednesday: 周三 is today or next week.
    result = kequ("note", "王总", "周三上门", "--date", "2026-11-25", stdin="")
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "2026-11-25（今天）" in line and "2026-12-02（12月2日（周三））" in line
    assert stored(db_path, "SELECT count(*) FROM touchpoint") == [(0,)]


def test_what_is_not_understood_is_said_and_the_rest_saved(kequ, db_path) -> None:
    _book(kequ)
    result = kequ("note", "王总", "发了微信，过几天再联系")
    assert result.code == 0
    assert "没看懂：“过几天”没说是哪天。整句话已原样存为备注。" in result.err
    assert result.out.strip() == "已记录：消息 王总（王建国） 今天"
    assert stored(db_path, "SELECT kind FROM interaction") == [("message",)]
    assert stored(db_path, "SELECT count(*) FROM touchpoint") == [(0,)]


def test_refusals_are_one_line_with_exit_2(kequ) -> None:
    _book(kequ)
    nobody = kequ("note", "明天上门")
    assert nobody.code == 2 and len(nobody.err.splitlines()) == 1 and "没有认出客户" in nobody.err
    empty = kequ("note", "  ")
    assert empty.code == 2 and "没有写内容" in empty.err
    unknown_id = kequ("note", "#99", "明天上门")
    assert unknown_id.code == 2 and "没有编号为 #99 的客户" in unknown_id.err


def test_a_planned_day_already_taken_moves_on_and_says_so(kequ, db_path) -> None:
    wang, _, _ = _book(kequ)
    kequ("note", "王总", "下周三上门")
    result = kequ("note", "王总", "下周三打给他", "--json")
    assert result.json()["next"] == {"kind": "call", "date": "2026-12-03", "time": None}
    plain = kequ("note", "王总", "下周三发微信")
    assert "已安排下一步：消息 王总（王建国） 12月4日（周五）（12月2日（周三） 已有安排，放在了这天）" in plain.out
    assert stored(db_path, "SELECT due_date FROM touchpoint WHERE customer_id = ? ORDER BY due_date", wang) == [
        ("2026-12-02",),
        ("2026-12-03",),
        ("2026-12-04",),
    ]


def test_in_english(kequ) -> None:
    _book(kequ)
    result = kequ("--lang", "en", "note", "王总", "今天电话，下周三上门", "--dry-run")
    assert (
        result.out.strip()
        == "Dry run (nothing saved); it would save: Log: Call with 王总（王建国） today | Next: Visit Wed Dec 2"
    )


def test_in_a_terminal_each_question_is_asked_with_numbered_choices(db, monkeypatch, capsys) -> None:
    from datetime import date

    from kequ.cli.capture import _answer
    from kequ.domain.records import NewCustomer
    from kequ.services.capture import line_reader
    from kequ.services.customers import add_customer

    add_customer(db, NewCustomer(name="陈明", honorific="陈总"))
    second = add_customer(db, NewCustomer(name="陈刚", honorific="陈总"))
    reader = line_reader(db)
    line = reader.read("陈总 周三上门", date(2026, 11, 25))  # a Wednesday
    answers = iter(["2", "1"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    answered = _answer(line, reader.names)
    assert answered.customer_id == second and answered.next_day == date(2026, 11, 25)
    shown = capsys.readouterr().out
    assert "  2. #2 陈总（陈刚）" in shown and "  2. 2026-12-02 12月2日（周三）" in shown
    # Enter alone answers nothing: nothing is saved.
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert _answer(line, reader.names) is None
    # The #编号 shown is taken too; a wrong answer is asked again, three times at most.
    prompts: list[str] = []
    answers = iter(["9", "陈刚", f"#{second}", "3", "x", "0"])

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", typed)
    capsys.readouterr()
    assert _answer(line, reader.names) is None  # the customer on the third try; the day never
    assert prompts[1].startswith("没有这个选项。输入列表里的编号（1、2…）或客户编号（#12）")
    assert len(prompts) == 6 and "客户编号" not in prompts[4]


@pytest.mark.frozen_at("2026-12-06 23:17")
def test_a_date_without_a_year_reads_as_log_reads_it_and_nothing_happens_in_the_future(kequ, db_path) -> None:
    wang, _, _ = _book(kequ)
    # 12-9 said on 6 December: the day the line was said is not still to come, so it is
    # last year's 9 December, as kequ log reads the same text.
    noted = kequ("note", "王总", "今天打了电话", "--date", "12-9", "--json")
    assert noted.code == 0, noted.err
    assert noted.json()["logged"] == {"kind": "call", "date": "2025-12-09"}
    logged = kequ("log", "王总", "--kind", "call", "--date", "12-9", "--json")
    assert logged.json()["date"] == "2025-12-09"
    plain = kequ("note", "王总", "今天打了电话，明天再约", "--date", "12-9", "--dry-run")
    assert plain.out.strip() == (
        "试读（没有保存），将会记一笔：电话 王总（王建国） 2025年12月9日（周二） ｜ 下一步：拜访 2025年12月10日（周三）"
    )
    # A day to come, with its year: refused as kequ log refuses it, dry run or not.
    for extra in ((), ("--dry-run",)):
        future = kequ("note", "王总", "今天打了电话", "--date", "2026-12-09", *extra)
        assert future.code == 2 and future.err.strip() == "错误：不能记录未来的联系；要安排以后的事，请用推迟或计划。"
    assert kequ("log", "王总", "--kind", "call", "--date", "2026-12-09").code == 2
    assert stored(db_path, "SELECT date(happened_at, 'localtime') FROM interaction WHERE customer_id = ?", wang) == [
        ("2025-12-09",),
        ("2025-12-09",),
    ]


def test_a_name_not_in_the_book_says_so_and_offers_the_close_ones_and_the_id_form_works(kequ, db_path) -> None:
    director = kequ("add", "王建国", "--honorific", "王总监", "--json").json()["id"]
    result = kequ("note", "王总明天拜访")
    assert result.code == 2
    assert result.err.strip() == (
        f"错误：没找到「王总」。是不是：王总监（王建国） #{director}？把称呼写全，或以编号开头，如 #{director} …"
    )
    # The #编号 form the refusals suggest, inside the one quoted line.
    by_id = kequ("note", f"#{director} 明天电话", "--json")
    assert by_id.code == 0, by_id.err
    assert by_id.json()["customer_id"] == director and by_id.json()["next"]["date"] == "2026-11-24"
    unknown = kequ("note", "#99 明天电话")
    assert unknown.code == 2 and "kequ note '#12 下周三上门'" in unknown.err
    assert stored(db_path, "SELECT customer_id, due_date FROM touchpoint") == [(director, "2026-11-24")]


def test_a_dry_run_speaks_in_the_conditional_and_takes_no_backup(kequ, db_path) -> None:
    from kequ.storage.backups import list_backups

    _book(kequ)
    for copy in list_backups(db_path):  # today's copy, taken by the adds
        copy.unlink()
    result = kequ("note", "王总", "发了微信，过几天再联系", "--dry-run")
    assert result.code == 0, result.err
    assert result.out.strip() == "试读（没有保存），将会记一笔：消息 王总（王建国） 今天 ｜ 没看懂：“过几天”没说是哪天"
    assert "保存时整句话将原样存为备注" in result.err and "已原样存为备注" not in result.err
    assert list_backups(db_path) == []
    assert kequ("note", "王总", "发了微信").code == 0
    assert len(list_backups(db_path)) == 1  # a real note takes the day's copy


def test_the_questions_in_english(kequ) -> None:
    _book(kequ)
    seven = kequ("--lang", "en", "note", "王总", "明天7点打给他", stdin="")
    assert seven.code == 2 and '"明天7点" could be 07:00 or 19:00.' in seven.err
    two = kequ("--lang", "en", "note", "陈总打了电话", stdin="")
    assert two.code == 2 and '"陈总" matches several customers:' in two.err


def test_a_second_next_step_is_said_not_planned(kequ, db_path) -> None:
    _book(kequ)
    result = kequ("note", "王总", "明天打电话，下周三上门")
    assert result.code == 0, result.err
    assert "第二个下一步（拜访 “下周三”）没有安排：一句话只安排一个下一步" in result.err
    assert stored(db_path, "SELECT kind, due_date FROM touchpoint") == [("call", "2026-11-24")]
