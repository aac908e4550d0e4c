"""``kequ duplicates`` and ``kequ merge``, the real command on a real file."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
from pathlib import Path

import pytest

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.storage import clock
from tests.cli.conftest import KEQU, Result


@pytest.fixture
def twins(db) -> tuple[int, int]:
    """王总 twice: from the phone's contacts and from a sheet, with contacts of their own.
    Made in-process, quicker than three more runs of kequ; the commands under test run for real."""
    keep = add_customer(
        db, NewCustomer(name="王建国", honorific="王总", company="恒瑞", phones=("13800138000",), tier="key")
    )
    drop = add_customer(db, NewCustomer(name="王建国", company="恒瑞集团", phones=("+86 138-0013-8000",), wechat="wjg"))
    log_interaction(db, keep, "call", clock.today(), "谈了报价")
    log_interaction(db, drop, "visit", clock.today(), "看了样品")
    log_interaction(db, drop, "call", clock.today())
    return keep, drop


def rows(db_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def backups(db_path: Path) -> list[Path]:
    return sorted((db_path.parent / "backups").glob("*before-merge*.db"))


def test_duplicates_lists_the_pair_with_its_merge_command(kequ, twins) -> None:
    keep, drop = twins
    assert kequ("add", "李娜", "--company", "鼎盛").code == 0  # alone: no pair
    listed = kequ("duplicates", "--json")
    assert listed.code == 0, listed.err
    assert listed.json() == [
        {
            "keep": {"id": keep, "name": "王建国", "honorific": "王总", "company": "恒瑞", "city": ""},
            "drop": {"id": drop, "name": "王建国", "honorific": "", "company": "恒瑞集团", "city": ""},
            "by": ["phone", "name_other_company"],
            "merge": f"kequ merge {keep} {drop}",
        }
    ]  # the one added first is offered as the one to keep
    table = kequ("duplicates")
    assert table.code == 0 and f"kequ merge {keep} {drop}" in table.out and "同一电话" in table.out


def test_duplicates_says_so_when_there_are_none(kequ, db) -> None:
    add_customer(db, NewCustomer(name="李娜"))
    assert kequ("duplicates", "--json").json() == []
    assert "没有发现可能重复的客户" in kequ("duplicates").out


def test_merge_with_yes_shows_the_conflicts_merges_and_leaves_a_backup(kequ, db_path: Path, twins) -> None:
    keep, drop = twins
    result = kequ("merge", str(keep), str(drop), "--take", "公司", "--yes")
    assert result.code == 0, result.err
    shown = result.out
    assert shown.index("恒瑞集团") < shown.index("已合并")  # the conflicts come before the deed
    assert "等级" in shown and "关键" in shown and "常规" in shown  # key beside regular, side by side
    assert rows(db_path, "SELECT id, company, tier, wechat FROM customer") == [(keep, "恒瑞集团", "key", "wjg")]
    assert rows(db_path, "SELECT DISTINCT customer_id FROM interaction") == [(keep,)]
    assert rows(db_path, "SELECT count(*) FROM interaction") == [(3,)]
    [backup] = backups(db_path)
    assert str(backup) in shown
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM customer").fetchone() == (2,)


def test_merge_json_says_what_moved_and_what_was_chosen(kequ, db_path: Path, twins) -> None:
    keep, drop = twins
    result = kequ("merge", "王总", str(drop), "--yes", "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["kept"]["id"] == keep and report["dropped"]["id"] == drop
    assert report["moved"] == {"interaction": 2}
    assert Path(report["backup"]) == backups(db_path)[0]
    chosen = {c["field"]: (c["kept"], c["dropped"], c["chosen"]) for c in report["conflicts"]}
    assert chosen == {"company": ("恒瑞", "恒瑞集团", "kept"), "tier": ("关键", "常规", "kept")}
    assert "恒瑞集团" in result.err  # the conflicts were shown, on stderr: stdout is the JSON alone


def test_merge_refuses_without_a_terminal_and_without_yes(kequ, db_path: Path, twins) -> None:
    keep, drop = twins
    before = rows(db_path, "SELECT * FROM customer")
    result = kequ("merge", str(keep), str(drop))  # stdin is not a terminal here
    assert result.code == 2
    assert result.out == "" and len(result.err.strip().splitlines()) == 1
    assert "--yes" in result.err
    assert rows(db_path, "SELECT * FROM customer") == before
    assert backups(db_path) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("1", "1"), "同一位客户"),
        (("1", "99"), "没有编号为 99"),
        (("1", "2", "--take", "鞋码"), "鞋码"),
        (("王建国", "2"), "有 2 位客户叫"),
    ],
)
def test_merge_refusals_are_one_line_and_change_nothing(kequ, db_path: Path, twins, args, says) -> None:
    before = rows(db_path, "SELECT * FROM customer")
    result = kequ("merge", *args, "--yes")
    assert result.code == 2, result.err
    assert result.out == "" and len(result.err.strip().splitlines()) == 1 and says in result.err
    assert "Traceback" not in result.err
    assert rows(db_path, "SELECT * FROM customer") == before
    assert backups(db_path) == []


def on_a_terminal(db_path: Path, answer: str, *args: str) -> Result:
    """``kequ merge`` with its stdin on a pseudo-terminal, answering the question with ``answer``."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", clock.ENV_VAR: clock.today().isoformat()}
    try:
        os.write(leader, answer.encode() + b"\n")
        proc = subprocess.run(
            [KEQU, "--db", str(db_path), "merge", *args],
            stdin=follower,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return Result(proc)


def test_on_a_terminal_it_asks_first_and_no_keeps_both(db_path: Path, twins) -> None:
    keep, drop = twins
    result = on_a_terminal(db_path, "n", str(keep), str(drop))
    assert result.code == 1
    assert "[y/N]" in result.err and "没有合并" in result.err
    assert "恒瑞集团" in result.out  # the conflicts were shown before the question
    assert rows(db_path, "SELECT count(*) FROM customer") == [(2,)]
    assert backups(db_path) == []


def test_on_a_terminal_a_yes_merges(db_path: Path, twins) -> None:
    keep, drop = twins
    result = on_a_terminal(db_path, "y", str(keep), str(drop))
    assert result.code == 0, result.err
    assert rows(db_path, "SELECT id FROM customer") == [(keep,)]
    assert len(backups(db_path)) == 1
