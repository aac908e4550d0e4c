"""A greeting run reads its people a page at a time: the same people, in the same order,
with the same counts and the same handled ones as the whole list (``greet_rows``)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kequ.domain.records import NewCustomer
from kequ.services import greetings
from kequ.services.customers import add_customer, add_date
from kequ.services.greetings import TO_GREET, greet_rows, greet_run, mark_greeted, skip_greeting

TODAY = date(2027, 1, 20)
SPRING = date(2027, 2, 6)
WOMENS = date(2027, 3, 8)
NAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏"


@pytest.fixture
def book(db) -> dict[str, int]:
    """Thirty customers of every greeted and not greeted tier, some women, one churned, one in
    mourning; some sent, skipped or put off for the Spring Festival."""
    tiers = ("key", "regular", "potential", "temporary")
    ids = {}
    for i, surname in enumerate(NAMES):
        honorific = f"{surname}姐" if i % 4 == 0 else f"{surname}总"
        ids[surname] = add_customer(db, NewCustomer(name=f"{surname}明", honorific=honorific, tier=tiers[i % 4]))
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE customer SET churned = 1 WHERE id = ?", (ids["钱"],))
    conn.close()
    add_date(db, ids["周"], "2026-12-18", lunar=False, kind="bereavement")  # in mourning at the Spring Festival
    mark_greeted(db, ids["赵"], "spring_festival", SPRING, "新春快乐", TODAY)
    skip_greeting(db, ids["孙"], "spring_festival", SPRING)  # offered again, after the others
    skip_greeting(db, ids["冯"], "spring_festival", SPRING, not_this_year=True)  # not offered again
    skip_greeting(db, ids["韩"], "spring_festival", SPRING)
    mark_greeted(db, ids["吴"], "womens_day", WOMENS, "", TODAY)  # not a woman's: not counted
    return ids


def _pending(rows: list[greetings.GreetRow]) -> list[greetings.GreetRow]:
    """The run's order as the screen made it from the whole list: the never looked at first."""
    return [r for r in rows if r.pending and r.status == TO_GREET] + [
        r for r in rows if r.pending and r.status != TO_GREET
    ]


@pytest.mark.parametrize(("festival", "day"), [("spring_festival", SPRING), ("womens_day", WOMENS)])
def test_a_run_read_a_page_at_a_time_offers_what_the_whole_list_offers(db, book, monkeypatch, festival, day) -> None:
    monkeypatch.setattr(greetings, "RUN_PAGE", 3)  # a page of the address book holds one or two greeted
    everyone = greet_rows(db, festival, day)
    run = greet_run(db, festival, day)
    assert run.total == len(everyone)
    assert run.handled == [row for row in everyone if row.status != TO_GREET]
    wanted = _pending(everyone)
    assert len(run.pending) == len(wanted) > 3
    assert list(run.pending) == wanted
    assert run.pending[-1] == wanted[-1] and run.pending == wanted


def test_the_run_reads_only_its_first_page_to_open(db, book, monkeypatch) -> None:
    monkeypatch.setattr(greetings, "RUN_PAGE", 3)
    run = greet_run(db, "spring_festival", SPRING)
    read = list(run.pending._read)
    assert 0 < len(read) < len(run.pending)
    wanted = _pending(greet_rows(db, "spring_festival", SPRING))
    assert read == wanted[: len(read)]
    # Who was skipped is offered again, last: 孙 and 韩; not 冯, put off, nor 赵, sent, nor 周, in
    # mourning, nor 钱, churned.
    assert {row.customer_id for row in run.pending[-2:]} == {book["孙"], book["韩"]}
    assert {book["赵"], book["冯"], book["周"], book["钱"]}.isdisjoint(row.customer_id for row in run.pending)


def test_a_run_with_nobody_to_greet_is_empty(db) -> None:
    add_customer(db, NewCustomer(name="孙临时", tier="temporary"))
    run = greet_run(db, "spring_festival", SPRING)
    assert run.total == 0 and run.handled == [] and len(run.pending) == 0 and run.pending == []
    with pytest.raises(IndexError):
        run.pending[0]


def test_a_run_opens_without_the_orm(db_path, demo_db) -> None:
    from kequ.services.customer_list import find_ids
    from tests.helpers import orm_loaded_after

    find_ids(demo_db)  # the search rows a write left stale, filled as the app's first screens would
    read = "len(g.greet_run(db, 'spring_festival', date(2027, 2, 6)).pending) > 0"
    assert orm_loaded_after(db_path, "from kequ.services import greetings as g", read) == []
