"""Turning a book into an encrypted one and back, and changing its passphrase.

Each conversion keeps the rule of the rest of storage: the book is never half-converted.

1. No other kequ has the book open (the same check as a restore; ``db_users``), and this
   process says it has it open for as long as it works on it.
2. A verified copy goes to ``backups/`` first (``make_backup``: ``integrity_check``).
3. The new file is written beside the book under a hidden name with SQLCipher's
   ``sqlcipher_export`` through ``ATTACH``, checked (integrity, the same rows in every
   table, the same schema version), flushed, then renamed over the book: a kill leaves the
   old file or the new one. The old WAL goes with the old file.
4. The book's own copies in ``backups/`` are converted the same way, so a lost laptop
   holds no plain copy of an encrypted book (and a decrypted book's copies open without
   the passphrase that is being given up).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kequ.errors import KequError
from kequ.storage import cipher, db_users
from kequ.storage.backups import list_backups, looks_complete, make_backup
from kequ.storage.files import replacing

CONVERT_PREFIX = ".kequ-convert-"


@dataclass(frozen=True, slots=True)
class Converted:
    book: Path
    safety_copy: Path
    copies: int  # the copies in backups/ converted as well
    customers: int


def _refuse_if_in_use(path: Path) -> None:
    users = db_users.other_users(path)
    if users:
        raise KequError("cipher.in_use", path=path, pid=users[0])


def _tables(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0] for name in sorted(names)}


def _export(source: Any, target: Path, key: str) -> None:
    """Write what ``source`` holds into the new file ``target`` with ``key`` (a passphrase,
    a raw key ``x'…'``, or '' for a plain file), and check it: a whole file, the same rows,
    the same schema version."""
    version = source.execute("PRAGMA main.user_version").fetchone()[0]
    source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), key))
    try:
        source.execute("SELECT sqlcipher_export('converted')")
        source.execute(f"PRAGMA converted.user_version = {int(version)}")
        problems = source.execute("PRAGMA converted.integrity_check").fetchall()
        if problems != [("ok",)]:
            raise KequError("cipher.convert_failed", path=target, detail=str(problems[0][0])[:200])
        if _tables(source, "converted") != _tables(source):
            raise KequError("cipher.convert_failed", path=target, detail="row counts differ")
    finally:
        source.execute("DETACH DATABASE converted")


def _open_source(path: Path, passphrase: str | None) -> Any:
    """``path`` on SQLCipher's driver (its ``sqlcipher_export`` is needed even for a plain file)."""
    if cipher.looks_encrypted(path):
        return cipher.connect(path, passphrase=passphrase, isolation_level=None)
    return cipher.driver().connect(str(path), isolation_level=None)


def _convert_file(path: Path, key: str, passphrase: str | None) -> int:
    """Replace ``path`` by its copy under ``key``; returns its customers."""
    folder = path.parent
    fd, name = tempfile.mkstemp(prefix=f"{CONVERT_PREFIX}{os.getpid()}-", suffix=".db", dir=folder)
    os.close(fd)
    os.unlink(name)  # SQLCipher makes the file itself; mkstemp only chose a free private name
    temp = Path(name)
    try:
        # The old WAL and shared memory go with the old file (they hold its plain pages).
        with replacing(path, temp):
            source = _open_source(path, passphrase)
            try:
                # The WAL folded into the file: the copy holds every commit.
                source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                _export(source, temp, key)
                customers = source.execute("SELECT count(*) FROM customer").fetchone()[0]
            finally:
                source.close()
            os.chmod(temp, 0o600)
    except cipher.errors() as error:
        raise KequError("cipher.convert_failed", path=path, detail=str(error)) from error
    return customers


def _convert_copies(path: Path, key: str, passphrase: str | None, *, encrypted: bool) -> int:
    """Convert the book's copies in backups/ that are not yet what the book now is."""
    done = 0
    for copy in list_backups(path):
        if cipher.looks_encrypted(copy) == encrypted or not looks_complete(copy):
            continue
        if not encrypted:
            try:
                cipher.check(copy, passphrase)
            except KequError:
                continue  # a copy made under an older passphrase: left as it is
        _convert_file(copy, key, passphrase)
        done += 1
    return done


def _start(path: Path) -> None:
    from kequ.storage.database import release_engine

    if not path.is_file() or path.stat().st_size == 0:
        raise KequError("io.file.missing", path=path)
    _refuse_if_in_use(path)
    db_users.register(path)
    release_engine(path)


def encrypt(path: Path, passphrase: str) -> Converted:
    """Encrypt the plain book at ``path`` (and its copies) with ``passphrase``."""
    if not passphrase:
        raise KequError("cipher.empty_passphrase")
    _start(path)
    if cipher.looks_encrypted(path):
        raise KequError("cipher.already_encrypted", path=path)
    cipher.driver()  # before any copy: without the driver nothing is done
    safety = make_backup(path, "before-encrypt")
    customers = _convert_file(path, passphrase, None)
    cipher.use_passphrase(passphrase)
    # The copies take the book's own key and salt: one derivation opens them all.
    copies = _convert_copies(path, cipher.raw_key_of(path), None, encrypted=True)
    return Converted(path, safety, copies, customers)


def decrypt(path: Path, passphrase: str) -> Converted:
    """Make the encrypted book at ``path`` (and its copies) plain again."""
    _start(path)
    if not cipher.looks_encrypted(path):
        raise KequError("cipher.not_encrypted", path=path)
    cipher.use_passphrase(passphrase)
    cipher.check(path)
    safety = make_backup(path, "before-decrypt")
    customers = _convert_file(path, "", passphrase)
    copies = _convert_copies(path, "", passphrase, encrypted=False)
    cipher.use_passphrase(None)
    return Converted(path, safety, copies, customers)


def change_passphrase(path: Path, old: str, new: str) -> Converted:
    """Give the encrypted book (and its copies) a new passphrase with SQLCipher's rekey."""
    if not new:
        raise KequError("cipher.empty_passphrase")
    _start(path)
    if not cipher.looks_encrypted(path):
        raise KequError("cipher.not_encrypted", path=path)
    cipher.use_passphrase(old)
    cipher.check(path)
    safety = make_backup(path, "before-passphrase")
    done = 0
    customers = 0
    for target in [path, *list_backups(path)]:
        if target != path and (not cipher.looks_encrypted(target) or not looks_complete(target)):
            continue
        conn = cipher.connect(target, passphrase=old, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except cipher.errors():
            conn.close()
            continue  # a copy made under an older passphrase: left as it is
        try:
            conn.execute(f"PRAGMA rekey = {cipher.quoted(new)}")
            if target == path:
                customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
            else:
                done += 1
        except cipher.errors() as error:
            raise KequError("cipher.convert_failed", path=target, detail=str(error)) from error
        finally:
            conn.close()
    cipher.use_passphrase(new)
    cipher.check(path)
    return Converted(path, safety, done, customers)
