"""The app on an encrypted book: the passphrase given before it starts opens every screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kequ.storage import cipher
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import screen_lines, settle


@pytest.fixture(autouse=True)
def _forget_passphrase() -> Iterator[None]:
    cipher.use_passphrase(None)
    yield
    cipher.use_passphrase(None)


async def test_the_app_reads_and_writes_an_encrypted_book(demo_db, db_path: Path) -> None:
    from kequ.storage.database import open_database, release_engine
    from kequ.storage.encryption import encrypt
    from kequ.ui.app import KequApp

    release_engine(db_path)
    encrypt(db_path, "应用 口令")
    cipher.use_passphrase(None)
    with pytest.raises(Exception) as refused:
        open_database(str(db_path), daily_backup=False)
    assert getattr(refused.value, "key", "") == "cipher.no_passphrase"
    cipher.use_passphrase("应用 口令")
    db = open_database(str(db_path), daily_backup=False)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert any("董" in line for line in screen_lines(app)), "Today shows the demo's complaint customer"
        await pilot.press("2")
        await settle(pilot)
        assert any("王婷" in line for line in screen_lines(app))
    data = db_path.read_bytes()
    assert b"SQLite format 3\x00" not in data and "王婷".encode() not in data
