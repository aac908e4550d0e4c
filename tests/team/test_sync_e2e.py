"""Team sync end to end: the real ``kequ`` command on two salespeople's laptops and a
manager's (each its own SQLite book) against the private PostgreSQL of tests/team/conftest.py.

Every write on a laptop is a ``kequ`` command (add, log, lost, import) run on the test's
day (KEQU_TODAY), so every stamp in these books and on the server comes from the same
clock; the server is looked at as its admin, with plain SQL.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from kequ.storage import clock
from tests.team.conftest import TeamDb

KEQU = str(Path(sys.executable).parent / "kequ")
KEYRING = "tests.cli.file_keyring.FileKeyring"


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Laptop:
    """One salesperson's book, run with the real command; ``url`` names the user, not the password."""

    folder: Path
    user: str
    password: str
    url: str
    day: date = field(default_factory=clock.today)

    @property
    def db(self) -> Path:
        return self.folder / "kequ.db"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {
            **os.environ,
            "COLUMNS": "160",
            clock.ENV_VAR: self.day.isoformat(),
            "HOME": str(self.folder / "home"),
            "PYTHON_KEYRING_BACKEND": KEYRING,
            "KEQU_TEST_KEYRING": str(self.folder / "keyring.json"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),  # where the test keyring is
            **(extra or {}),
        }

    def command(self, *args: str) -> list[str]:
        return [KEQU, "--db", str(self.db), "--lang", "en", *args]

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            env=self.env(env),
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        return Result(proc)

    def ok(self, *args: str, env: dict[str, str] | None = None) -> Result:
        result = self.run(*args, env=env)
        assert result.code == 0, (args, result.out, result.err)
        return result

    def sync(self, *args: str) -> Result:
        """``kequ sync`` with the password in KEQU_SYNC_PASSWORD (the first time: ``--server``)."""
        first = [] if self.synced_before() else ["--server", self.url]
        return self.ok("sync", *first, *args, env={"KEQU_SYNC_PASSWORD": self.password})

    def synced_before(self) -> bool:
        return self.db.exists() and self.one("SELECT server_url IS NOT NULL FROM sync_state") == 1

    def one(self, sql: str, *params: object) -> Any:
        return self.rows(sql, *params)[0][0]

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def customers(self) -> set[str]:
        return {name for (name,) in self.rows("SELECT name FROM customer")}

    def contacts_of(self, name: str) -> list[str]:
        return sorted(
            note
            for (note,) in self.rows(
                "SELECT i.notes FROM interaction i JOIN customer c ON c.id = i.customer_id WHERE c.name = ?", name
            )
        )


class Team:
    def __init__(self, team_db: TeamDb, tmp_path: Path) -> None:
        self.db, self.tmp = team_db, tmp_path
        self.passwords: dict[str, str] = {}

    def url(self, user: str) -> str:
        """The URL a salesperson types: their login name, no password."""
        s = self.db.server
        return f"postgresql://{user}@/{self.db.name}?host={s.socket_dir}&port={s.port}"

    def admin(self, *args: str) -> Result:
        laptop = Laptop(self.tmp / "admin", "admin", "", "")
        return laptop.ok("team", *args, "--server", self.db.admin_url)

    def laptop(self, stem: str, manager: bool = False, user: str | None = None) -> Laptop:
        """A new login (``kequ team add-user``) and an empty book, or another book of ``user``."""
        if user is None:
            user = f"{stem}_{secrets.token_hex(3)}"
            password = "pw-" + secrets.token_hex(6)
            self.admin("add-user", user, "--password", password, *(["--manager"] if manager else []))
            self.passwords[user] = password
        folder = self.tmp / stem
        folder.mkdir()
        return Laptop(folder, user, self.passwords[user], self.url(user))

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.db.admin_url, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def owner(self, name: str) -> str | None:
        return self.sql("SELECT owner FROM kequ.customer WHERE name = %s AND NOT deleted", name)[0][0]


@pytest.fixture
def team(team_db: TeamDb, tmp_path: Path) -> Team:
    return Team(team_db, tmp_path)


def _add(laptop: Laptop, name: str, honorific: str, company: str, *extra: str) -> None:
    laptop.ok("add", name, "--honorific", honorific, "--company", company, "--phone", _phone(name), *extra)


def _phone(name: str) -> str:
    digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    return f"139{digest % 10**8:08d}"


# ------------------------------------------------------------------ first sync, pool, claims


