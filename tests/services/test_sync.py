"""kequ.services.sync between two laptops (two SQLite files) and a small stand-in for the
team's server that keeps the contract's rules (per-field merge by time, append-only
contacts, owners, "not_yours"). The real PostgreSQL server is tested in tests/team."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer, update_field
from kequ.services.sync import sync, sync_state
from kequ.storage.database import open_database
from kequ.storage.sync.wire import APPEND_ONLY


@dataclass
class Answer:
    accepted: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


class Server:
    """Rows by uid: table, fields, owner (customers), seq, deleted, and per-field times."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.seq = 0

    def bump(self, row: dict[str, Any]) -> None:
        self.seq += 1
        row["seq"] = self.seq

    def owner_of(self, customer_uid: str | None) -> str | None:
        row = self.rows.get(customer_uid or "")
        return row["owner"] if row else None

    def transfer(self, customer_uid: str, to: str) -> None:
        self.rows[customer_uid]["owner"] = to
        for row in self.rows.values():
            if row["customer_uid"] == customer_uid:
                self.bump(row)


class Laptop:
    def __init__(self, server: Server, user: str) -> None:
        self.server, self.user = server, user

    def push(self, changes: list[dict[str, Any]]) -> Answer:
        answer = Answer()
        for change in changes:
            uid, name = change["uid"], change["table"]
            row = self.server.rows.get(uid)
            owner = self.server.owner_of(uid if name == "customer" else change.get("customer_uid"))
            if (row or name != "customer") and owner not in (None, self.user):
                answer.refused.append((uid, "not_yours"))
                continue
            if change["op"] == "delete":
                if row:
                    row["deleted"] = True
                    self.server.bump(row)
            elif row is None:
                times = dict.fromkeys(change["fields"], change["at"])
                row = {"table": name, "fields": dict(change["fields"]), "customer_uid": change.get("customer_uid")}
                row |= {"owner": self.user, "deleted": False, "times": times}
                self.server.rows[uid] = row
                self.server.bump(row)
            elif name not in APPEND_ONLY:
                for column, value in change["fields"].items():
                    if row["times"].get(column, "") > change["at"] and row["fields"][column] != value:
                        answer.conflicts.append(
                            {"table": name, "uid": uid, "field": column, "mine": value}
                            | {"theirs": row["fields"][column], "their_at": row["times"][column]}
                        )
                        continue
                    row["fields"][column], row["times"][column] = value, change["at"]
                self.server.bump(row)
            answer.accepted.append(uid)
        return answer

    def visible(self, row: dict[str, Any]) -> bool:
        return self.server.owner_of(row["customer_uid"]) in (None, self.user)

    def pull(self, since: int) -> tuple[list[dict[str, Any]], int]:
        found = []
        for uid, row in sorted(self.server.rows.items(), key=lambda item: item[1]["seq"]):
            if row["seq"] > since and self.visible(row):
                change = {"table": row["table"], "uid": uid, "seq": row["seq"], "customer_uid": row["customer_uid"]}
                change |= {"op": "delete"} if row["deleted"] else {"op": "put", "fields": row["fields"]}
                found.append(change)
        return found, max((c["seq"] for c in found), default=since)

    def visible_customers(self) -> set[str]:
        rows = self.server.rows.items()
        return {u for u, r in rows if r["table"] == "customer" and not r["deleted"] and r["owner"] == self.user}


