"""``kequ team …`` as a user runs it: the real command against the private server, and the
one-line refusals (never a traceback, never a password)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from kequ.storage.sync.connection import connect_params
from kequ.storage.sync.server import connect, push, visible_customers
from tests.team.rows import new_uid, put, whole

KEQU = str(Path(sys.executable).parent / "kequ")


class Run:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def kequ(tmp_path: Path) -> Callable[..., Run]:
    def run(*args: str, lang: str = "zh", env: dict[str, str] | None = None) -> Run:
        environ = {**os.environ, "COLUMNS": "160", **(env or {})}
        full = [KEQU, "--db", str(tmp_path / "kequ.db"), "--lang", lang, "team", *args]
        return Run(
            subprocess.run(full, capture_output=True, text=True, env=environ, timeout=60, stdin=subprocess.DEVNULL)
        )

    return run


def _one_line_refusal(result: Run, *secrets_: str) -> str:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    for secret in secrets_:
        assert secret not in result.err and secret not in result.out
    return lines[0]


@pytest.fixture
def fresh_db(pg_server) -> str:
    name = "c_" + secrets.token_hex(6)
    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.url(dbname=name)


def test_init_twice_is_harmless_and_says_so(kequ, fresh_db) -> None:
    first = kequ("init", "--server", fresh_db, "--json")
    assert first.code == 0, first.err
    assert first.json() == {"version": 2, "applied": [1, 2]}
    again = kequ("init", "--server", fresh_db, lang="en")
    assert again.code == 0, again.err
    assert "up to date (version 2)" in again.out
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM kequ.version").fetchone()[0] == 2


def test_add_user_users_and_transfer_from_the_command_line(kequ, team_db) -> None:
    url = team_db.admin_url
    a, b, m = (f"{stem}_{secrets.token_hex(3)}" for stem in ("wang", "li", "boss"))
    assert kequ("add-user", a, "--password", "pw-a-secret", "--server", url).code == 0
    assert kequ("add-user", b, "--server", url, env={"KEQU_TEAM_PASSWORD": "pw-b-secret"}).code == 0
    added = kequ("add-user", m, "--password", "pw-m", "--manager", "--server", url)
    assert added.code == 0
    assert "经理" in added.out
    with connect(team_db.url(a, "pw-a-secret")) as conn:
        c1, c2 = new_uid(), new_uid()
        push(
            conn,
            [put("customer", c1, whole("customer", name="王总")), put("customer", c2, whole("customer", name="李总"))],
        )
    listed = kequ("users", "--server", url, "--json").json()
    assert {"name": a, "manager": False, "customers": 2, "locked": False} in listed["users"]
    assert {"name": m, "manager": True, "customers": 0, "locked": False} in listed["users"]
    assert listed["pool"] == 0
    moved = kequ("transfer", "--from", a, "--to", b, "--customer", "王总", "--server", url, "--json")
    assert moved.code == 0, moved.err
    assert moved.json() == {"from": a, "to": b, "customers": [c1]}
    rest = kequ("transfer", "--from", a, "--to-pool", "--all", "--server", url, lang="en")
    assert rest.code == 0
    assert "Put 1 of" in rest.out
    with connect(team_db.url(b, "pw-b-secret")) as conn:
        assert visible_customers(conn) == {c1, c2}  # hers, and the pool


def test_users_lists_a_locked_leaver_until_nothing_is_left_with_them(kequ, team_db) -> None:
    url = team_db.admin_url
    leaver, heir = (f"{stem}_{secrets.token_hex(3)}" for stem in ("zhao", "chen"))
    for name in (leaver, heir):
        assert kequ("add-user", name, "--password", "pw-" + name, "--server", url).code == 0
    with connect(team_db.url(leaver, "pw-" + leaver)) as conn:
        push(conn, [put("customer", new_uid(), whole("customer", name=name)) for name in ("王总", "李总")])
    # Someone leaves: the login is locked first (docs/team.md), then the customers are handed over.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"ALTER ROLE {leaver} NOLOGIN")
    listed = kequ("users", "--server", url, "--json").json()["users"]
    assert {"name": leaver, "manager": False, "customers": 2, "locked": True} in listed
    assert {"name": heir, "manager": False, "customers": 0, "locked": False} in listed
    [line] = [line for line in kequ("users", "--server", url).out.splitlines() if line.startswith(leaver)]
    assert "2 位客户" in line and "已停用" in line
    assert kequ("transfer", "--from", leaver, "--to", heir, "--all", "--server", url).code == 0
    after = kequ("users", "--server", url, "--json").json()["users"]
    assert {"name": leaver, "manager": False, "customers": 0, "locked": True} in after
    assert {"name": heir, "manager": False, "customers": 2, "locked": False} in after
    [line] = [line for line in kequ("users", "--server", url, lang="en").out.splitlines() if line.startswith(heir)]
    assert "2 customers" in line and "locked" not in line
    # A name that owns customers with no role behind it any more (dropped too early) is listed, locked.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE kequ.customer SET owner = 'gone_x' WHERE name = '李总'")
    gone = kequ("users", "--server", url, "--json").json()["users"]
    assert {"name": "gone_x", "manager": False, "customers": 1, "locked": True} in gone


def test_a_second_add_user_of_the_same_name_is_refused(kequ, team_db) -> None:
    name = f"dup_{secrets.token_hex(3)}"
    assert kequ("add-user", name, "--password", "pw-1", "--server", team_db.admin_url).code == 0
    line = _one_line_refusal(kequ("add-user", name, "--password", "pw-2", "--server", team_db.admin_url), "pw-2")
    assert name in line


@pytest.mark.parametrize("name", ["Wang", "1abc", "_wang", "kequ_sales", "pg_x", "王"])
def test_a_bad_login_name_is_refused_before_connecting(kequ, name: str) -> None:
    line = _one_line_refusal(kequ("add-user", name, "--password", "pw", "--server", "postgresql://x@/nowhere"))
    assert name in line


def test_a_transfer_of_a_customer_not_theirs_is_refused(kequ, team_db, make_user) -> None:
    a = make_user("a").split("//")[1].split(":")[0]
    b = make_user("b").split("//")[1].split(":")[0]
    line = _one_line_refusal(
        kequ("transfer", "--from", a, "--to", b, "--customer", "无名", "--server", team_db.admin_url)
    )
    assert "无名" in line
    assert "没有" in kequ("transfer", "--from", a, "--to", "nobody_here", "--all", "--server", team_db.admin_url).err


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:pw-secret@host:notaport/db", "https://u:pw-secret@host/db", "postgresql://u:pw-secret@h/db?x=1"],
)
def test_a_bad_url_is_one_line(kequ, url: str) -> None:
    line = _one_line_refusal(kequ("users", "--server", url), "pw-secret")
    assert "连接串" in line


def test_a_server_that_is_down_is_one_line(kequ, tmp_path: Path) -> None:
    url = f"postgresql://admin:pw-secret@/kequ?host={tmp_path}/no-server"
    line = _one_line_refusal(kequ("init", "--server", url, lang="en"), "pw-secret")
    assert "Cannot reach the server" in line


def test_a_wrong_password_is_one_line_and_not_echoed(kequ, pg_server) -> None:
    url = pg_server.url(password="wrong-pw-xyz")
    line = _one_line_refusal(kequ("init", "--server", url, lang="en"), "wrong-pw-xyz")
    assert "wrong user name or password" in line


def test_a_salesperson_is_not_an_admin(kequ, make_user) -> None:
    url = make_user("a")
    password = url.split(":")[2].split("@")[0]
    line = _one_line_refusal(kequ("add-user", "someone", "--password", "x", "--server", url, lang="en"), password)
    assert "not an admin" in line


def test_a_database_never_initialised_says_what_to_run(kequ, fresh_db) -> None:
    line = _one_line_refusal(kequ("users", "--server", fresh_db))
    assert "kequ team init" in line


def test_the_server_certificate_is_verified_unless_the_url_says_otherwise(monkeypatch) -> None:
    assert connect_params("postgresql://wang@db.example.com/kequ")["sslmode"] == "verify-full"
    assert connect_params("postgresql://wang@localhost:5433/kequ")["sslmode"] == "verify-full"
    assert connect_params("host=10.0.0.5 dbname=kequ user=wang")["sslmode"] == "verify-full"
    assert connect_params("postgresql://wang@/kequ?hostaddr=10.0.0.5")["sslmode"] == "verify-full"
    # What the user's URL says is kept.
    assert connect_params("postgresql://wang@db.example.com/kequ?sslmode=verify-ca")["sslmode"] == "verify-ca"
    # No host in the URL: libpq takes it from PGHOST, which may be far away (PGSSLMODE, the
    # environment's own default, does not weaken it either).
    monkeypatch.setenv("PGHOST", "db.example.com")
    monkeypatch.setenv("PGSSLMODE", "prefer")
    assert connect_params("postgresql://wang@/kequ")["sslmode"] == "verify-full"
    assert connect_params("postgresql:///kequ")["sslmode"] == "verify-full"
    # On a unix socket libpq ignores it (every test of tests/team connects that way).
    assert connect_params("postgresql://wang@/kequ?host=/var/run/postgresql")["sslmode"] == "verify-full"
    params = connect_params("postgresql://wang:pw@db.example.com/kequ")
    assert params["connect_timeout"] == "10"
    assert params["password"] == "pw"