def test_first_sync_of_two_laptops_and_a_manager_owners_set_by_the_server(team: Team) -> None:
    a, b, boss = team.laptop("a"), team.laptop("b"), team.laptop("boss", manager=True)
    _add(a, "王建国", "王总", "恒瑞精密")
    a.ok("log", "王建国", "--kind", "call", "--note", "谈了交期")
    _add(b, "李娜", "李姐", "华联贸易")
    b.ok("log", "李娜", "--kind", "visit", "--note", "看了样品")

    first = a.sync("--json").json()
    assert first["first"] is True
    assert first["pushed"] >= 2 and first["waiting"] == 0 and first["refused"] == []
    b.sync()
    # The owner is the server's: each customer is its writer's, with the history saying since when.
    assert team.owner("王建国") == a.user and team.owner("李娜") == b.user
    ownership = "SELECT o.owner, o.until FROM kequ.ownership o JOIN kequ.customer c ON c.uid = o.customer_uid"
    assert team.sql(ownership + " WHERE c.name = '王建国'") == [(a.user, None)]
    # Each salesperson sees only their own; the manager's first sync brings the team's.
    assert a.sync().code == 0 and a.customers() == {"王建国"}
    assert b.customers() == {"李娜"}
    pulled = boss.sync("--json").json()
    assert pulled["first"] is False and pulled["pulled"] >= 4
    assert boss.customers() == {"王建国", "李娜"}
    assert boss.contacts_of("李娜") == ["看了样品"]

    # To the pool (公海): everyone sees it; a contact logged under it claims it.
    moved = team.admin("transfer", "--from", b.user, "--to-pool", "--customer", "李娜", "--json").json()
    assert len(moved["customers"]) == 1 and team.owner("李娜") is None
    a.sync()
    assert a.customers() == {"王建国", "李娜"}
    assert a.contacts_of("李娜") == ["看了样品"]
    a.ok("log", "李娜", "--kind", "call", "--note", "公海里捞回来的")
    claimed = a.sync("--json").json()
    assert claimed["refused"] == [] and claimed["waiting"] == 0
    assert team.owner("李娜") == a.user
    history = team.sql(
        "SELECT o.owner FROM kequ.ownership o JOIN kequ.customer c ON c.uid = o.customer_uid"
        " WHERE c.name = '李娜' ORDER BY since, until NULLS LAST"
    )
    assert [owner for (owner,) in history] == [b.user, None, a.user]
    # B's next sync takes 李娜 off B's laptop: A has claimed it.
    out = b.sync().out
    assert "taken off this laptop (transferred away): 李娜" in out
    assert b.customers() == set()


# ------------------------------------------------------------------ offline edits and a conflict


def test_offline_edits_on_two_laptops_keep_every_contact_and_the_later_field_wins(team: Team) -> None:
    a, boss = team.laptop("a"), team.laptop("boss", manager=True)
    _add(a, "王建国", "王总", "恒瑞精密")
    a.ok("log", "王建国", "--kind", "call", "--note", "第一次电话")
    a.sync()
    boss.sync()
    assert boss.contacts_of("王建国") == ["第一次电话"]

    # Offline on both: a contact each, and the same customer marked lost with two reasons,
    # the manager's written later.
    a.ok("log", "王建国", "--kind", "call", "--note", "销售的电话")
    a.ok("lost", "王建国", "--reason", "price", "--note", "嫌贵")
    boss.ok("log", "王建国", "--kind", "visit", "--note", "经理的拜访")
    boss.ok("lost", "王建国", "--reason", "supplier", "--note", "换了供应商")

    assert boss.sync("--json").json()["conflicts"] == []
    report = a.sync("--json").json()
    lost_fields = {c["field"]: c for c in report["conflicts"]}
    assert set(lost_fields) == {"churn_reason", "churn_note"}
    assert lost_fields["churn_reason"]["mine"] == "price" and lost_fields["churn_reason"]["theirs"] == "supplier"
    assert lost_fields["churn_reason"]["customer"] == "王建国"
    # The conflict is shown once, in the sync's output (a second sync has nothing new to show).
    a.ok("log", "王建国", "--kind", "message", "--note", "再发个消息")
    shown = a.sync().out
    assert "conflict" not in shown
    boss.sync()

    everything = ["再发个消息", "第一次电话", "经理的拜访", "销售的电话"]
    for laptop in (a, boss):
        assert laptop.contacts_of("王建国") == everything
        assert laptop.rows("SELECT churn_reason, churn_note FROM customer") == [("supplier", "换了供应商")]
    row = team.sql("SELECT churn_reason, churn_note FROM kequ.customer WHERE name = '王建国'")
    assert row == [("supplier", "换了供应商")]
    notes = team.sql(
        "SELECT count(*), count(DISTINCT uid) FROM kequ.interaction i WHERE NOT deleted"
        " AND customer_uid = (SELECT uid FROM kequ.customer WHERE name = '王建国')"
    )
    assert notes == [(4, 4)]