def names(db) -> list[str]:
    conn = sqlite3.connect(db.path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM customer ORDER BY name")]
    finally:
        conn.close()


def test_two_laptops_edit_offline_then_sync_and_a_conflict_is_shown(tmp_path: Path, frozen_time) -> None:
    server = Server()
    a = open_database(str(tmp_path / "a.db"))
    b = open_database(str(tmp_path / "b.db"))
    wang = add_customer(a, NewCustomer(name="王芳"))
    log_interaction(a, wang, "call", date(2026, 11, 20), "问报价")
    first = sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert first.first and first.pushed == 2 and first.waiting == 0
    state = sync_state(a)
    assert (state.server_url, state.user, state.waiting) == ("pg://team", "ann", 0) and state.last_synced_at
    # The same user's second laptop gets the book.
    down = sync(b, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert down.pulled == 2 and names(b) == ["王芳"]
    wang_b = sqlite3.connect(b.path).execute("SELECT id FROM customer").fetchone()[0]
    # Offline on both: the same field changed on each, another field on one.
    update_field(a, wang, "city", "杭州")
    frozen_time.shift(60)
    update_field(b, wang_b, "city", "苏州")
    update_field(b, wang_b, "title", "总经理")
    log_interaction(b, wang_b, "visit", date(2026, 11, 22), "拜访")
    assert sync(b, Laptop(server, "ann"), server_url="pg://team", user="ann").pushed == 2
    report = sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    # a's city was written earlier: the server keeps b's, and a is told.
    assert [(c.customer, c.field, c.mine, c.theirs) for c in report.conflicts] == [("王芳", "city", "杭州", "苏州")]
    row = sqlite3.connect(a.path).execute("SELECT city, title FROM customer").fetchone()
    assert row == ("苏州", "总经理")
    assert sqlite3.connect(a.path).execute("SELECT count(*) FROM interaction").fetchone()[0] == 2
    # Shown once: the next sync has nothing new to say.
    assert sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann").conflicts == []


def test_a_transferred_customer_leaves_one_laptop_and_arrives_with_history_on_the_other(tmp_path: Path) -> None:
    server = Server()
    a = open_database(str(tmp_path / "a.db"))
    b = open_database(str(tmp_path / "b.db"))
    wang = add_customer(a, NewCustomer(name="王芳"))
    log_interaction(a, wang, "call", date(2026, 11, 20), "问报价")
    add_customer(a, NewCustomer(name="李强"))
    sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    sync(b, Laptop(server, "bob"), server_url="pg://team", user="bob")
    assert names(b) == []
    uid = sqlite3.connect(a.path).execute("SELECT uid FROM customer WHERE name = '王芳'").fetchone()[0]
    server.transfer(uid, "bob")
    gone = sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert gone.removed == ["王芳"] and names(a) == ["李强"]
    arrived = sync(b, Laptop(server, "bob"), server_url="pg://team", user="bob")
    assert names(b) == ["王芳"] and arrived.failed == 0
    notes = sqlite3.connect(b.path).execute("SELECT notes FROM interaction").fetchall()
    assert notes == [("问报价",)]


def test_a_change_refused_is_kept_and_reported_and_the_customer_stays(tmp_path: Path) -> None:
    server = Server()
    a = open_database(str(tmp_path / "a.db"))
    wang = add_customer(a, NewCustomer(name="王芳"))
    sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    uid = sqlite3.connect(a.path).execute("SELECT uid FROM customer").fetchone()[0]
    server.transfer(uid, "bob")  # meanwhile, offline, ann logs a visit
    log_interaction(a, wang, "visit", date(2026, 11, 22), "拜访")
    report = sync(a, Laptop(server, "ann"), server_url="pg://team", user="ann")
    assert [(table, reason) for table, _, reason, _ in report.refused] == [("interaction", "not_yours")]
    assert report.kept == ["王芳"] and report.removed == [] and report.waiting == 1
    assert names(a) == ["王芳"]


def test_the_login_written_in_a_server_url_is_used_and_its_password_never_kept() -> None:
    from kequ.services.sync import split_login

    typed = split_login(" postgresql://wang_li:p%40ss%3Aw@db.example.com:5433/kequ?sslrootcert=system ")
    assert typed.url == "postgresql://wang_li@db.example.com:5433/kequ?sslrootcert=system"
    assert (typed.user, typed.password) == ("wang_li", "p@ss:w")
    bare = split_login("postgresql://db.example.com/kequ")
    assert (bare.url, bare.user, bare.password) == ("postgresql://db.example.com/kequ", None, None)
    no_password = split_login("postgres://wang_li@/kequ?host=/run/postgresql")
    assert (no_password.url, no_password.user, no_password.password) == (
        "postgres://wang_li@/kequ?host=/run/postgresql",
        "wang_li",
        None,
    )
    pairs = split_login("host=db.example.com dbname=kequ user=zhao password=secret")
    assert pairs.user == "zhao" and pairs.password == "secret"
    assert "secret" not in pairs.url and "user=zhao" in pairs.url and "host=db.example.com" in pairs.url
    assert split_login("") == type(bare)("", None, None)
