"""Team sync against a real PostgreSQL: a book's first sync, a sync with nothing new, 100 customers changed.

    python bench/bench_sync.py [--customers 10000] [--books DIR] [--server ADMIN_URL] [--json]

The book is bench/dataset.py's (10,000 customers hold about 200,000 contacts, with their
dates, gifts, deals, complaints and touches). Without ``--server`` the bench starts a private
PostgreSQL of its own the way tests/team/conftest.py does (initdb in a temporary folder, a
unix socket only, run as a user that is not root); with it, a new database is made on that
server (the URL must be an admin's: a superuser) and dropped at the end. Then ``kequ team
init`` and one salesperson, and ``kequ.services.sync.sync`` is timed in-process as ``kequ
sync`` runs it, on a copy of the book, through a connection as that salesperson:

* ``first_s``: the first sync (every row up, then the pull that follows);
* ``nothing_s``: a sync with nothing changed on either side;
* ``changed_s``: a sync after 100 customers had a field edited the way the profile saves it.

Each ``*_cpu_s`` is the processor time of the same sync, the laptop's side (this process)
plus the server's backend (read from /proc when the server is on this machine): on a
machine shared with other work the wall time grows with the queue for the cores, this hardly.

Targets (issue #26): first ≤ 30 s, nothing ≤ 2 s, 100 changed ≤ 3 s. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from time import perf_counter, process_time
from urllib.parse import quote

import common

TARGETS = {"first_s": 30.0, "nothing_s": 2.0, "changed_s": 3.0}
ADMIN = "kequ_admin"
PG_USER = "kequpg"


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or max(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]), default=None
    )
    if found is None:
        raise SystemExit(f"no {name}: install PostgreSQL (apt-get install postgresql) or pass --server")
    return found


@contextmanager
def private_server() -> Iterator[str]:
    """A PostgreSQL of the bench's own on a unix socket; yields its admin URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER])
        user = PG_USER
    base = Path(tempfile.mkdtemp(prefix="kequ-bench-pg-"))
    password = secrets.token_urlsafe(12)
    (base / "pwfile").write_text(password + "\n", encoding="utf-8")
    if user is not None:
        entry = pwd.getpwnam(user)
        base.chmod(0o755)
        for path in (base, base / "pwfile"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    data, env = base / "data", {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    run = {"check": True, "capture_output": True, "user": user, "env": env, "cwd": base}
    subprocess.run([initdb, "-D", data, "-U", ADMIN, f"--pwfile={base / 'pwfile'}", "--auth=scram-sha-256"], **run)  # type: ignore[call-overload]
    options = f"-c listen_addresses='' -c unix_socket_directories='{base}'"
    subprocess.run([pg_ctl, "start", "-w", "-D", data, "-l", base / "log", "-o", options], **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql://{ADMIN}:{quote(password, safe='')}@/postgres?host={base}"
    finally:
        subprocess.run([pg_ctl, "stop", "-m", "fast", "-D", data], capture_output=True, user=user, env=env, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


def _with(url: str, **params: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, **params)


@contextmanager
def team_database(admin_url: str) -> Iterator[tuple[str, str]]:
    """A new database with ``kequ team init`` done and one salesperson: (their URL, their name)."""
    import psycopg

    from kequ.services.team import add_user, init_team

    name = "kequ_bench_" + secrets.token_hex(4)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        admin = _with(admin_url, dbname=name)
        init_team(admin)
        user, password = f"bench_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
        add_user(admin, user, password)
        yield _with(admin, user=user, password=password), user
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _cpu_of(pid: int) -> float:
    """CPU seconds the server's backend process has used (0 where /proc cannot tell: --server elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _edit(path: Path, count: int) -> int:
    """A field of ``count`` customers edited the way the profile saves one."""
    from kequ.services.customers import update_field
    from kequ.storage.database import Database

    db = Database(path)
    with db.reader() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM customer ORDER BY id LIMIT ?", (count,))]
    for number, customer_id in enumerate(ids):
        update_field(db, customer_id, "notes", f"同步测试改动 {number}")
    return len(ids)


def measure(book: Path, admin_url: str) -> dict[str, object]:
    from kequ.services import sync as service
    from kequ.storage.database import Database
    from kequ.storage.sync.connection import connect

    with team_database(admin_url) as (url, user), tempfile.TemporaryDirectory(prefix="kequ-bench-sync-") as tmp:
        path = Path(tmp) / "book.db"
        shutil.copy(book, path)
        db = Database(path)

        cpu: dict[str, float] = {}

        def timed(key: str) -> tuple[float, service.SyncReport]:
            conn = connect(url)
            try:
                backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
                started, mine, theirs = perf_counter(), process_time(), _cpu_of(backend)
                report = service.sync(db, service.ServerRemote(conn), server_url="bench", user=user)
                elapsed = perf_counter() - started
                cpu[key + "_cpu_s"] = round(process_time() - mine + _cpu_of(backend) - theirs, 2)
                return elapsed, report
            finally:
                conn.close()

        first_s, first = timed("first")
        nothing_s, nothing = timed("nothing")
        edited = _edit(path, 100)
        changed_s, changed = timed("changed")
        with db.reader() as conn:
            rows = {
                name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in ("customer", "interaction")
            }
    return {
        "customers": rows["customer"],
        "contacts": rows["interaction"],
        "first_s": round(first_s, 2),
        "first_pushed": first.pushed,
        "first_pulled": first.pulled,
        "nothing_s": round(nothing_s, 2),
        "nothing_pushed": nothing.pushed,
        "nothing_pulled": nothing.pulled,
        "changed_s": round(changed_s, 2),
        "changed_customers": edited,
        "changed_pushed": changed.pushed,
        "changed_pulled": changed.pulled,
        **cpu,
        "waiting": changed.waiting,
        "refused": len(changed.refused) + len(first.refused),
    }


def table(doc: dict[str, object]) -> None:
    row: dict[str, object] = doc["result"]  # type: ignore[assignment]
    print(f"book: {row['customers']} customers, {row['contacts']} contacts")
    print(f"{'sync':<26} {'seconds':>8} {'target':>7} {'cpu s':>7} {'up':>8} {'down':>8}")
    for key, label in (("first", "first sync"), ("nothing", "nothing changed"), ("changed", "100 customers changed")):
        seconds, target = row[key + "_s"], TARGETS[key + "_s"]
        cpu = row[key + "_cpu_s"]
        print(f"{label:<26} {seconds:>8} {target:>7} {cpu:>7} {row[key + '_pushed']:>8} {row[key + '_pulled']:>8}")
    print(f"left waiting: {row['waiting']}, refused: {row['refused']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10000, help="customers in the book (default 10000)")
    parser.add_argument("--books", type=Path, default=None, help="folder to keep generated books in and reuse")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the day the book is made for")
    parser.add_argument("--server", metavar="ADMIN_URL", help="a PostgreSQL to use instead of a private one")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = parser.parse_args()
    with common.books_folder(args.books) as folder:
        book = common.book(folder, args.customers, args.today)
        if args.server:
            result = measure(book, args.server)
        else:
            with private_server() as admin_url:
                result = measure(book, admin_url)
    common.emit({"result": result, "targets": TARGETS}, args.json, table)


if __name__ == "__main__":
    main()