def test_a_conflict_is_shown_in_the_sync_output(team: Team) -> None:
    a, boss = team.laptop("a"), team.laptop("boss", manager=True)
    _add(a, "王建国", "王总", "恒瑞精密")
    a.sync()
    boss.sync()
    a.ok("lost", "王建国", "--reason", "price")
    boss.ok("lost", "王建国", "--reason", "closed")
    boss.sync()
    out = a.sync().out
    # Said in the words of the customer form: the field's label and the choices' labels.
    said = 'conflict: 王建国\'s Why they left: this laptop had "Price", the server keeps "Closed down or changed trade"'
    assert said in out


# ------------------------------------------------------------------ transfer


def test_a_transfer_moves_the_customer_with_its_history_to_the_other_laptop_and_its_today(team: Team) -> None:
    a, b = team.laptop("a"), team.laptop("b")
    birthday = (a.day + timedelta(days=2)).strftime("%m-%d")
    _add(a, "王建国", "王总", "恒瑞精密", "--birthday", birthday, "--tier", "key")
    _add(a, "赵敏", "赵总", "远航物流")
    for note in ("电话一", "电话二", "电话三"):
        a.ok("log", "王建国", "--kind", "call", "--note", note, "--date", (a.day - timedelta(days=40)).isoformat())
    a.sync()
    b.sync()
    assert b.customers() == set()
    dates_on_a = a.one("SELECT count(*) FROM important_date d JOIN customer c ON c.id = d.customer_id")

    moved = team.admin("transfer", "--from", a.user, "--to", b.user, "--customer", "王建国")
    assert "1" in moved.out
    out = a.sync().out
    assert "taken off this laptop (transferred away): 王建国" in out
    assert a.customers() == {"赵敏"}
    assert a.one("SELECT count(*) FROM interaction") == 0

    b.sync()
    assert b.customers() == {"王建国"}
    assert b.contacts_of("王建国") == ["电话一", "电话三", "电话二"]
    assert b.one("SELECT count(*) FROM important_date") == dates_on_a
    today = b.ok("today", "--json").json()
    assert "王建国" in {item["customer"] for item in today}
    history = team.sql(
        "SELECT o.owner FROM kequ.ownership o JOIN kequ.customer c ON c.uid = o.customer_uid"
        " WHERE c.name = '王建国' ORDER BY since"
    )
    assert [owner for (owner,) in history] == [a.user, b.user]


def test_a_row_the_server_refuses_after_a_transfer_is_kept_and_reported(team: Team) -> None:
    a, b = team.laptop("a"), team.laptop("b")
    _add(a, "王建国", "王总", "恒瑞精密")
    a.sync()
    team.admin("transfer", "--from", a.user, "--to", b.user, "--all")
    # A, offline and not knowing yet, logs a contact.
    a.ok("log", "王建国", "--kind", "visit", "--note", "转走后才记的拜访")

    for _ in range(2):  # kept at each sync, never dropped
        report = a.sync("--json").json()
        assert [r["table"] for r in report["refused"]] == ["interaction"]
        assert report["refused"][0]["reason"] == "not_yours" and report["refused"][0]["customer"] == "王建国"
        assert report["kept"] == ["王建国"] and report["removed"] == []
        assert report["waiting"] == 1
        assert a.contacts_of("王建国") == ["转走后才记的拜访"]
    out = a.sync().out
    kept_line = "refused by the server (kept here, tried again next time): a contact of 王建国"
    assert f"{kept_line}: this customer is no longer yours" in out
    assert "transferred away, kept here: it has changes not yet on the server: 王建国" in out
    b.sync()
    assert b.contacts_of("王建国") == []


# ------------------------------------------------------------------ kill -9 in the middle


def _many_customers(laptop: Laptop, count: int) -> None:
    sheet = laptop.folder / "many.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["姓名", "公司", "手机"])
        for i in range(count):
            writer.writerow([f"客户{i:05d}", f"公司{i:05d}", f"137{i:08d}"])
    laptop.ok("import", str(sheet))


