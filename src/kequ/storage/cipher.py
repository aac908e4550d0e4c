"""The one place that opens a book's file: with Python's sqlite3, or with SQLCipher when it is encrypted.

Every connection to a book, its backups and the copies a restore inspects is made by
``connect`` here, so the fast read paths, the ORM, backups and restore all use the same
driver and the same key. A plain book never imports the SQLCipher driver (``sqlcipher3``,
the optional ``kequ[encrypt]`` extra); an encrypted one is told by its first 16 bytes,
which are SQLite's header in a plain file and a random salt in an encrypted one.

The passphrase is known to this process only (``use_passphrase``) and never written
anywhere. It is turned into the file's key once per process and salt with SQLCipher 4's
own derivation (PBKDF2-HMAC-SHA512, 256,000 rounds), so the ``sqlcipher`` shell or DB
Browser for SQLite open the file with the same passphrase; each connection is then given
the raw key and costs no second derivation. ``--remember`` keeps that key in the system
keyring, not the passphrase: a start then derives nothing, and the keyring holds nothing
that opens anything but this book.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from kequ.errors import KequError
from kequ.storage.sqlite_file import BUSY_TIMEOUT_MS, SQLITE_MAGIC

ENV_VAR = "KEQU_PASSPHRASE"
KEYRING_SERVICE = "kequ"
# SQLCipher 4's defaults: the key is PBKDF2-HMAC-SHA512(passphrase, salt, 256000) of 32 bytes.
KDF_ROUNDS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
# SQLCipher's raw key with its salt, as ``PRAGMA key`` takes it: x'<64 hex key><32 hex salt>'.
_RAW_KEY = re.compile(r"x'[0-9a-f]{96}'")
# An encrypted file is whole pages: 512 bytes at the least (SQLCipher's smallest page).
_SMALLEST_PAGE = 512

_passphrase: str | None = None
_keys: dict[tuple[str, bytes], str] = {}  # (passphrase, salt) -> the raw key, as SQLCipher's hex literal
_deriving: dict[tuple[str, bytes], threading.Thread] = {}
_lock = threading.Lock()
# Asks the person at the terminal (set by the command line; None: nobody to ask).
_asker: Callable[[Path], str | None] | None = None


def looks_encrypted(path: Path) -> bool:
    """Whether ``path`` is an SQLCipher file: not SQLite's header, and whole pages of data.

    A text file or a spreadsheet put where a book should be is not whole pages and stays
    "not an SQLite file"; one that is (random bytes, say) is told apart only by its key.
    """
    try:
        found = os.stat(path)
        if not stat.S_ISREG(found.st_mode):
            return False  # a pipe or a device: reading it could wait for ever
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    size = found.st_size
    return len(head) == len(SQLITE_MAGIC) and head != SQLITE_MAGIC and size % _SMALLEST_PAGE == 0


def driver() -> ModuleType:
    """SQLCipher's DB-API module, imported only when an encrypted file is opened."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise KequError("cipher.no_driver") from None
    return dbapi2


def errors() -> tuple[type[Exception], ...]:
    """The drivers' error classes, SQLCipher's once it is loaded (for ``except``)."""
    import sys

    loaded = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, loaded.Error) if loaded is not None else (sqlite3.Error,)


# --------------------------------------------------------------------- the passphrase


def use_passphrase(passphrase: str | None) -> None:
    """The passphrase of the book this process works on (None forgets it)."""
    global _passphrase
    _passphrase = passphrase or None


def current() -> str | None:
    """The passphrase this process was given (for converting the book, never for showing)."""
    return _passphrase


def set_asker(asker: Callable[[Path], str | None] | None) -> None:
    global _asker
    _asker = asker


def unlock(path: Path) -> None:
    """Know the passphrase of the encrypted book at ``path`` and check it, or refuse.

    Taken, in this order, from what this process was given, ``KEQU_PASSPHRASE``, the
    system keyring (if the passphrase was remembered there) and the person at the
    terminal. Nothing is written: a wrong or missing passphrase is a KequError.
    """
    if not looks_encrypted(path):
        return
    driver()
    obtain(path)
    if _passphrase is None:
        raise KequError("cipher.no_passphrase", path=path, var=ENV_VAR)
    check(path)


