"""Whether an SQLite file holds kequ's own schema and nothing else.

A database file is code as well as data: a trigger or a view in it runs whenever kequ
writes, so a crafted "backup" could empty the book on the next ``kequ log``. Before a file
is opened or restored, its tables (columns, types, keys, defaults) and indexes are compared
with what kequ's own migrations build for the version the file claims, its triggers with
kequ's own word for word (the notes index's, schema step 7), and any other trigger, any
view or unknown object is refused. The comparison is of structure, not of the SQL text,
so a file written by another SQLite version, or rebuilt with ``sqlite3 .dump`` (the
standard repair, which loses the version number), is still recognised.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kequ.kept import keep, kept_file, read_kept

Shape = dict[tuple[str, str], object]


@dataclass(frozen=True, slots=True)
class Recognised:
    version: int  # the schema version the file has (or is rebuilt from), 0 if none
    problems: list[str] = field(default_factory=list)  # what differs from kequ's schema
    rebuilt: bool = False  # kequ's schema without its version number: a .dump rebuild
    foreign: bool = False  # tables, but not kequ's at any version


def shape(conn: sqlite3.Connection) -> Shape:
    found: Shape = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    for kind, name, table, sql in rows:
        if kind == "table":
            columns = conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall()
            found[("table", name)] = tuple((c[1], str(c[2]).upper(), c[3], c[4], c[5], c[6]) for c in columns)
            if sql and sql.upper().startswith("CREATE VIRTUAL"):
                # A virtual table's module and options are in its SQL alone (fts5, its tokenizer).
                found[("table", name)] = (found[("table", name)], " ".join(sql.split()))
            for index in conn.execute(f"PRAGMA index_list({_quote(name)})").fetchall():
                parts = conn.execute(f"PRAGMA index_xinfo({_quote(index[1])})").fetchall()
                found[("index", index[1])] = (name, index[2], index[4], tuple((p[2], p[3], p[4]) for p in parts))
        elif kind != "index":  # named indexes were read with their table
            found[(kind, name)] = (table, sql)
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def _expected(steps: tuple[tuple[int, str], ...], version: int) -> Shape:
    # Building the schema in memory to read its shape takes 25 ms of every command that
    # opens the book (kequ search, kequ today): the answer is kept beside the bytecode,
    # for this SQLite (whose pragmas describe it) and these steps' SQL, word for word.
    stamp = "\n".join([sqlite3.sqlite_version, str(version), *(sql for number, sql in steps if number <= version)])
    cached = kept_file(Path(__file__).parent, f"schema{version}", stamp)
    found = read_kept(cached, stamp)
    if isinstance(found, dict):
        return found
    conn = sqlite3.connect(":memory:")
    try:
        for number, sql in steps:
            if number <= version:
                conn.executescript(sql)
        found = shape(conn)
    finally:
        conn.close()
    keep(cached, f"schema{version}", stamp, found)
    return found


def expected_shape(steps: Sequence[tuple[int, str]], version: int) -> Shape:
    """What kequ's migrations ``1..version`` build."""
    return _expected(tuple(steps), version)


def differences(found: Shape, expected: Shape) -> list[str]:
    """What is wrong, in a few words each, most dangerous first."""
    problems = []
    # kequ's own triggers (the notes index's) are known word for word: any other trigger,
    # or one of ours with other SQL, is refused, and so is every view.
    problems += [
        f"trigger {name}" for (k, name), value in found.items() if k == "trigger" and expected.get((k, name)) != value
    ]
    problems += [f"view {name}" for (k, name) in found if k == "view"]
    problems += [f"missing trigger {name}" for (k, name) in expected if k == "trigger" and (k, name) not in found]
    for kind in ("table", "index"):
        problems += [f"missing {kind} {name}" for (k, name) in expected if k == kind and (k, name) not in found]
        problems += [f"unknown {kind} {name}" for (k, name) in found if k == kind and (k, name) not in expected]
        problems += [
            f"{kind} {name} differs"
            for (k, name), value in found.items()
            if k == kind and (k, name) in expected and expected[(k, name)] != value
        ]
    return problems


def recognise(conn: sqlite3.Connection, steps: Sequence[tuple[int, str]]) -> Recognised:
    """Which of kequ's schema versions the file holds, or what is wrong with it."""
    latest = steps[-1][0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        return Recognised(version)  # a newer kequ's: not ours to judge
    found = shape(conn)
    if version == 0:
        if not found:
            return Recognised(0)  # a new, empty file
        for candidate in range(latest, 0, -1):
            if found == expected_shape(steps, candidate):
                return Recognised(candidate, rebuilt=True)
        return Recognised(0, foreign=True)
    return Recognised(version, differences(found, expected_shape(steps, version)))
