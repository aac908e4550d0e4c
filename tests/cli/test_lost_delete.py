"""``kequ lost`` and ``kequ delete``: the real command on a real file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kequ.storage import clock
from tests.cli.conftest import KEQU, Result
from tests.helpers import stored


def _one_line_refusal(result: Result) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""


@pytest.fixture
def wang(kequ) -> str:
    """王总, a key customer with a birthday in three days: on today's list from the start."""
    added = kequ("add", "王建国", "--honorific", "王总", "--tier", "关键", "--city", "苏州", "--birthday", "1975-11-26")
    assert added.code == 0, added.err
    return added.out.strip()


def test_lost_with_a_chinese_reason_leaves_today_and_undo_brings_back(kequ, wang: str, db_path: Path) -> None:
    assert any(item["customer"] == "王建国" for item in kequ("today", "--days", "7", "--json").json())
    lost = kequ("lost", "王总", "--reason", "价格", "--note", "去了本地的供应商")
    assert lost.code == 0, lost.err
    assert "已标记流失：王总" in lost.out and "价格" in lost.out and "--undo" in lost.out
    assert stored(db_path, "SELECT churned, churn_reason, churn_note, churned_on FROM customer") == [
        (1, "price", "去了本地的供应商", clock.today().isoformat())
    ]
    assert kequ("today", "--days", "7", "--json").json() == []
    assert kequ("festivals", "--greet-list", "spring_festival", "--json").json() == []
    found = kequ("search", "wz", "--json").json()
    assert [(row["name"], row["lost"]) for row in found] == [("王建国", True)]
    assert "（流失）" in kequ("search", "王总").out

    back = kequ("lost", f"#{wang}", "--undo")
    assert back.code == 0, back.err
    assert "已挽回：王总" in back.out
    assert any(item["customer"] == "王建国" for item in kequ("today", "--days", "7", "--json").json())
    assert stored(db_path, "SELECT churned, churn_reason, churned_on FROM customer") == [(0, "", None)]
    # Winning back one who is not lost changes nothing and says so.
    again = kequ("lost", "王总", "--undo", "--json")
    assert again.code == 0 and again.json() == {"id": int(wang), "lost": False, "changed": False}


def test_lost_takes_the_key_or_english_label_and_prints_json(kequ, wang: str) -> None:
    result = kequ("lost", "王总", "--reason", "supplier", "--json")
    assert result.code == 0, result.err
    assert result.json() == {"id": int(wang), "lost": True, "reason": "supplier", "note": ""}
    english = kequ("--lang", "en", "lost", "王总", "--reason", "Cannot be reached")
    assert english.code == 0 and "Marked lost" in english.out and "Cannot be reached" in english.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--reason", "便宜"), "便宜"),  # not a reason: the choices are named
        ((), "--reason"),  # neither a reason nor --undo
        (("--reason", "价格", "--undo"), "--undo"),  # both
    ],
)
def test_lost_refuses_in_one_line_and_changes_nothing(kequ, wang: str, db_path: Path, args, words: str) -> None:
    result = kequ("lost", "王总", *args)
    _one_line_refusal(result)
    assert words in result.err
    assert stored(db_path, "SELECT churned FROM customer") == [(0,)]


def test_delete_with_yes_takes_a_backup_and_removes_everything_of_theirs(kequ, wang: str, db_path: Path) -> None:
    kequ("log", "王总", "--kind", "电话", "--note", "聊了报价")
    kequ("deal", "王总", "--amount", "12800")
    kept = kequ("add", "李娜", "--honorific", "李姐")
    result = kequ("delete", "王总", "--yes", "--json")
    assert result.code == 0, result.err
    done = result.json()
    assert done["deleted"] == int(wang)
    assert done["removed"] == {"interaction": 1, "important_date": 1, "deal": 1}
    backup = Path(done["backup"])
    assert backup.is_file() and backup.parent == db_path.parent / "backups" and "before-delete" in backup.name
    assert stored(db_path, "SELECT id FROM customer") == [(int(kept.out),)]
    for table in ("interaction", "important_date", "deal"):
        assert stored(db_path, f"SELECT count(*) FROM {table}") == [(0,)]
    assert stored(backup, "SELECT name FROM customer ORDER BY id") == [("王建国",), ("李娜",)]

    said = kequ("delete", "李姐", "--yes")
    assert said.code == 0 and "已删除 #" in said.out and "李姐" in said.out and "backups" in said.out
    # Gone is gone: a second try names what is missing.
    _one_line_refusal(kequ("delete", "李姐", "--yes"))


def test_delete_without_a_terminal_refuses_unless_yes(kequ, wang: str, db_path: Path) -> None:
    result = kequ("delete", "王总", stdin="y\n")  # a pipe, not a person: the y is not an answer
    _one_line_refusal(result)
    assert "--yes" in result.err and "王总" in result.err
    assert stored(db_path, "SELECT count(*) FROM customer") == [(1,)]
    assert not list((db_path.parent / "backups").glob("*before-delete*"))


def _on_a_terminal(db_path: Path, answer: str) -> tuple[int, str]:
    """``kequ delete 王总`` with its input on a pseudo-terminal, as a person at the keyboard."""
    primary, secondary = os.openpty()
    environ = {**os.environ, clock.ENV_VAR: clock.today().isoformat()}
    try:
        proc = subprocess.Popen(
            [KEQU, "--db", str(db_path), "delete", "王总"],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )
        os.write(primary, answer.encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(secondary)
        os.close(primary)
    return proc.returncode, out + err


def test_delete_asks_on_a_terminal_and_only_y_deletes(kequ, wang: str, db_path: Path) -> None:
    kequ("log", "王总", "--kind", "visit")
    code, shown = _on_a_terminal(db_path, "\n")  # Enter alone is no
    assert code == 1 and "删除 #" in shown and "1 条联系记录、1 个日期" in shown and "[y/N]" in shown
    assert "没有删除" in shown
    assert stored(db_path, "SELECT count(*) FROM customer") == [(1,)]
    code, shown = _on_a_terminal(db_path, "y\n")
    assert code == 0 and "已删除" in shown
    assert stored(db_path, "SELECT count(*) FROM customer") == [(0,)]
