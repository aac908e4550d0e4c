"""``kequ festivals --greet-list`` prints the first rows of a long list and says how many more,
as ``kequ today`` does (the same --limit / --all, the same default and the same last line)."""

from __future__ import annotations

from pathlib import Path

import pytest

KEY_CUSTOMERS = 130


@pytest.fixture
def key_customers(kequ, tmp_path: Path) -> None:
    """130 key customers: every one of them is greeted for the Spring Festival."""
    lines = ["姓名,级别", *(f"客户{n:03d},关键" for n in range(KEY_CUSTOMERS))]
    book = tmp_path / "key.csv"
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported = kequ("import", str(book))
    assert imported.code == 0, imported.err


def _listed(out: str) -> int:
    """How many customers the table shows (a row holds one name, between its borders)."""
    return sum(1 for line in out.splitlines() if line.startswith("│") and "客户" in line)


def _greet(kequ, *extra: str):  # type: ignore[no-untyped-def]
    return kequ("festivals", "--greet-list", "spring_festival", *extra)


def test_the_table_stops_at_100_rows_and_says_how_many_more(kequ, key_customers) -> None:
    every = _greet(kequ, "--json").json()
    assert len(every) == 130  # --json alone lists them all: a script reads what it asked for
    shown = _greet(kequ)
    assert shown.code == 0, shown.err
    assert _listed(shown.out) == 100
    assert "（130 位）" in shown.out  # the title counts them all
    assert "只列出了前 100 项，还有 30 项；用 --all 全部列出" in shown.out


def test_all_and_limit_choose_how_many(kequ, key_customers) -> None:
    every = _greet(kequ, "--json").json()
    everything = _greet(kequ, "--all")
    assert everything.code == 0
    assert _listed(everything.out) == 130
    assert "只列出了前" not in everything.out
    three = kequ("--lang", "en", "festivals", "--greet-list", "spring_festival", "--limit", "3")
    assert _listed(three.out) == 3
    assert "Only the first 3 are listed; 127 more." in three.out
    # In --json, --limit gives the same first rows, each with its message.
    first = _greet(kequ, "--limit", "2", "--json").json()
    assert first == every[:2]
    assert all(row["message"] for row in first)


def test_a_short_list_prints_whole_with_no_more_line(kequ) -> None:
    kequ("add", "王建国", "--tier", "key")
    shown = _greet(kequ, "--limit", "5")
    assert shown.code == 0 and "王建国" in shown.out
    assert "只列出了前" not in shown.out


@pytest.mark.parametrize("value", ["0", "-1", "lots"])
def test_a_bad_limit_is_refused_in_one_line(kequ, value: str) -> None:
    refused = _greet(kequ, "--limit", value)
    assert refused.code == 2
    assert len(refused.err.strip().splitlines()) == 1
    assert value in refused.err and "项数" in refused.err


def test_limit_and_all_together_are_refused(kequ) -> None:
    refused = _greet(kequ, "--limit", "3", "--all")
    assert refused.code == 2
    assert "--all 和 --limit 不能一起用" in refused.err.strip().splitlines()[-1]
