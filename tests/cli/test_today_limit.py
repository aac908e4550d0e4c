"""``kequ today`` prints the first rows of a long agenda and says how many more there are."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def book_of_130(kequ, tmp_path: Path) -> None:
    # 130 new customers: their first calls are spread over the coming working days, so a
    # month's window owes more than the table's default 100 rows.
    book = tmp_path / "book.csv"
    book.write_text("姓名,级别\n" + "".join(f"客户{n:03d},普通\n" for n in range(130)), encoding="utf-8")
    assert kequ("import", str(book)).code == 0


def _rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if "客户" in line and "│" in line]


def test_the_table_stops_at_100_rows_and_says_how_many_more(kequ, book_of_130) -> None:
    every = kequ("today", "--days", "30", "--json").json()
    assert len(every) > 100  # --json alone lists them all: a script reads what it asked for
    shown = kequ("today", "--days", "30")
    assert shown.code == 0, shown.err
    assert len(_rows(shown.out)) == 100
    assert f"（{len(every)} 项）" in shown.out  # the title counts them all
    assert f"只列出了前 100 项，还有 {len(every) - 100} 项；用 --all 全部列出" in shown.out


def test_all_and_limit_choose_how_many(kequ, book_of_130) -> None:
    every = kequ("today", "--days", "30", "--json").json()
    everything = kequ("today", "--days", "30", "--all")
    assert everything.code == 0
    assert len(_rows(everything.out)) == len(every)
    assert "只列出了前" not in everything.out
    three = kequ("--lang", "en", "today", "--days", "30", "--limit", "3")
    assert len(_rows(three.out)) == 3
    assert f"Only the first 3 are listed; {len(every) - 3} more." in three.out
    first = kequ("today", "--days", "30", "--limit", "2", "--json").json()
    assert first == every[:2]


def test_a_short_agenda_prints_whole_with_no_more_line(kequ) -> None:
    kequ("add", "王建国", "--tier", "key")
    shown = kequ("today", "--limit", "5")
    assert shown.code == 0 and "王建国" in shown.out
    assert "只列出了前" not in shown.out


@pytest.mark.parametrize("value", ["0", "-1", "lots", "²"])
def test_a_bad_limit_is_refused_in_one_line(kequ, value: str) -> None:
    refused = kequ("today", "--limit", value)
    assert refused.code == 2
    assert len(refused.err.strip().splitlines()) == 1
    assert value in refused.err and "项数" in refused.err


def test_limit_and_all_together_are_refused(kequ) -> None:
    refused = kequ("today", "--limit", "3", "--all")
    assert refused.code == 2
    said = refused.err.strip().splitlines()[-1]  # under the usage line, as every argparse refusal
    assert "--all 和 --limit 不能一起用" in said
    assert "not allowed" not in said


def test_a_full_width_limit_is_read_as_typed(kequ) -> None:
    kequ("add", "王建国", "--tier", "key")
    assert kequ("today", "--limit", "２").code == 0
