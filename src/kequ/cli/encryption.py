"""``kequ encrypt``, ``kequ decrypt`` and ``kequ passphrase``, and asking for a passphrase.

A passphrase is asked on the terminal (never echoed), or taken from ``KEQU_PASSPHRASE``
(``KEQU_NEW_PASSPHRASE`` for the new one of ``kequ passphrase``) in a script, or from the
system keyring where ``--remember`` kept it. It is never written to a file or printed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kequ.errors import KequError
from kequ.i18n import t

NEW_ENV_VAR = "KEQU_NEW_PASSPHRASE"


def ask_passphrase(path: Path) -> str | None:
    """The passphrase typed at the terminal; None when there is no terminal to ask at."""
    if not sys.stdin.isatty():
        return None
    from getpass import getpass

    try:
        return getpass(t("cipher.prompt", name=path.name)) or None
    except EOFError:
        return None


def _new_passphrase(path: Path, env_var: str) -> str:
    """A new passphrase: from ``env_var`` in a script, else typed twice at the terminal."""
    found = os.environ.get(env_var)
    if found:
        return found
    if not sys.stdin.isatty():
        raise KequError("cipher.new_needed", var=env_var)
    from getpass import getpass

    try:
        first = getpass(t("cipher.prompt_new", name=path.name))
        second = getpass(t("cipher.prompt_again"))
    except EOFError:
        raise KequError("cipher.new_needed", var=env_var) from None
    if not first:
        raise KequError("cipher.empty_passphrase")
    if first != second:
        raise KequError("cipher.mismatch")
    return first


def _book(args: argparse.Namespace) -> Path:
    from kequ.storage.database import resolve_db_path

    path = resolve_db_path(args.db)[0]
    if not path.is_file():
        raise KequError("io.file.missing", path=path)
    return path


def _current_passphrase(path: Path) -> str:
    from kequ.storage import cipher

    if not cipher.looks_encrypted(path):
        raise KequError("cipher.not_encrypted", path=path)
    cipher.unlock(path)  # refuses without the right one
    return cipher.current() or ""


def _said(key: str, result: object, args: argparse.Namespace) -> int:
    from kequ.cli.common import emit_json

    book, safety, copies = result.book, result.safety_copy, result.copies  # type: ignore[attr-defined]
    if args.json:
        emit_json({"database": str(book), "safety_copy": str(safety), "copies_converted": copies})
    else:
        print(t(key, path=book, copies=copies))
        print(t("io.cli.safety_copy", path=safety))
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    from kequ.storage import cipher
    from kequ.storage.encryption import encrypt

    path = _book(args)
    if cipher.looks_encrypted(path):
        raise KequError("cipher.already_encrypted", path=path)
    cipher.driver()
    passphrase = _new_passphrase(path, cipher.ENV_VAR)
    result = encrypt(path, passphrase)
    if args.remember:
        cipher.remember(path, passphrase)
    return _said("cipher.encrypted", result, args)


def cmd_decrypt(args: argparse.Namespace) -> int:
    from kequ.storage import cipher
    from kequ.storage.encryption import decrypt

    path = _book(args)
    result = decrypt(path, _current_passphrase(path))
    if cipher.remembered(path) is not None:
        cipher.remember(path, None)
    return _said("cipher.decrypted", result, args)


def cmd_passphrase(args: argparse.Namespace) -> int:
    from kequ.storage import cipher
    from kequ.storage.encryption import change_passphrase

    path = _book(args)
    if args.forget:
        cipher.remember(path, None)
        print(t("cipher.forgotten", path=path))
        return 0
    old = _current_passphrase(path)
    new = _new_passphrase(path, NEW_ENV_VAR)
    result = change_passphrase(path, old, new)
    if args.remember or cipher.remembered(path) is not None:
        cipher.remember(path, new)
    return _said("cipher.changed", result, args)


def add_encryption_commands(
    command: Callable[[str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser],
    json_flag: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``encrypt``, ``decrypt`` and ``passphrase`` to the ``kequ`` parser."""
    p = command("encrypt", cmd_encrypt)
    p.add_argument("--remember", action="store_true", help=t("cipher.help.remember"))
    json_flag(p)
    p = command("decrypt", cmd_decrypt)
    json_flag(p)
    p = command("passphrase", cmd_passphrase)
    p.add_argument("--remember", action="store_true", help=t("cipher.help.remember"))
    p.add_argument("--forget", action="store_true", help=t("cipher.help.forget"))
    json_flag(p)