def test_a_sync_killed_midway_loses_nothing_and_duplicates_nothing(team: Team) -> None:
    a = team.laptop("a")
    total = 3500  # four batches of the outbox
    _many_customers(a, total)
    env = a.env({"KEQU_SYNC_PASSWORD": a.password})
    proc = subprocess.Popen(
        a.command("sync", "--server", a.url), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        up = 0
        deadline = time.monotonic() + 60
        while up == 0 and proc.poll() is None and time.monotonic() < deadline:
            up = team.sql("SELECT count(*) FROM kequ.customer")[0][0]
            time.sleep(0.01)
        assert proc.poll() is None, "the sync ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    on_server = team.sql("SELECT count(*) FROM kequ.customer")[0][0]
    assert 0 < on_server < total
    assert a.one("SELECT count(*) FROM sync_outbox") > 0  # the rest still waits

    report = a.sync("--json").json()
    assert report["waiting"] == 0 and report["refused"] == [] and report["failed"] == 0
    assert team.sql("SELECT count(*), count(DISTINCT uid), count(DISTINCT name) FROM kequ.customer") == [
        (total, total, total)
    ]
    assert a.rows("SELECT count(*), count(DISTINCT uid), count(DISTINCT name) FROM customer") == [(total, total, total)]
    server_uids = {str(uid) for (uid,) in team.sql("SELECT uid FROM kequ.customer")}
    assert server_uids == {uid for (uid,) in a.rows("SELECT uid FROM customer")}
    again = a.sync("--json").json()
    assert again["pushed"] == 0 and again["waiting"] == 0


# ------------------------------------------------------------------ a week offline


def test_a_laptop_a_week_offline_catches_up_both_ways(team: Team) -> None:
    a, boss = team.laptop("a"), team.laptop("boss", manager=True)
    _add(a, "王建国", "王总", "恒瑞精密")
    _add(a, "赵敏", "赵总", "远航物流")
    a.sync()
    boss.sync()
    start = a.day
    for offset in range(1, 8):  # a week on the road, a contact a day, never synced
        a.day = start + timedelta(days=offset)
        a.ok("log", "王建国", "--kind", "visit", "--note", f"第{offset}天拜访")
    boss.day = start + timedelta(days=3)
    boss.ok("log", "赵敏", "--kind", "call", "--note", "经理打的电话")
    _add(boss, "钱多多", "钱总", "金桥包装")
    boss.sync()

    report = a.sync("--json").json()
    assert report["pushed"] >= 7 and report["waiting"] == 0 and report["conflicts"] == []
    assert a.contacts_of("赵敏") == ["经理打的电话"]
    assert "钱多多" not in a.customers()  # the manager's own customer is not A's
    assert a.rows("SELECT last_synced_at LIKE ? FROM sync_state", f"{a.day.isoformat()}%") == [(1,)]
    boss.day = a.day
    boss.sync()
    assert boss.contacts_of("王建国") == sorted(f"第{i}天拜访" for i in range(1, 8))


# ------------------------------------------------------------------ refusals and the password


def _digest(path: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.glob(path.name + "*"))
        if not p.name.endswith("-shm")
    }


def _refused(result: Result) -> str:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_sync_refusals_are_one_line_exit_2_and_write_nothing(team: Team) -> None:
    a = team.laptop("a")
    _add(a, "王建国", "王总", "恒瑞精密")
    before = _digest(a.db)

    assert "no team server yet" in _refused(a.run("sync"))
    assert _digest(a.db) == before

    down = a.url.replace(str(team.db.server.socket_dir), str(a.folder))  # no server on this socket
    line = _refused(a.run("sync", "--server", down, env={"KEQU_SYNC_PASSWORD": a.password}))
    assert "Cannot reach the server" in line and a.password not in line
    assert _digest(a.db) == before

    wrong = "not-" + a.password
    line = _refused(a.run("sync", "--server", a.url, env={"KEQU_SYNC_PASSWORD": wrong}))
    assert "wrong user name or password" in line and wrong not in line
    assert _digest(a.db) == before
    assert a.one("SELECT server_url IS NULL AND record = 0 FROM sync_state") == 1
    assert team.sql("SELECT count(*) FROM kequ.customer") == [(0,)]


def test_the_password_is_never_in_the_book(team: Team) -> None:
    a = team.laptop("a")
    _add(a, "王建国", "王总", "恒瑞精密")
    s = team.db.server
    with_password = f"postgresql://{a.user}:{a.password}@/{team.db.name}?host={s.socket_dir}&port={s.port}"
    assert a.ok("sync", "--server", with_password).code == 0
    assert team.owner("王建国") == a.user
    # The URL is remembered without its password, which went to the (test's) keyring.
    assert a.one("SELECT server_url FROM sync_state") == a.url
    assert a.one("SELECT user_name FROM sync_state") == a.user
    assert a.password in (a.folder / "keyring.json").read_text(encoding="utf-8")
    a.ok("log", "王建国", "--kind", "call", "--note", "第二次同步")
    assert a.ok("sync", "--json").json()["pushed"] >= 1  # the keyring's password, nothing typed
    secret = a.password.encode()
    for path in a.folder.glob("kequ.db*"):
        assert secret not in path.read_bytes(), path.name
