"""A record the user saw saved survives kill -9 at any moment.

A forked writer logs contacts through the real use case, one transaction each, and
reports every id it was told is saved; the parent kills it at a random instant, over
and over. Afterwards SQLite's integrity check must pass and every acknowledged id must
be there. Forking after the imports keeps each round to milliseconds. Each test runs on
a plain book and on an encrypted one (SQLCipher): the driver must keep the same promise.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from collections.abc import Iterator
from datetime import date

import pytest

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer
from kequ.storage import cipher

KILLS = 120

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture(params=["plain", "encrypted"])
def book(request: pytest.FixtureRequest, db) -> Iterator[object]:
    """The test's book, plain or encrypted with a passphrase this process (and its forks) knows."""
    if request.param == "encrypted":
        from kequ.storage.database import Database
        from kequ.storage.encryption import encrypt

        encrypt(db.path, "kill-9 口令")
        assert cipher.looks_encrypted(db.path)
        db = Database(db.path)
    yield db
    cipher.use_passphrase(None)


def _writer(db_path: str, customer_id: int, ack_fd: int, round_no: int) -> None:
    import kequ.storage.database
    from kequ.services.contacts import log_interaction

    kequ.storage.database._engines.clear()  # never share the parent's connections across fork
    db = kequ.storage.database.Database(kequ.storage.database.Path(db_path))
    n = 0
    while True:
        new_id = log_interaction(db, customer_id, "call", date.today(), f"第 {round_no} 轮第 {n} 条")
        os.write(ack_fd, f"{new_id}\n".encode())
        n += 1


def test_acknowledged_writes_survive_random_kills(book) -> None:
    db = book
    customer_id = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    rng = random.Random(20261123)
    read_fd, write_fd = os.pipe()
    acknowledged: list[int] = []
    buffer = b""
    sys.stdout.flush()
    sys.stderr.flush()
    for round_no in range(KILLS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(read_fd)
            try:
                _writer(str(db.path), customer_id, write_fd, round_no)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.005, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.set_blocking(read_fd, False)
        while True:
            try:
                chunk = os.read(read_fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        acknowledged += [int(line) for line in lines if line]
    os.close(read_fd)
    os.close(write_fd)

    conn = cipher.connect(db.path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {row[0] for row in conn.execute("SELECT id FROM interaction")}
    missing = [i for i in acknowledged if i not in stored]
    assert acknowledged, "the writer never got a write in: the kill window is too short"
    assert missing == []
    print(f"{KILLS} kills, {len(acknowledged)} acknowledged writes, all present")


def test_several_writers_at_once_lose_nothing_and_never_see_locked(book) -> None:
    """Two app windows and a script writing together: every write lands, none fails."""
    db = book
    customer_id = add_customer(db, NewCustomer(name="李晓东", honorific="李总"))
    writers, each = 3, 150
    pids = []
    sys.stdout.flush()
    sys.stderr.flush()
    for w in range(writers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            code = 1
            try:
                import kequ.storage.database
                from kequ.services.contacts import log_interaction

                kequ.storage.database._engines.clear()
                mine = kequ.storage.database.Database(kequ.storage.database.Path(str(db.path)))
                for n in range(each):
                    log_interaction(mine, customer_id, "visit", date.today(), f"窗口 {w} 第 {n} 条")
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    assert codes == [0] * writers
    count = cipher.connect(db.path).execute("SELECT count(*) FROM interaction WHERE kind = 'visit'").fetchone()[0]
    assert count == writers * each
