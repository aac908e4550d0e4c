"""An encrypted book (SQLCipher) through the real ``kequ`` command: nothing readable on the
disk, every command with the right passphrase, one line and exit 2 without it."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kequ.storage import cipher
from tests.cli.conftest import Result

PASS = "蓝色 o'clock 2026"
WITH = {cipher.ENV_VAR: PASS}
HEADER = b"SQLite format 3\x00"
# Demo customers whose names must never be readable in an encrypted file.
NAMES = ("董建国", "罗慧敏", "王婷")


@pytest.fixture(autouse=True)
def _forget_passphrase() -> Iterator[None]:
    cipher.use_passphrase(None)
    yield
    cipher.use_passphrase(None)


def files_of(db_path: Path) -> list[Path]:
    """The book, its WAL if any, and every copy in backups/ (hidden ones too)."""
    found = [p for p in db_path.parent.iterdir() if p.is_file() and p.name.startswith(db_path.name)]
    backups = db_path.parent / "backups"
    return found + (sorted(p for p in backups.iterdir() if p.is_file()) if backups.is_dir() else [])


def assert_unreadable(path: Path) -> None:
    data = path.read_bytes()
    assert HEADER not in data, path
    for name in NAMES:
        assert name.encode("utf-8") not in data, (path, name)
        assert name.encode("utf-16-le") not in data, (path, name)


def rows(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db_path)
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
    tables = [r[0] for r in conn.execute(query)]
    got = {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in tables}
    got["user_version"] = conn.execute("PRAGMA user_version").fetchall()
    conn.close()
    return got


def one_line(result: Result) -> str:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def snapshot(db_path: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in files_of(db_path)}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first test's encrypted book is kept for the others (each gets a copy)."""
    return tmp_path_factory.mktemp("encrypted-template")


@pytest.fixture
def encrypted(kequ, db_path: Path, template: Path) -> Path:
    """The demo book with a manual backup, then encrypted with PASS."""
    import shutil

    if (template / "data").is_dir():
        shutil.rmtree(db_path.parent, ignore_errors=True)
        shutil.copytree(template / "data", db_path.parent, ignore=shutil.ignore_patterns(".*.users"))
        return db_path
    assert kequ("demo").code == 0
    assert kequ("backup").code == 0
    plain = db_path.read_bytes()
    assert plain.startswith(HEADER) and "董建国".encode() in plain  # so the checks below can fail
    done = kequ("encrypt", env=WITH)
    assert done.code == 0, done.err
    assert "董建国" not in done.out + done.err
    shutil.copytree(db_path.parent, template / "data", ignore=shutil.ignore_patterns(".*.users"))
    return db_path


def test_the_encrypted_book_and_every_backup_hold_no_name_and_no_header(encrypted: Path) -> None:
    files = files_of(encrypted)
    copies = [p for p in files if p.parent.name == "backups"]
    assert len(copies) >= 3  # the daily copy, the manual one, the one before encrypting
    for path in files:
        assert_unreadable(path)
    assert cipher.looks_encrypted(encrypted)


def test_the_right_passphrase_opens_the_book_for_every_command(kequ, encrypted: Path, tmp_path: Path) -> None:
    today = kequ("today", "--json", env=WITH)
    assert today.code == 0, today.err
    assert any(item["customer"] == "董建国" for item in today.json())
    assert kequ("search", "王", "--json", env=WITH).json()[0]["name"] == "王婷"
    added = kequ("add", "陈立新", "--honorific", "陈总", "--phone", "13912345678", "--json", env=WITH)
    assert added.code == 0, added.err
    assert kequ("log", "陈总", "--kind", "电话", "--note", "聊了新报价", env=WITH).code == 0
    assert kequ("complaints", "--json", env=WITH).code == 0
    assert kequ("festivals", "--greet-list", "spring_festival", "--json", env=WITH).code == 0
    assert kequ("search", "报价", "--notes", "--json", env=WITH).code == 0
    # A backup of an encrypted book is encrypted, with the same passphrase.
    out = tmp_path / "elsewhere.db"
    made = kequ("backup", "-o", str(out), env=WITH)
    assert made.code == 0, made.err
    assert_unreadable(out)
    manual = kequ("backup", "--json", env=WITH)
    assert_unreadable(Path(manual.json()["backup"]))
    # Exports are plain files, and say so.
    csv = tmp_path / "list.csv"
    exported = kequ("export", "--format", "csv", "-o", str(csv), env=WITH)
    assert exported.code == 0, exported.err
    assert "陈立新" in csv.read_text(encoding="utf-8-sig")
    assert "没有加密" in exported.err
    # Import into the encrypted book, then the new customer is in it and still unreadable on disk.
    source = tmp_path / "in.csv"
    source.write_text("姓名,公司\n林海峰,厦门远航\n", encoding="utf-8")
    imported = kequ("import", str(source), env=WITH)
    assert imported.code == 0, imported.err
    assert kequ("search", "林海峰", "--json", env=WITH).json()[0]["name"] == "林海峰"
    for path in files_of(encrypted):
        assert "陈立新".encode() not in path.read_bytes() and "林海峰".encode() not in path.read_bytes()
        assert HEADER not in path.read_bytes()
    # Restore from the newest backup: the book is encrypted still.
    restored = kequ("restore", "--latest", "--json", env=WITH)
    assert restored.code == 0, restored.err
    assert_unreadable(encrypted)
    assert kequ("search", "陈立新", "--json", env=WITH).json()[0]["name"] == "陈立新"