def obtain(path: Path, *, ask: bool = True) -> None:
    """Find the passphrase of an encrypted book (asking only with ``ask``) and start
    deriving its key; a plain book, or no passphrase to be had, changes nothing."""
    if not looks_encrypted(path):
        return
    if _passphrase is None:
        found = os.environ.get(ENV_VAR) or remembered(path)
        if not found and ask and _asker is not None:
            found = _asker(path)
        use_passphrase(found)
    start_deriving(path)


def check(path: Path, passphrase: str | None = None) -> None:
    """Refuse with one line unless the key opens ``path`` (reads nothing but its schema)."""
    conn = connect(path, passphrase=passphrase)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except errors() as error:
        if "not a database" in str(error).lower():
            raise KequError("cipher.wrong_passphrase", path=path) from None
        raise
    finally:
        conn.close()


def remembered(path: Path) -> str | None:
    """The key (or the passphrase, as an earlier kequ kept it) in the system keyring for
    this book, if any (never an error). Either opens the book through ``connect``."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, str(Path(path).resolve()))
    except Exception:  # no keyring service on this system: as if nothing was kept
        return None


def remember(path: Path, passphrase: str | None) -> None:
    """Keep in the system keyring the key ``passphrase`` gives the encrypted book at
    ``path`` (or, with None, forget it)."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        raise KequError("cipher.no_keyring") from None
    name = str(Path(path).resolve())
    try:
        if passphrase is None:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, name)
        else:
            keyring.set_password(KEYRING_SERVICE, name, _raw_key(passphrase, _salt(path)))
    except (KeyringError, RuntimeError) as error:
        raise KequError("cipher.keyring_failed", detail=str(error)) from None


# ------------------------------------------------------------------------------ keys


def _salt(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def _derive(passphrase: str, salt: bytes) -> None:
    import hashlib  # here: 3 ms of every command that opens a book, and only an encrypted one needs it

    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
    with _lock:
        _keys[(passphrase, salt)] = f"x'{key.hex()}{salt.hex()}'"


def start_deriving(path: Path) -> None:
    """Begin turning the passphrase into the key of ``path`` on another core (the
    derivation leaves Python's lock), so that imports go on meanwhile."""
    if _passphrase is None or _RAW_KEY.fullmatch(_passphrase) or not looks_encrypted(path):
        return
    wanted = (_passphrase, _salt(path))
    with _lock:
        if wanted in _keys or wanted in _deriving:
            return
        worker = threading.Thread(target=_derive, args=wanted, daemon=True)
        _deriving[wanted] = worker
    worker.start()


def _raw_key(passphrase: str, salt: bytes) -> str:
    if _RAW_KEY.fullmatch(passphrase):
        return passphrase  # a key already (the keyring's): SQLCipher reads it so too
    wanted = (passphrase, salt)
    with _lock:
        worker = _deriving.pop(wanted, None)
    if worker is not None:
        worker.join()
    if wanted not in _keys:
        _derive(passphrase, salt)
    return _keys[wanted]


# ----------------------------------------------------------------------- connections


def connect(
    path: Path | str,
    *,
    like: Path | None = None,
    passphrase: str | None = None,
    timeout: float = BUSY_TIMEOUT_MS / 1000,
    **options: Any,
) -> Any:
    """A connection to ``path`` on the driver it needs, keyed when it is encrypted.

    ``like``: the encrypted file whose key and salt a new file (a backup being written)
    takes, so the copy opens with the same passphrase. ``passphrase``: another one than
    the process's (a backup made before the passphrase was changed).
    """
    source = Path(like) if like is not None else Path(path)
    if not looks_encrypted(source):
        return sqlite3.connect(path, timeout=timeout, **options)
    phrase = passphrase or _passphrase
    if phrase is None:
        raise KequError("cipher.no_passphrase", path=source, var=ENV_VAR)
    dbapi = driver()
    conn = dbapi.connect(str(path), timeout=timeout, **options)
    try:
        # SQLCipher would print its own lines on a wrong key; kequ says one of its own.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{_raw_key(phrase, _salt(source))}"')
    except BaseException:
        conn.close()
        raise
    return conn


def quoted(passphrase: str) -> str:
    """The passphrase as an SQL string, for ``PRAGMA rekey``."""
    return "'" + passphrase.replace("'", "''") + "'"


def raw_key_of(path: Path) -> str:
    """The key of the encrypted file at ``path`` under this process's passphrase, as
    SQLCipher's raw-key string (``x'…'``, key and salt): a file attached with it takes both."""
    if _passphrase is None:
        raise KequError("cipher.no_passphrase", path=path, var=ENV_VAR)
    return _raw_key(_passphrase, _salt(path))
