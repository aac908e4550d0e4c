"""Duplicates against the database and within the file, merging, and all-or-nothing writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

import kequ.exchange.imports.writing as writing
from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.exchange.imports.run import import_file
from kequ.services.customers import add_customer, add_date
from kequ.storage.models import Customer, ImportantDate, Interaction, Touchpoint
from tests.exchange.conftest import count, excel_csv, table_dump

HEADER = ["姓名", "公司", "手机", "微信", "邮箱", "标签", "备注", "生日"]


def _customer(db, customer_id: int) -> Customer:
    with db.session() as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        return row


def _log(db, customer_id: int, times: int, kind: str = "call") -> None:
    with db.session() as session:
        for day in range(1, times + 1):
            moment = datetime(2026, 1, day, 10, tzinfo=UTC)
            session.add(Interaction(customer_id=customer_id, kind=kind, happened_at=moment, notes=f"#{customer_id}"))


def test_duplicates_are_skipped_by_default(db, tmp_path: Path) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", phones=("138-0013-8000",)))
    add_customer(db, NewCustomer(name="李娜", company="云杉贸易"))
    rows = [
        HEADER,
        ["王总", "", "+86 138 0013 8000", "", "", "", "", ""],  # same phone, written differently
        ["李娜", "云杉贸易", "13900001111", "", "", "", "", ""],  # same name and company
        ["赵敏", "", "", "zm_nb", "", "", "", ""],
        ["赵敏（又一行）", "", "", "ZM_NB", "", "", "", ""],  # same WeChat as the row above
        ["王", "", "", "", "", "", "", ""],  # a name alone proves nothing
        ["王", "", "", "", "", "", "", ""],
    ]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))

    assert (report.added, report.skipped, report.merged) == (3, 3, 0)
    found = {(d.line, d.by, d.action, d.customer_id, d.other_line) for d in report.duplicates}
    assert found == {
        (2, "phone", "skipped", wang, None),
        (3, "name_company", "skipped", 2, None),
        (5, "wechat", "skipped", None, 4),
    }
    assert count(db.path) == 5
    assert _customer(db, wang).name == "王建国"  # untouched


def test_merge_fills_empty_fields_and_unites_phones_and_tags(db, tmp_path: Path) -> None:
    wang = add_customer(
        db, NewCustomer(name="王建国", company="恒瑞", phones=("13800138000",), tags=("老客户",), notes="爱喝茶")
    )
    add_date(db, wang, "1968-03-08", lunar=False)
    rows = [
        HEADER,
        ["王建国", "别家", "13800138000，0512-66889900", "wjg", "w@hr.example", "老客户,决策人", "不抽烟", "1968/3/8"],
        ["王建国 2", "", "0512-66889900", "", "", "VIP", "", "八月十五"],  # reaches 王 through the row above
    ]  # fmt: skip
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), on_duplicate="merge")

    assert (report.added, report.merged, report.skipped) == (0, 2, 0)
    assert count(db.path) == 1
    row = _customer(db, wang)
    assert row.company == "恒瑞"  # filled only where empty
    assert (row.wechat, row.email) == ("wjg", "w@hr.example")
    assert row.phones == ["13800138000", "0512-66889900"]
    assert row.tags == ["老客户", "决策人", "VIP"]
    assert row.notes == "爱喝茶\n不抽烟"  # nothing typed in the file is lost
    assert "wjg" in row.search_keys
    with db.session() as session:
        dates = {(d.month, d.day, d.lunar) for d in session.exec(select(ImportantDate))}
    assert dates == {(3, 8, False), (8, 15, True)}  # the same birthday is not added twice


def test_merging_two_existing_customers_keeps_every_interaction(db, tmp_path: Path) -> None:
    first = add_customer(db, NewCustomer(name="王建国", phones=("13800138000",)))
    second = add_customer(db, NewCustomer(name="王总", wechat="wjg", tags=("华东",)))
    third = add_customer(db, NewCustomer(name="小李", honorific="李工"))
    _log(db, first, 2)
    _log(db, second, 3, kind="visit")
    add_date(db, second, "八月十五", lunar=True)
    with db.session() as session:
        referred = session.get(Customer, third)
        referred.referrer_id = second
        day = datetime(2026, 2, 1).date()
        session.add(
            Touchpoint(customer_id=second, kind="call", source_key="cadence:call", occurrence=day, due_date=day)
        )

    rows = [HEADER, ["王建国", "", "13800138000", "wjg", "", "", "", ""]]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), on_duplicate="merge")

    assert report.duplicates[0].customer_id == first and report.duplicates[0].absorbed_ids == (second,)
    assert count(db.path) == 2
    assert count(db.path, "interaction") == 5
    with db.session() as session:
        owners = {row.customer_id for row in session.exec(select(Interaction))}
        assert owners == {first}
        assert {(d.customer_id, d.lunar) for d in session.exec(select(ImportantDate))} == {(first, True)}
        assert {t.customer_id for t in session.exec(select(Touchpoint))} == {first}
        assert session.get(Customer, third).referrer_id == first
    merged = _customer(db, first)
    assert (merged.wechat, merged.tags) == ("wjg", ["华东"])


def test_skip_does_not_merge_existing_customers(db, tmp_path: Path) -> None:
    add_customer(db, NewCustomer(name="王建国", phones=("13800138000",)))
    add_customer(db, NewCustomer(name="王总", wechat="wjg"))
    rows = [HEADER, ["王建国", "", "13800138000", "wjg", "", "", "", ""]]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))
    assert (report.skipped, count(db.path)) == (1, 2)


def test_dry_run_plans_merges_without_doing_them(db, tmp_path: Path) -> None:
    add_customer(db, NewCustomer(name="王建国", phones=("13800138000",)))
    before = table_dump(db.path)
    rows = [HEADER, ["王建国", "恒瑞", "13800138000", "", "", "", "", ""], ["新人", "", "", "", "", "", "", ""]]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), on_duplicate="merge", dry_run=True)
    assert (report.added, report.merged) == (1, 1)
    assert table_dump(db.path) == before


def test_a_constraint_failure_mid_import_leaves_no_new_rows(db, tmp_path: Path, monkeypatch) -> None:
    wang = add_customer(db, NewCustomer(name="王建国", phones=("13800138000",)))
    before = table_dump(db.path)
    real = writing._customer_values
    made: list[int] = []

    def breaks_on_the_third(data, now):
        values = real(data, now)
        made.append(1)
        if len(made) == 3:
            values["tier"] = "vip"  # slips past the checks; the schema's CHECK refuses it
        return values

    monkeypatch.setattr(writing, "_customer_values", breaks_on_the_third)
    rows = [HEADER, ["王建国", "恒瑞", "13800138000", "wjg", "", "", "", ""]]
    rows += [[f"客户{i}", "", f"1390000{i:04d}", "", "", "", "", "1985/6/12"] for i in range(6)]
    with pytest.raises(KequError) as failed:
        import_file(db, excel_csv(tmp_path / "c.csv", rows), on_duplicate="merge")

    assert failed.value.key == "io.import.rolled_back" and "ck_tier_valid" in str(failed.value)
    after = table_dump(db.path)
    assert after == before  # not one new customer, date, or merge into 王建国
    assert _customer(db, wang).wechat == ""


def test_ten_thousand_rows_are_one_transaction_and_quick(db, tmp_path: Path) -> None:
    import time

    rows = [["姓名", "手机", "公司", "生日"]] + [
        [f"客户{i}", f"139{i:08d}", f"公司{i % 300}", f"19{60 + i % 40}/{1 + i % 12}/{1 + i % 28}"]
        for i in range(10_000)
    ]
    path = excel_csv(tmp_path / "big.csv", rows)
    start = time.perf_counter()
    report = import_file(db, path)
    elapsed = time.perf_counter() - start
    assert (report.added, count(db.path), count(db.path, "important_date")) == (10_000, 10_000, 10_000)
    assert elapsed < 10, elapsed