@pytest.mark.parametrize("env", [{}, {cipher.ENV_VAR: "wrong"}], ids=["missing", "wrong"])
@pytest.mark.parametrize(
    "args",
    [
        (),
        ("today",),
        ("add", "陈立新"),
        ("backup",),
        ("export", "--format", "csv"),
        ("restore", "--latest"),
        ("decrypt",),
        ("passphrase",),
        ("complaint", "董建国"),
    ],
    ids=lambda a: " ".join(a) or "app",
)
def test_a_wrong_or_missing_passphrase_is_one_line_exit_2_and_nothing_written(
    kequ, encrypted: Path, env: dict[str, str], args: tuple[str, ...]
) -> None:
    before = snapshot(encrypted)
    result = kequ(*args, env={**env, "KEQU_NEW_PASSPHRASE": "another"}, stdin="")
    line = one_line(result)
    assert ("口令不对" if env else "KEQU_PASSPHRASE") in line
    assert result.out == ""
    assert snapshot(encrypted) == before


def test_the_refusal_in_english(kequ, encrypted: Path) -> None:
    line = one_line(kequ("--lang", "en", "today", env={cipher.ENV_VAR: "nope"}))
    assert "Wrong passphrase" in line
    line = one_line(kequ("--lang", "en", "today"))
    assert "needs its passphrase" in line and "KEQU_PASSPHRASE" in line


def test_decrypt_brings_back_the_same_rows(kequ, db_path: Path) -> None:
    assert kequ("demo").code == 0
    before = rows(db_path)
    assert kequ("encrypt", env=WITH).code == 0
    assert_unreadable(db_path)
    back = kequ("decrypt", env=WITH)
    assert back.code == 0, back.err
    assert rows(db_path) == before
    for path in files_of(db_path):
        assert path.read_bytes()[:16] == HEADER, path  # the copies are plain again too
    assert kequ("today").code == 0  # and no passphrase is asked any more


def test_a_new_passphrase_opens_the_book_and_its_copies_and_the_old_one_does_not(kequ, encrypted: Path) -> None:
    changed = kequ("passphrase", env={**WITH, "KEQU_NEW_PASSPHRASE": "新口令-2027"})
    assert changed.code == 0, changed.err
    assert "口令不对" in one_line(kequ("today", env=WITH))
    new = {cipher.ENV_VAR: "新口令-2027"}
    assert kequ("today", env=new).code == 0
    for path in files_of(encrypted):
        assert_unreadable(path)
    # restore --latest reads the copies with the new passphrase
    assert kequ("restore", "--latest", env=new).code == 0


def test_encrypt_refuses_twice_and_decrypt_a_plain_book(kequ, encrypted: Path, db_path: Path) -> None:
    assert "已经是加密的" in one_line(kequ("encrypt", env=WITH))
    assert kequ("decrypt", env=WITH).code == 0
    assert "没有加密" in one_line(kequ("decrypt", env=WITH))


def test_encrypt_without_a_passphrase_to_be_had_changes_nothing(kequ, db_path: Path) -> None:
    assert kequ("demo").code == 0
    before = db_path.read_bytes()
    assert "KEQU_PASSPHRASE" in one_line(kequ("encrypt", stdin=""))
    assert db_path.read_bytes() == before


def test_a_text_file_is_still_not_taken_for_an_encrypted_book(kequ, db_path: Path) -> None:
    db_path.write_text("客户名单\n王总 13800000000\n", encoding="utf-8")
    assert "不是客情数据库" in one_line(kequ("today", env=WITH))


def test_the_passphrase_is_kept_in_the_keyring_with_remember(kequ, db_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "keyring.json"
    ring = {"PYTHON_KEYRING_BACKEND": "tests.cli.file_keyring.FileKeyring", "KEQU_TEST_KEYRING": str(store)}
    ring["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    assert kequ("demo").code == 0
    done = kequ("encrypt", "--remember", env={**WITH, **ring})
    assert done.code == 0, done.err
    # The keyring keeps the book's key, never the passphrase (which may open other things).
    kept = store.read_text(encoding="utf-8")
    assert PASS not in kept
    assert re.search(r"x'[0-9a-f]{96}'", kept)
    # No KEQU_PASSPHRASE, no terminal: the keyring answers.
    today = kequ("today", "--json", env=ring)
    assert today.code == 0, today.err
    assert kequ("passphrase", "--forget", env=ring).code == 0
    assert "KEQU_PASSPHRASE" in one_line(kequ("today", env=ring))


def test_a_remembered_key_follows_a_new_passphrase_and_an_old_kept_passphrase_still_opens(
    kequ, db_path: Path, tmp_path: Path
) -> None:
    store = tmp_path / "keyring.json"
    ring = {"PYTHON_KEYRING_BACKEND": "tests.cli.file_keyring.FileKeyring", "KEQU_TEST_KEYRING": str(store)}
    ring["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    assert kequ("demo").code == 0
    assert kequ("encrypt", "--remember", env={**WITH, **ring}).code == 0
    first_key = store.read_text(encoding="utf-8")
    changed = kequ("passphrase", env={**WITH, **ring, "KEQU_NEW_PASSPHRASE": "新口令 2027"})
    assert changed.code == 0, changed.err
    # The keyring now holds the new passphrase's key: the old key no longer opens the book.
    assert store.read_text(encoding="utf-8") != first_key
    assert "新口令" not in store.read_text(encoding="utf-8")
    assert kequ("today", "--json", env=ring).code == 0
    # A keyring entry written by an earlier kequ holds the passphrase itself: it still opens.
    entry = next(iter(json.loads(store.read_text(encoding="utf-8"))))
    store.write_text(json.dumps({entry: "新口令 2027"}, ensure_ascii=False), encoding="utf-8")
    assert kequ("today", "--json", env=ring).code == 0
    store.write_text(json.dumps({entry: "x'" + "0" * 96 + "'"}), encoding="utf-8")
    assert "口令不对" in one_line(kequ("today", env=ring))
